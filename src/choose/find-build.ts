// The search: one filtered, sorted request for the builds (more pages only when the rule or
// the client-side checks need them), and the app behind a bundle id.
import { distance } from 'fastest-levenshtein'
import {
  knownPlatform,
  PLATFORMS,
  type BuildResource,
  type CollectionDocument,
  type IncludedResource,
  type Platform
} from '../apple/apple-types.js'
import type { AppStoreConnectClient } from '../apple/asc-client.js'
import { readAppInstance, readAppsPage, readBuildsPage } from '../apple/shapes.js'
import { ActionError } from '../errors.js'
import { log } from '../log.js'
import { pickLatest } from './build-order.js'
import { filterQuery, matchesFilters, parameterOf } from './filters.js'
import { withoutUnreadable } from './odd-values.js'
import { readinessBlocker, type BetaDetail } from './readiness.js'
import { unaskedSpellings } from './trains.js'
import type {
  AppSelector,
  AppStoreVersionInfo,
  BlockedBuild,
  BuildFilters,
  FoundBuild,
  PreReleaseVersionInfo,
  SearchRequest,
  SearchResult
} from './search-types.js'

/** Only what the outputs and the checks use, so that a page of 200 builds stays small. */
export const BUILD_FIELDS = [
  'version',
  'uploadedDate',
  'expirationDate',
  'expired',
  'minOsVersion',
  'iconAssetToken',
  'processingState',
  'buildAudienceType',
  'usesNonExemptEncryption',
  'preReleaseVersion',
  'buildBetaDetail',
  'appStoreVersion'
].join(',')
/** Enough builds to re-check Apple's upload-date order on the client in the same request. */
export const UPLOADED_DATE_PAGE_SIZE = 50
/** Apple's maximum page size: the fewest requests when every build must be seen. */
export const FULL_SCAN_PAGE_SIZE = 200

/** The query of `GET /v1/builds` for a search: the filters, sorted, with what the checks read. */
export function buildsQuery(
  appId: string,
  filters: BuildFilters,
  pageSize: number
): Record<string, string> {
  return {
    ...filterQuery(appId, filters),
    sort: '-uploadedDate',
    include: 'preReleaseVersion,buildBetaDetail,appStoreVersion',
    'fields[builds]': BUILD_FIELDS,
    'fields[preReleaseVersions]': 'version,platform',
    'fields[buildBetaDetails]': 'internalBuildState,externalBuildState',
    'fields[appStoreVersions]': 'versionString,appVersionState',
    limit: String(pageSize)
  }
}

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

/** The builds of a page with their included marketing version, platform and TestFlight state. */
export function readBuilds(page: CollectionDocument<BuildResource>): FoundBuild[] {
  const preReleaseVersions = new Map<string, PreReleaseVersionInfo>()
  const appStoreVersions = new Map<string, AppStoreVersionInfo>()
  const betaDetails: IncludedResource[] = []
  for (const resource of page.included ?? []) {
    const attributes = resource.attributes ?? {}
    if (resource.type === 'appStoreVersions') {
      appStoreVersions.set(resource.id, {
        versionString: text(attributes.versionString),
        state: text(attributes.appVersionState)
      })
    } else if (resource.type === 'preReleaseVersions') {
      preReleaseVersions.set(resource.id, {
        version: text(attributes.version),
        // As sent: a platform Apple added later matches no filter (filters.ts).
        platform: text(attributes.platform)
      })
    } else if (resource.type === 'buildBetaDetails') {
      betaDetails.push(resource)
    }
  }
  return (page.data ?? []).map(resource => {
    const preReleaseId = resource.relationships?.preReleaseVersion?.data?.id
    const preReleaseVersion = preReleaseId ? preReleaseVersions.get(preReleaseId) : undefined
    const appStoreId = resource.relationships?.appStoreVersion?.data?.id
    const appStoreVersion = appStoreId ? appStoreVersions.get(appStoreId) : undefined
    return {
      id: resource.id,
      buildNumber: resource.attributes?.version ?? '',
      uploadedDate: resource.attributes?.uploadedDate ?? '',
      appVersion: preReleaseVersion?.version,
      resource,
      preReleaseVersion,
      betaDetail: betaDetailOf(resource, betaDetails),
      ...(appStoreVersion ? { appStoreVersion } : {})
    }
  })
}

/** An included attribute that is text, else undefined. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** Builds already warned about, so that a wait's polls say it once. */
const conflictsWarned = new Set<string>()

