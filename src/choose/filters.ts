// The user's filters in three forms: Apple's query parameters, a client-side re-check of
// what Apple returned, and words for logs and errors.
import type { BuildResource, Platform } from '../apple/apple-types.js'
import type { BuildFilters, LatestBy } from './search.js'

/** `filter[...]` parameters of `GET /v1/builds` for the user's filters. */
export function buildFilterQuery(appId: string, filters: BuildFilters): Record<string, string> {
  const query: Record<string, string> = {
    'filter[app]': appId,
    'filter[processingState]': filters.processingStates.join(',')
  }
  if (!filters.includeExpired) query['filter[expired]'] = 'false'
  if (filters.platform) query['filter[preReleaseVersion.platform]'] = filters.platform
  if (filters.appVersion) query['filter[preReleaseVersion.version]'] = filters.appVersion
  if (filters.buildNumber) query['filter[version]'] = filters.buildNumber
  if (filters.buildAudienceType) query['filter[buildAudienceType]'] = filters.buildAudienceType
  return query
}

export interface PreReleaseVersionInfo {
  version?: string
  platform?: Platform
}

/**
 * Whether a build Apple returned really matches. Apple's filtering has had incidents, and
 * a build past its expiration date can still say `expired: false` for a while.
 */
export function buildMatches(
  build: BuildResource,
  preRelease: PreReleaseVersionInfo | undefined,
  filters: BuildFilters,
  now: Date
): boolean {
  const attributes = build.attributes ?? {}
  if (
    !attributes.processingState ||
    !filters.processingStates.includes(attributes.processingState)
  ) {
    return false
  }
  if (!filters.includeExpired && isExpired(build, now)) return false
  if (filters.buildNumber !== undefined && attributes.version !== filters.buildNumber) return false
  if (
    filters.buildAudienceType !== undefined &&
    attributes.buildAudienceType !== filters.buildAudienceType
  ) {
    return false
  }
  if (filters.platform !== undefined && preRelease?.platform !== filters.platform) return false
  if (filters.appVersion !== undefined && preRelease?.version !== filters.appVersion) return false
  return true
}

/** Expired by Apple's flag, or by its expiration date having passed. */
export function isExpired(build: BuildResource, now: Date): boolean {
  const attributes = build.attributes ?? {}
  if (attributes.expired === true) return true
  const expiration = Date.parse(attributes.expirationDate ?? '')
  return !Number.isNaN(expiration) && expiration <= now.getTime()
}

/** "processing state VALID, not expired, platform IOS", for logs and errors. */
export function describeFilters(filters: BuildFilters): string {
  const parts = [`processing state ${filters.processingStates.join(' or ')}`]
  parts.push(filters.includeExpired ? 'expired or not' : 'not expired')
  if (filters.platform) parts.push(`platform ${filters.platform}`)
  if (filters.appVersion) parts.push(`app version ${filters.appVersion}`)
  if (filters.buildNumber) parts.push(`build number ${filters.buildNumber}`)
  if (filters.buildAudienceType) parts.push(`audience ${filters.buildAudienceType}`)
  return parts.join(', ')
}

export function describeRule(rule: LatestBy): string {
  return rule === 'uploaded-date' ? 'most recently uploaded' : 'highest build number'
}
