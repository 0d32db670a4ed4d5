// The slice of App Store Connect's JSON:API documents this action reads (OpenAPI 4.4.1).

export const PLATFORMS = ['IOS', 'MAC_OS', 'TV_OS', 'VISION_OS'] as const
export type Platform = (typeof PLATFORMS)[number]

/** How people write each platform, and the name of its TestFlight pages in App Store Connect. */
export const PLATFORM_NAMES: Record<Platform, { name: string; slug: string }> = {
  IOS: { name: 'iOS', slug: 'ios' },
  MAC_OS: { name: 'macOS', slug: 'macos' },
  TV_OS: { name: 'tvOS', slug: 'tvos' },
  VISION_OS: { name: 'visionOS', slug: 'visionos' }
}

/** A platform as sent, if it is one of Apple's documented ones. */
export function knownPlatform(value: string | undefined): Platform | undefined {
  return isOneOf(PLATFORMS, value) ? value : undefined
}

/** `IOS`, `ios`, `mac_os`, `macos`, `mac-os`... as Apple's platform; undefined if none. */
export function platformOf(given: string): Platform | undefined {
  const wanted = given.toUpperCase().replace(/-/g, '_')
  return PLATFORMS.find(
    platform => platform === wanted || PLATFORM_NAMES[platform].slug.toUpperCase() === wanted
  )
}

/**
 * The form of Apple's enum values: upper-case words. Apple adds values over time, so a value
 * of this form that no list here holds is one Apple added later, not a broken answer.
 */
export const ENUM_VALUE = /^[A-Z][A-Z0-9_]{0,63}$/
/** A version as Apple accepts one: dot-separated integers, as many parts as it has (2.0.67.745). */
export const DOTTED_NUMBER = /^\d{1,64}(\.\d{1,64}){0,15}$/
/** Apple's dates: Pacific time with an offset and no fraction, or UTC with milliseconds. */
export const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

/** Whether `value` is a date of Apple's form that is a real instant. */
export function isIsoDate(value: string): boolean {
  return ISO_8601.test(value) && !Number.isNaN(Date.parse(value))
}

/** A value Apple documents, or one it added later (of ENUM_VALUE's form, once checked). */
export type Open<T extends string> = T | (string & {})

/** Whether `value` is one of `known`: the lists are closed in types, open in answers. */
export function isOneOf<T extends string>(known: readonly T[], value: unknown): value is T {
  return (known as readonly unknown[]).includes(value)
}

export const PROCESSING_STATES = ['VALID', 'PROCESSING', 'FAILED', 'INVALID'] as const
export type ProcessingState = (typeof PROCESSING_STATES)[number]

export const BUILD_AUDIENCE_TYPES = ['APP_STORE_ELIGIBLE', 'INTERNAL_ONLY'] as const
export type BuildAudienceType = (typeof BUILD_AUDIENCE_TYPES)[number]

/** TestFlight states of a build for internal testers (InternalBetaState). */
export const INTERNAL_BUILD_STATES = [
  'PROCESSING',
  'PROCESSING_EXCEPTION',
  'MISSING_EXPORT_COMPLIANCE',
  'READY_FOR_BETA_TESTING',
  'IN_BETA_TESTING',
  'EXPIRED',
  'IN_EXPORT_COMPLIANCE_REVIEW'
] as const
export type InternalBuildState = (typeof INTERNAL_BUILD_STATES)[number]

/** TestFlight states of a build for external testers (ExternalBetaState). */
export const EXTERNAL_BUILD_STATES = [
  ...INTERNAL_BUILD_STATES,
  'READY_FOR_BETA_SUBMISSION',
  'WAITING_FOR_BETA_REVIEW',
  'IN_BETA_REVIEW',
  'BETA_REJECTED',
  'BETA_APPROVED',
  'NOT_APPLICABLE'
] as const
export type ExternalBuildState = (typeof EXTERNAL_BUILD_STATES)[number]

/** Where an upload stands before it is a build (BuildUploadState). */
export const BUILD_UPLOAD_STATES = ['AWAITING_UPLOAD', 'PROCESSING', 'FAILED', 'COMPLETE'] as const
export type BuildUploadState = (typeof BUILD_UPLOAD_STATES)[number]