/**
 * The TestFlight detail of a build, by its links only: the one the build's relationship names
 * (unless that detail names another build), and any whose own `build` link names this build.
 * Details that disagree make the build not ready: none of them can be trusted.
 */
function betaDetailOf(
  build: BuildResource,
  details: readonly IncludedResource[]
): BetaDetail | undefined {
  const named = build.relationships?.buildBetaDetail?.data?.id
  const linked = details.filter(detail => {
    const ownBuild = detail.relationships?.build?.data?.id
    return ownBuild === build.id || (detail.id === named && ownBuild === undefined)
  })
  const states = [
    ...new Set(
      linked.map(
        ({ attributes }) =>
          `internal ${text(attributes?.internalBuildState) ?? 'none'}, external ${text(attributes?.externalBuildState) ?? 'none'}`
      )
    )
  ]
  if (states.length > 1) {
    if (!conflictsWarned.has(build.id)) {
      conflictsWarned.add(build.id)
      log.warning(
        `App Store Connect sent ${linked.length} TestFlight details for build ${build.attributes?.version ?? '?'} (${build.id}) ` +
          `that disagree (${states.join('; ')}): it counts as not ready in TestFlight until they agree.`
      )
    }
    return { conflicting: true }
  }
  return linked[0]?.attributes
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

/**
 * The app id of a bundle id. Apple's `filter[bundleId]` also returns longer ids that start
 * the same way (com.acme.app.widget for com.acme.app), so the match is made here, exactly;
 * and as that filter has failed before, an empty answer is checked against every app.
 */
export async function resolveAppId(
  client: AppStoreConnectClient,
  app: AppSelector
): Promise<string> {
  return app.appId ?? resolveBundleId(client, app.bundleId)
}

async function resolveBundleId(client: AppStoreConnectClient, bundleId: string): Promise<string> {
  const url = client.url('/v1/apps', {
    [parameterOf('bundle-id')]: bundleId,
    'fields[apps]': 'bundleId,name',
    limit: '200'
  })
  for await (const page of client.pages(url, `looking up bundle id ${bundleId}`, readAppsPage)) {
    const match = page.data.find(app => app.attributes?.bundleId === bundleId)
    if (match) return match.id
  }
  // If listing every app fails, the missing bundle id is still the news.
  const everyApp = await searchEveryApp(client, bundleId).catch((error: unknown) => {
    if (error instanceof ActionError) return { match: undefined, closest: [] }
    throw error
  })
  if (everyApp.match) return everyApp.match
  const { closest } = everyApp
  const suggestion = closest.length > 0 ? ` The closest it can see: ${closest.join(', ')}.` : ''
  throw new ActionError(
    `No app with bundle id ${bundleId} is visible to this API key: check bundle-id (it must match exactly, case included), or use app-id.${suggestion}`
  )
}

/**
 * On the not-found path only: the app with exactly this bundle id among every app the key
 * can see, else the three bundle ids nearest to it (only those are kept while paging).
 */
async function searchEveryApp(
  client: AppStoreConnectClient,
  bundleId: string
): Promise<{ match: string | undefined; closest: string[] }> {
  const url = client.url('/v1/apps', { 'fields[apps]': 'bundleId', limit: '200' })
  const wanted = bundleId.toLowerCase()
  let closest: Array<{ candidate: string; distance: number }> = []
  for await (const page of client.pages(url, 'listing the apps the key can see', readAppsPage)) {
    const match = page.data.find(app => app.attributes?.bundleId === bundleId)
    if (match) return { match: match.id, closest: [] }
    const candidates = page.data.flatMap(app => {
      const candidate = app.attributes?.bundleId
      return candidate ? [{ candidate, distance: distance(wanted, candidate.toLowerCase()) }] : []
    })
    closest = [...closest, ...candidates]
      .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
      .slice(0, 3)
  }
  return { match: undefined, closest: closest.map(({ candidate }) => candidate) }
}

/** On the not-found path only: tells "no such app" (a 404 with its hint) from "no build matches". */
async function assertAppExists(client: AppStoreConnectClient, appId: string): Promise<void> {
  // A 404 here fails with Apple's answer and the app-id hint.
  await client.get(
    client.url(`/v1/apps/${appId}`, { 'fields[apps]': 'bundleId' }),
    `looking up app ${appId}`,
    readAppInstance
  )
}
