// The search: one filtered, sorted request for the builds (more pages only when the rule or
// the client-side checks need them), and what stood in the way when nothing matched.
import { knownPlatform, PLATFORMS, type Platform } from '../apple/apple-types.js'
import type { AppStoreConnectClient } from '../apple/asc-client.js'
import { readBuildsPage } from '../apple/shapes.js'
import { assertAppExists } from './app-lookup.js'
import { pickLatest } from './build-order.js'
import {
  buildsQuery,
  FULL_SCAN_PAGE_SIZE,
  readBuilds,
  UPLOADED_DATE_PAGE_SIZE
} from './builds-query.js'
import { matchesFilters } from './filters.js'
import { withoutUnreadable } from './odd-values.js'
import { readinessBlocker } from './readiness.js'
import { unaskedSpellings } from './trains.js'
import type {
  BlockedBuild,
  BuildFilters,
  FoundBuild,
  SearchRequest,
  SearchResult
} from './search-types.js'

/**
 * The latest matching build of the app. Throws `AppleApiError` for Apple's refusals; a
 * search that finds nothing returns no build, with what stood in the way.
 */
export async function findLatestBuild(
  client: AppStoreConnectClient,
  search: SearchRequest
): Promise<SearchResult> {
  const { appId, filters } = search
  const fullScan = search.latestBy !== 'uploaded-date'
  const asked: BuildFilters = search.watchInFlight
    ? {
        ...filters,
        processingStates: [...new Set([...filters.processingStates, 'PROCESSING' as const])]
      }
    : filters
  const url = client.url(
    '/v1/builds',
    buildsQuery(appId, asked, fullScan ? FULL_SCAN_PAGE_SIZE : UPLOADED_DATE_PAGE_SIZE)
  )
  // Only the best build so far is kept, not every match: a full scan stays one page in memory.
  const result: SearchResult = {
    build: undefined,
    considered: 0,
    blocked: undefined,
    otherPlatforms: [],
    inFlight: [],
    unknownValues: []
  }
  const purpose = `listing the builds of app ${appId}`
  const unknownValues = new Set<string>()
  for await (const page of client.pages(url, purpose, readBuildsPage)) {
    const matches: FoundBuild[] = []
    const blocked: BlockedBuild[] = []
    const readable = withoutUnreadable(readBuilds(page))
    readable.unknown.forEach(value => unknownValues.add(value))
    for (const build of readable.builds) {
      if (!matchesFilters(build.resource, build.preReleaseVersion, asked, search.now)) continue
      if (!matchesFilters(build.resource, build.preReleaseVersion, filters, search.now)) {
        result.inFlight.push(build)
        continue
      }
      const blocker = readinessBlocker(
        filters.readyFor,
        build.resource.attributes?.buildAudienceType,
        build.betaDetail
      )
      if (blocker) blocked.push({ ...build, blocker })
      else matches.push(build)
    }
    result.considered += matches.length
    result.build = pickLatest(search.latestBy, [
      ...(result.build ? [result.build] : []),
      ...matches
    ])
    result.blocked = pickLatest(search.latestBy, [
      ...(result.blocked ? [result.blocked] : []),
      ...blocked
    ])
    // Sorted by upload date, the first page with a real match holds the answer.
    if (!fullScan && result.build) break
  }
  result.unknownValues = [...unknownValues]
  if (result.build || result.blocked) return result
  // A train stored under a spelling the query did not guess (`1.07`): ask again with it.
  if (filters.appVersion !== undefined && filters.storedSpellings === undefined) {
    const storedSpellings = await unaskedSpellings(client, appId, filters.appVersion)
    if (storedSpellings.length > 0) {
      return findLatestBuild(client, { ...search, filters: { ...filters, storedSpellings } })
    }
  }
  if (filters.platform) {
    result.otherPlatforms = await otherPlatformsWithBuilds(client, search)
    if (result.otherPlatforms.length > 0) return result
  }
  if (search.appIdGiven) await assertAppExists(client, appId)
  return result
}

/**
 * On the not-found path only, one request: the platforms other than the one asked for that
 * have builds matching the other filters, so the failure can name the platform to use.
 */
async function otherPlatformsWithBuilds(
  client: AppStoreConnectClient,
  search: SearchRequest
): Promise<Platform[]> {
  const anyPlatform = { ...search.filters, platform: undefined }
  const url = client.url('/v1/builds', buildsQuery(search.appId, anyPlatform, FULL_SCAN_PAGE_SIZE))
  const page = await client.get(
    url,
    `listing the builds of app ${search.appId} on every platform`,
    readBuildsPage
  )
  const platforms = new Set<Platform>()
  for (const build of withoutUnreadable(readBuilds(page)).builds) {
    const platform = knownPlatform(build.preReleaseVersion?.platform)
    if (
      platform &&
      matchesFilters(build.resource, build.preReleaseVersion, anyPlatform, search.now)
    )
      platforms.add(platform)
  }
  return PLATFORMS.filter(platform => platforms.has(platform))
}
