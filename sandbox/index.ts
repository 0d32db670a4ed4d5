// Public API of the App Store Connect sandbox.
export { MAIN_BUNDLE_ID, NEWEST_UPLOAD_BUNDLE_ID } from './app-plans.js'
export {
  appStoreStateOf,
  type AppStoreVersionSchedule,
  type AppStoreVersionState,
  type AppStoreVersionStep,
  type AppVersionState,
  type ReleaseType,
  type SandboxAppStoreVersion
} from './app-store-versions.js'
export { generateCatalogue, type CatalogueOptions } from './catalogue.js'
export { FIXED_BUNDLE_IDS } from './fixed-apps.js'
export type {
  Catalogue,
  IconAssetToken,
  LandmarkName,
  Landmarks,
  SandboxApp,
  SandboxBuild,
  SandboxBuildBetaDetail,
  SandboxBuildUpload,
  SandboxPreReleaseVersion,
  StateDetails
} from './records.js'
export type { ErrorDocument } from './errors.js'
export type { Fault, FaultRule } from './faults.js'
export type { CollectionDocument, InstanceDocument, Resource } from './render.js'
export { UPLOAD_ERRORS, UPLOAD_WARNINGS, type StateDetail } from './lifecycle.js'
export type {
  BuildAudienceType,
  BuildUploadState,
  ExternalBetaState,
  InternalBetaState,
  Platform,
  ProcessingState
} from './schema.js'
export type { RecordedRequest } from './pipeline.js'
export { APPLE_REFUSALS, deadUpload } from './refusals.js'
export type { EarlierUse } from './rate-limit.js'
export { startSandbox, type Sandbox, type SandboxOptions } from './server.js'
export {
  parseUploadSchedules,
  type ScheduledUpload,
  type TimelineEvent,
  type UploadSchedule,
  type UploadStep
} from './timeline.js'
export type { AuthFailure, SandboxKey } from './token.js'
