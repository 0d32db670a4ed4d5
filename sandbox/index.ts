// Public API of the App Store Connect sandbox.
export {
  generateCatalogue,
  MAIN_BUNDLE_ID,
  NEWEST_UPLOAD_BUNDLE_ID,
  type BuildAudienceType,
  type Catalogue,
  type CatalogueOptions,
  type IconAssetToken,
  type Platform,
  type ProcessingState,
  type SandboxApp,
  type SandboxBuild,
  type SandboxPreReleaseVersion
} from './catalogue.js'
export type { Fault, FaultRule } from './faults.js'
export { startSandbox, type RecordedRequest, type Sandbox, type SandboxOptions } from './server.js'
export type { AuthFailure, SandboxKey } from './token.js'
