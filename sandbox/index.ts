// Public API of the App Store Connect sandbox.
export {
  generateCatalogue,
  MAIN_BUNDLE_ID,
  NEWEST_UPLOAD_BUNDLE_ID,
  type Catalogue,
  type CatalogueOptions,
  type IconAssetToken,
  type SandboxApp,
  type SandboxBuild,
  type SandboxPreReleaseVersion
} from './catalogue.js'
export type { ErrorDocument } from './errors.js'
export type { Fault, FaultRule } from './faults.js'
export type { CollectionDocument, InstanceDocument, Resource } from './render.js'
export type { BuildAudienceType, Platform, ProcessingState } from './schema.js'
export { startSandbox, type RecordedRequest, type Sandbox, type SandboxOptions } from './server.js'
export type { AuthFailure, SandboxKey } from './token.js'
