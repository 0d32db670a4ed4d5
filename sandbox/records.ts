// The records of a catalogue, shaped like the data Apple returns: apps, prerelease versions
// (trains), builds with their TestFlight details, and build uploads; and the names of the traps
// planted among them (landmarks).
import type { SandboxAppStoreVersion } from './app-store-versions.js'
import type { StateDetail } from './lifecycle.js'
import type {
  BuildAudienceType,
  BuildUploadState,
  ExternalBetaState,
  InternalBetaState,
  Platform,
  ProcessingState
} from './schema.js'

export interface SandboxApp {
  id: string
  bundleId: string
  name: string
  sku: string
  primaryLocale: string
}

export interface SandboxPreReleaseVersion {
  id: string
  appId: string
  /**
   * Marketing version as spelled by the train's first upload, e.g. '2.3.0' or '2.3'. Apple files
   * later uploads spelled '2.3' / '2.3.0' under the same train and keeps this spelling.
   */
  version: string
  platform: Platform
}

export interface IconAssetToken {
  /** Ends with '/{w}x{h}bb.{f}', as Apple's image service expects. */
  templateUrl: string
  width: number
  height: number
}

/** A build's buildBetaDetails resource (TestFlight readiness), one per build. */
export interface SandboxBuildBetaDetail {
  /** Its own id: clients join it to the build through the relationship, not by id. */
  id: string
  autoNotifyEnabled: boolean
  internalBuildState: InternalBetaState
  externalBuildState: ExternalBetaState
}

export interface SandboxBuild {
  id: string
  appId: string
  preReleaseVersionId: string
  /** Build number (CFBundleVersion), one to three integers: '9', '512', '20302', '1.4.7', '4.69.0'. */
  version: string
  /** ISO 8601 in Pacific time, as Apple writes it: '2026-09-07T10:42:15-07:00'. */
  uploadedDate: string
  /** Upload date plus 90 calendar days in Pacific wall time (the offset may change). */
  expirationDate: string
  /**
   * Apple's flag: true when expired by hand or once Apple has noticed the expiration date passed.
   * The sandbox re-judges it against its clock on every request, `expiryLagMs` late.
   */
  expired: boolean
  /** How long after expirationDate Apple's `expired` flag still says false (default 0). */
  expiryLagMs?: number
  minOsVersion: string
  lsMinimumSystemVersion: string | null
  computedMinMacOsVersion: string | null
  iconAssetToken: IconAssetToken | null
  processingState: ProcessingState
  buildAudienceType: BuildAudienceType
  /** The export compliance answer; null while nobody has answered it (MISSING_EXPORT_COMPLIANCE). */
  usesNonExemptEncryption: boolean | null
  betaDetail: SandboxBuildBetaDetail
}

export interface StateDetails {
  state: BuildUploadState
  errors: StateDetail[]
  warnings: StateDetail[]
  infos: StateDetail[]
}

/** A buildUploads resource: what altool / Transporter / Xcode sent, before and after it became a build. */
export interface SandboxBuildUpload {
  id: string
  appId: string
  /** As spelled in this upload's Info.plist, which may differ from its train's stored spelling. */
  cfBundleShortVersionString: string
  cfBundleVersion: string
  platform: Platform
  createdDate: string
  /** When the file arrived; null while AWAITING_UPLOAD. */
  uploadedDate: string | null
  state: StateDetails
  /** The build it became; null while in flight, and for good when it FAILED. */
  buildId: string | null
}

export interface Catalogue {
  apps: SandboxApp[]
  preReleaseVersions: SandboxPreReleaseVersion[]
  builds: SandboxBuild[]
  buildUploads: SandboxBuildUpload[]
  /** App Store versions (app-store-versions.ts); a hand-made catalogue may leave them out. */
  appStoreVersions?: SandboxAppStoreVersion[]
  /** Ids of the planted traps, by name (see LandmarkName); small catalogues may lack some. */
  landmarks: Landmarks
}

/**
 * Named traps, for test authors. `weather` is com.example.weather (the main app), `widget`
 * com.example.weather.widget, `weatherpro` com.example.weatherpro, `newsIos` com.example.news.ios.
 */