/** Where an App Store version stands (AppVersionState, the newer of its two state attributes). */
export const APP_VERSION_STATES = [
  'ACCEPTED',
  'DEVELOPER_REJECTED',
  'IN_REVIEW',
  'INVALID_BINARY',
  'METADATA_REJECTED',
  'PENDING_APPLE_RELEASE',
  'PENDING_DEVELOPER_RELEASE',
  'PREPARE_FOR_SUBMISSION',
  'PROCESSING_FOR_DISTRIBUTION',
  'READY_FOR_DISTRIBUTION',
  'READY_FOR_REVIEW',
  'REJECTED',
  'REPLACED_WITH_NEW_VERSION',
  'WAITING_FOR_EXPORT_COMPLIANCE',
  'WAITING_FOR_REVIEW'
] as const
export type AppVersionState = (typeof APP_VERSION_STATES)[number]

/**
 * The older names (appStoreState, deprecated but still documented) of the states whose new
 * name differs; the other states are spelled alike in both enums.
 */
export const OLDER_APP_STORE_STATE_NAMES: Readonly<Record<string, AppVersionState>> = {
  READY_FOR_SALE: 'READY_FOR_DISTRIBUTION',
  PROCESSING_FOR_APP_STORE: 'PROCESSING_FOR_DISTRIBUTION'
}

/** Apple's icon template (`.../{w}x{h}bb.{f}`) with the icon's own size. */
export interface IconAssetToken {
  templateUrl?: string
  width?: number
  height?: number
}

export interface ResourceIdentifier {
  type: string
  id: string
}

export interface BuildResource {
  type: 'builds'
  id: string
  attributes?: {
    version?: string
    uploadedDate?: string
    expirationDate?: string
    expired?: boolean
    minOsVersion?: string
    iconAssetToken?: IconAssetToken | null
    processingState?: Open<ProcessingState>
    buildAudienceType?: Open<BuildAudienceType>
    /** The export compliance answer; null while nobody has answered. */
    usesNonExemptEncryption?: boolean | null
  }
  relationships?: {
    preReleaseVersion?: { data?: ResourceIdentifier | null }
    buildBetaDetail?: { data?: ResourceIdentifier | null }
    appStoreVersion?: { data?: ResourceIdentifier | null }
  }
}

/** An App Store version: a release of the app submitted to, in review at or live on the App Store. */
export interface AppStoreVersionResource {
  type: 'appStoreVersions'
  id: string
  attributes?: {
    platform?: Open<Platform>
    versionString?: string
    appVersionState?: Open<AppVersionState>
    createdDate?: string
  }
  relationships?: {
    build?: { data?: ResourceIdentifier | null }
  }
}

export interface BuildBetaDetailResource {
  type: 'buildBetaDetails'
  id: string
  attributes?: {
    internalBuildState?: Open<InternalBuildState>
    externalBuildState?: Open<ExternalBuildState>
  }
}

/** One of Apple's StateDetail entries: why an upload failed, or what it warns about. */
export interface StateDetail {
  code?: string
  description?: string
}

export interface BuildUploadResource {
  type: 'buildUploads'
  id: string
  attributes?: {
    cfBundleVersion?: string
    cfBundleShortVersionString?: string
    platform?: Open<Platform>
    createdDate?: string
    /** Absent while the upload is AWAITING_UPLOAD. */
    uploadedDate?: string
    state?: {
      state?: Open<BuildUploadState>
      errors?: StateDetail[]
      warnings?: StateDetail[]
      infos?: StateDetail[]
    }
  }
  relationships?: {
    build?: { data?: ResourceIdentifier | null }
  }
}

export interface AppResource {
  type: 'apps'
  id: string
  attributes?: { bundleId?: string; name?: string }
}

/** A resource among `included`, with the one relationship the action reads of it. */
export interface IncludedResource {
  type: string
  id: string
  attributes?: Record<string, unknown>
  relationships?: { build?: { data?: ResourceIdentifier | null } }
}

export interface CollectionDocument<T> {
  data: T[]
  included?: IncludedResource[]
  links?: { self?: string; next?: string }
  meta?: { paging?: { total?: number; limit?: number } }
}

export interface InstanceDocument<T> {
  data: T
}

/**
 * An ISO 8601 date from Apple as milliseconds, or undefined when absent or unreadable.
 * Apple's dates carry varying offsets (-07:00, -08:00), so they are compared as instants.
 */
export function instant(date: string | undefined): number | undefined {
  const time = Date.parse(date ?? '')
  return Number.isNaN(time) ? undefined : time
}
