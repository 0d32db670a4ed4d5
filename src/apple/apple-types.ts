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

/** `IOS`, `ios`, `mac_os`, `macos`, `mac-os`... as Apple's platform; undefined if none. */
export function platformOf(given: string): Platform | undefined {
  const wanted = given.toUpperCase().replace(/-/g, '_')
  return PLATFORMS.find(
    platform => platform === wanted || PLATFORM_NAMES[platform].slug.toUpperCase() === wanted
  )
}

export const PROCESSING_STATES = ['VALID', 'PROCESSING', 'FAILED', 'INVALID'] as const
export type ProcessingState = (typeof PROCESSING_STATES)[number]

export const BUILD_AUDIENCE_TYPES = ['APP_STORE_ELIGIBLE', 'INTERNAL_ONLY'] as const
export type BuildAudienceType = (typeof BUILD_AUDIENCE_TYPES)[number]

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
    processingState?: ProcessingState
    buildAudienceType?: BuildAudienceType
  }
  relationships?: {
    preReleaseVersion?: { data?: ResourceIdentifier | null }
  }
}

export interface AppResource {
  type: 'apps'
  id: string
  attributes?: { bundleId?: string; name?: string }
}

export interface CollectionDocument<T> {
  data: T[]
  included?: Array<{ type: string; id: string; attributes?: Record<string, unknown> }>
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
