// The slice of App Store Connect's JSON:API documents this action reads (OpenAPI 4.4.1).

export const PLATFORMS = ['IOS', 'MAC_OS', 'TV_OS', 'VISION_OS'] as const
export type Platform = (typeof PLATFORMS)[number]

export const PROCESSING_STATES = ['VALID', 'PROCESSING', 'FAILED', 'INVALID'] as const
export type ProcessingState = (typeof PROCESSING_STATES)[number]

export const BUILD_AUDIENCE_TYPES = ['APP_STORE_ELIGIBLE', 'INTERNAL_ONLY'] as const
export type BuildAudienceType = (typeof BUILD_AUDIENCE_TYPES)[number]

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
    iconAssetToken?: { templateUrl?: string; width?: number; height?: number } | null
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
