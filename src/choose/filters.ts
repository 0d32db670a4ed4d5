// The user's filters in three forms: Apple's query parameters, a client-side re-check of
// what Apple returned, and words for logs and errors.
import { instant, isOneOf, knownPlatform, type BuildResource } from '../apple/apple-types.js'
import { describeReadyFor } from './readiness.js'
import type { BuildFilters, LatestBy, PreReleaseVersionInfo } from './search-types.js'
import { sameVersion, trainSpellings } from './versions.js'

/**
 * The query parameter each input fills: the one table of both names, for the queries and
 * for naming the input whose value Apple refused.
 */
const PARAMETER_OF_INPUT = {
  'app-id': 'filter[app]',
  'bundle-id': 'filter[bundleId]',
  platform: 'filter[preReleaseVersion.platform]',
  'app-version': 'filter[preReleaseVersion.version]',
  'build-number': 'filter[version]',
  'build-audience-type': 'filter[buildAudienceType]',
  'processing-state': 'filter[processingState]',
  'include-expired': 'filter[expired]'
} as const
type FilterInput = keyof typeof PARAMETER_OF_INPUT

/** The input behind a query parameter, e.g. `filter[version]` → `build-number`. */
export function inputBehindParameter(parameter: string): string | undefined {
  const entry = Object.entries(PARAMETER_OF_INPUT).find(([, name]) => name === parameter)
  return entry?.[0]
}

/** The query parameter an input fills, e.g. `bundle-id` → `filter[bundleId]`. */
export function parameterOf(input: FilterInput): string {
  return PARAMETER_OF_INPUT[input]
}

/** `filter[...]` parameters of `GET /v1/builds` for the user's filters. */
export function filterQuery(appId: string, filters: BuildFilters): Record<string, string> {
  const values: Partial<Record<FilterInput, string>> = {
    'app-id': appId,
    // None listed: every state, those Apple adds later included.
    'processing-state': filters.processingStates.join(',') || undefined,
    'include-expired': filters.includeExpired ? undefined : 'false',
    platform: filters.platform,
    // Apple finds a train only by the spelling uploaded first: ask for every spelling.
    'app-version':
      filters.appVersion && trainSpellings(filters.appVersion, filters.storedSpellings).join(','),
    'build-number': filters.buildNumber,
    'build-audience-type': filters.buildAudienceType
  }
  const query: Record<string, string> = {}
  for (const [input, value] of Object.entries(values) as Array<[FilterInput, string?]>) {
    if (value !== undefined) query[PARAMETER_OF_INPUT[input]] = value
  }
  return query
}

/**
 * Whether a build Apple returned really matches. Apple's filtering has had incidents, and
 * a build past its expiration date can still say `expired: false` for a while.
 */
export function matchesFilters(
  build: BuildResource,
  preRelease: PreReleaseVersionInfo | undefined,
  filters: BuildFilters,
  now: Date
): boolean {
  const attributes = build.attributes ?? {}
  if (!isOneOf(filters.processingStates, attributes.processingState)) return false
  if (!filters.includeExpired && isExpired(build, now)) return false
  if (filters.buildNumber !== undefined && attributes.version !== filters.buildNumber) return false
  if (
    filters.buildAudienceType !== undefined &&
    attributes.buildAudienceType !== filters.buildAudienceType
  ) {
    return false
  }
  if (filters.platform !== undefined && preRelease?.platform !== filters.platform) return false
  // Any platform is any platform Apple documents: one added later is nobody's answer yet.
  if (preRelease?.platform !== undefined && !knownPlatform(preRelease.platform)) return false
  if (
    filters.appVersion !== undefined &&
    (preRelease?.version === undefined || !sameVersion(preRelease.version, filters.appVersion))
  ) {
    return false
  }
  return true
}

/** Expired by Apple's flag, or by its expiration date having passed. */
export function isExpired(build: BuildResource, now: Date): boolean {
  const attributes = build.attributes ?? {}
  if (attributes.expired === true) return true
  const expiration = instant(attributes.expirationDate)
  return expiration !== undefined && expiration <= now.getTime()
}

/** "processing state VALID, not expired, platform IOS", for logs and errors. */
export function describeFilters(filters: BuildFilters): string {
  const parts = filters.appStoreStates
    ? [`App Store state ${filters.appStoreStates.join(' or ')}`]
    : [
        `processing state ${filters.processingStates.join(' or ')}`,
        filters.includeExpired ? 'expired or not' : 'not expired'
      ]
  if (filters.platform) parts.push(`platform ${filters.platform}`)
  if (filters.appVersion) parts.push(`app version ${filters.appVersion}`)
  if (filters.buildNumber) parts.push(`build number ${filters.buildNumber}`)
  if (filters.buildAudienceType) parts.push(`audience ${filters.buildAudienceType}`)
  const readiness = describeReadyFor(filters.readyFor)
  if (readiness) parts.push(readiness)
  return parts.join(', ')
}

const RULE_WORDS: Record<LatestBy, string> = {
  'uploaded-date': 'most recently uploaded',
  'build-number': 'highest-numbered',
  'app-version': 'highest-numbered of the highest app version'
}

/** "most recently uploaded", or, with app-store-state, "newest App Store version's". */
export function describeRule(rule: LatestBy, filters: BuildFilters): string {
  return filters.appStoreStates ? "newest App Store version's" : RULE_WORDS[rule]
}
