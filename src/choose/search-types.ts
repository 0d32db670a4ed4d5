// Types only: what a search asks for and what it finds, in the action's own terms, shared by
// the inputs that fill a request and the modules that query, re-check and order builds.
import type {
  AppVersionState,
  BuildAudienceType,
  BuildResource,
  Open,
  Platform,
  ProcessingState
} from '../apple/apple-types.js'
import type { BetaDetail, Blocker, ReadyFor } from './readiness.js'

export const LATEST_BY_RULES = ['uploaded-date', 'build-number', 'app-version'] as const
export type LatestBy = (typeof LATEST_BY_RULES)[number]

/** Which builds count; each field left undefined means "any". */
export interface BuildFilters {
  readyFor: ReadyFor
  platform?: Platform
  appVersion?: string
  /**
   * Spellings of the `appVersion` train that Apple stores and the usual ones (`1.4`, `1.4.0`)
   * miss, such as `1.07` for 1.7: found by listing the app's versions when nothing matched.
   */
  storedSpellings?: readonly string[]
  buildNumber?: string
  buildAudienceType?: BuildAudienceType
  processingStates: ProcessingState[]
  includeExpired: boolean
  /**
   * The build of the newest App Store version in one of these states, instead of a TestFlight
   * search: processing-state, include-expired and ready-for do not apply there.
   */
  appStoreStates?: AppVersionState[]
}

export type AppSelector =
  { appId: string; bundleId?: undefined } | { bundleId: string; appId?: undefined }

/** What one search asks for. */
export interface SearchRequest {
  appId: string
  /** Whether the app id came from the user (then a search that finds nothing checks it exists). */
  appIdGiven: boolean
  filters: BuildFilters
  latestBy: LatestBy
  now: Date
  /** Also ask for PROCESSING builds, to see what is still in flight (when waiting). */
  watchInFlight?: boolean
}

/** A build as the ordering needs it. */
export interface Candidate {
  id: string
  buildNumber: string
  uploadedDate: string
  /** The marketing version, from the build's preReleaseVersion. */
  appVersion?: string
}

/** The marketing version and platform of a build, from its included preReleaseVersion. */
export interface PreReleaseVersionInfo {
  version?: string
  platform?: Open<Platform>
}

/** The App Store version a build is attached to, from its included appStoreVersion. */
export interface AppStoreVersionInfo {
  versionString?: string
  /** Its appVersionState. */
  state?: Open<AppVersionState>
}

/** A build that matched, with what the outputs need. */
export interface FoundBuild extends Candidate {
  resource: BuildResource
  preReleaseVersion: PreReleaseVersionInfo | undefined
  betaDetail: BetaDetail | undefined
  /** Where the build stands on the App Store; undefined when attached to no version. */
  appStoreVersion?: AppStoreVersionInfo
}

/** A build that matched the filters but is not ready for what `ready-for` asks. */
export interface BlockedBuild extends FoundBuild {
  blocker: Blocker
}

export interface SearchResult {
  build: FoundBuild | undefined
  /** Matching builds the choice was made among. */
  considered: number
  /** With no build: the latest (by the rule) that matched but was not ready. */
  blocked: BlockedBuild | undefined
  /** With no build and a platform asked for: the other platforms that have matching builds. */
  otherPlatforms: Platform[]
  /** With `watchInFlight`: builds read that match but for being still PROCESSING. */
  inFlight: FoundBuild[]
  /** Values Apple sent that the action does not know (`platform WATCH_OS`), for the not-found message. */
  unknownValues: string[]
  /**
   * With app-store-state and no build: the App Store versions seen ("3.2 (IOS) WAITING_FOR_REVIEW",
   * newest first), those in the states asked for if any (`inStates`), else every one.
   */
  appStoreVersionsSeen?: { inStates: boolean; versions: string[] }
}