export type LandmarkName =
  // com.example.weather, iOS builds, newest upload first
  /** PROCESSING (internal/external PROCESSING), the newest iOS upload that became a build. */
  | 'weather.ios.processing'
  /** processingState FAILED (PROCESSING_EXCEPTION). */
  | 'weather.ios.failed'
  /** VALID, expirationDate ahead, expired by hand (EXPIRED). */
  | 'weather.ios.expiredByHand'
  /** The newest VALID non-expired iOS build: a hotfix of the previous version with a lower number, MISSING_EXPORT_COMPLIANCE, usesNonExemptEncryption null. */
  | 'weather.ios.latestValid'
  /** IN_EXPORT_COMPLIANCE_REVIEW (internal and external), usesNonExemptEncryption true; the highest VALID iOS build number. */
  | 'weather.ios.inExportComplianceReview'
  /** INTERNAL_ONLY, READY_FOR_BETA_TESTING / NOT_APPLICABLE: the newest build ready for internal testing. */
  | 'weather.ios.internalOnly'
  /** READY_FOR_BETA_TESTING / BETA_REJECTED: the newest build an App Store submission could use. */
  | 'weather.ios.betaRejected'
  /** READY_FOR_BETA_TESTING / READY_FOR_BETA_SUBMISSION. */
  | 'weather.ios.readyForBetaSubmission'
  /** READY_FOR_BETA_TESTING / IN_BETA_REVIEW. */
  | 'weather.ios.inBetaReview'
  /** IN_BETA_TESTING / WAITING_FOR_BETA_REVIEW. */
  | 'weather.ios.waitingForBetaReview'
  /** IN_BETA_TESTING / BETA_APPROVED: the newest build ready for external testing. */
  | 'weather.ios.betaApproved'
  // com.example.weather, other platforms
  /** MAC_OS, VALID, IN_BETA_TESTING / BETA_APPROVED: newer than every VALID iOS build. */
  | 'weather.mac.latestValid'
  /** MAC_OS, PROCESSING: the newest upload of the app. */
  | 'weather.mac.processing'
  // com.example.weather, uploads that never became builds (IOS, current train)
  /** FAILED with state.errors; cfBundleVersion one above the app's highest build number. */
  | 'weather.ios.upload.failed'
  /** PROCESSING, no build yet; cfBundleVersion two above the highest build number. */
  | 'weather.ios.upload.processing'
  /** AWAITING_UPLOAD, no uploadedDate; cfBundleVersion three above the highest build number. */
  | 'weather.ios.upload.awaiting'
  /** FAILED, same cfBundleVersion as weather.ios.latestValid, whose upload then succeeded. */
  | 'weather.ios.upload.failedThenReused'
  // prerelease versions (trains)
  /** IOS train stored as '2.x' (first upload); its later uploads say '2.x.0'. */
  | 'weather.ios.currentTrain'
  /** MAC_OS train of the same version stored as '2.x.0'; some later uploads say '2.x'. */
  | 'weather.mac.currentTrain'
  /** IOS train stored with a leading zero ('1.07'); later uploads say '1.7.0'. */
  | 'weatherpro.ios.leadingZeroTrain'
  /** Build numbers restart at 1 per version: the newest train, opened by the newest uploads. */
  | 'widget.ios.newTrain'
  /** The newest upload of the whole catalogue (build '2' of the new train). */
  | 'widget.ios.newest'
  /** The VALID non-expired build with the highest number: an older train's. */
  | 'widget.ios.highestValidBuildNumber'
  /** VALID, past its expirationDate, still `expired: false` for a few hours. */
  | 'newsIos.ios.expiryLagging'
  // App Store versions (their ids; each record's buildId names the build it ships)
  /** IOS, REPLACED_WITH_NEW_VERSION: the version on sale before the live one, an older train. */
  | 'weather.ios.appStore.replaced'
  /** IOS, READY_FOR_DISTRIBUTION / READY_FOR_SALE: an older train whose builds are all past their TestFlight expiration; ships a VALID build that says `expired: true`. */
  | 'weather.ios.appStore.live'
  /** IOS, PREPARE_FOR_SUBMISSION on the current train, copyright null; ships weather.ios.betaRejected. */
  | 'weather.ios.appStore.preparing'
  /** MAC_OS, READY_FOR_DISTRIBUTION: another train and build than the iOS live version. */
  | 'weather.mac.appStore.live'
  /** The widget's only version: WAITING_FOR_REVIEW on widget.ios.newTrain with its first build, not widget.ios.newest; the app has no live version. */
  | 'widget.ios.appStore.waitingForReview'
  // The fixed apps (fixed-apps.ts); each `*.app` names an app id
  /** com.example.legacy: its only build, numbered '2.0.67.745' (IOS 2.0.67, VALID). */
  | 'legacy.app'
  | 'legacy.ios.only'
  /** com.example.studio: MAC_OS 1.7.0 builds 1-3 and IOS 1.8.0 builds 10-12, all VALID. */
  | 'studio.app'
  /** MAC_OS 1.7.0 build 3. */
  | 'studio.mac.highest'
  /** IOS 1.8.0 build 12. */
  | 'studio.ios.highest'
  /** com.example.empty: no builds, no uploads. */
  | 'empty.app'
  /**
   * com.example.future: IOS trains 3.1.0 to 3.4.0 each hold a good VALID build (40, 50, 60, 70)
   * and a newer one (41, 51, 61, 71) carrying one value Apple added later; 3.5.0 holds IOS
   * build 80 and WATCH_OS build 81, the app's newest.
   */
  | 'future.app'
  /** IOS 3.5.0 build 80: VALID, IN_BETA_TESTING / BETA_APPROVED, the newest IOS build. */
  | 'future.ios.good'
  /** IOS 3.1.0 build 41: processingState PROCESSING_DEFERRED (beside build 40). */
  | 'future.ios.processingDeferred'
  /** IOS 3.2.0 build 51: internalBuildState READY_FOR_TESTING_EXPRESS (beside build 50). */
  | 'future.ios.internalExpress'
  /** IOS 3.3.0 build 61: externalBuildState IN_BETA_REVIEW_EXPRESS (beside build 60). */
  | 'future.ios.externalExpress'
  /** IOS 3.4.0 build 71: buildAudienceType ENTERPRISE_ONLY (beside build 70). */
  | 'future.ios.enterprise'
  /** WATCH_OS 3.5.0 build 81, the app's newest build. */
  | 'future.watch.build'
  /** A FAILED IOS 3.5.0 upload numbered with 23 digits, no build. */
  | 'future.ios.upload.huge'
  /** com.example.lagging: IOS 5.0.0 build 7 is listed; upload 8 is COMPLETE without a listed build. */
  | 'lagging.app'
  | 'lagging.ios.listed'
  | 'lagging.ios.upload.unlisted'
  /** com.example.clock: IOS 1.0.0 builds 1 and 2, uploaded before and expiring after a change of the clocks. */
  | 'clock.app'
  /** Build 1: across the change before the latest one. */
  | 'clock.ios.earlierChange'
  /** Build 2: across the latest change before the catalogue's `now`. */
  | 'clock.ios.latestChange'

export type Landmarks = Partial<Record<LandmarkName, string>>
