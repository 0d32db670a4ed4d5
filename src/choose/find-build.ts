import { distance } from 'fastest-levenshtein'
import type { BuildResource, CollectionDocument, Platform } from '../apple/apple-types.js'
import type { AppStoreConnectClient } from '../apple/asc-client.js'
import { readAppInstance, readAppsPage, readBuildsPage } from '../apple/shapes.js'
import { ActionError } from '../errors.js'
import { pickLatest } from './build-order.js'
import { filterQuery, matchesFilters, parameterOf } from './filters.js'
import type {
  AppSelector,
  BuildFilters,
  FoundBuild,
  PreReleaseVersionInfo,
  SearchRequest,
  SearchResult
} from './search.js'

/** Only what the outputs use, so that a page of 200 builds stays small. */
const BUILD_FIELDS = [
  'version',
  'uploadedDate',
  'expirationDate',
  'expired',
  'minOsVersion',
  'iconAssetToken',
  'processingState',
  'buildAudienceType',
  'preReleaseVersion'
].join(',')
/** Enough builds to re-check Apple's upload-date order on the client in the same request. */
export const UPLOADED_DATE_PAGE_SIZE = 50
/** Apple's maximum page size: the fewest requests when every build must be seen. */
export const FULL_SCAN_PAGE_SIZE = 200

/**
 * The latest matching build of the app. Throws `AppleApiError` for Apple's refusals; a
 * search that finds nothing returns no build.
 */
export async function findLatestBuild(
  client: AppStoreConnectClient,
  search: SearchRequest
): Promise<SearchResult> {
  const { appId } = search
  const fullScan = search.latestBy === 'build-number'
  const url = client.url('/v1/builds', {
    ...filterQuery(appId, search.filters),
    sort: '-uploadedDate',
    include: 'preReleaseVersion',
    'fields[builds]': BUILD_FIELDS,
    'fields[preReleaseVersions]': 'version,platform',
    limit: String(fullScan ? FULL_SCAN_PAGE_SIZE : UPLOADED_DATE_PAGE_SIZE)
  })

  // Only the best build so far is kept, not every match: a full scan stays one page in memory.
  let best: FoundBuild | undefined
  let considered = 0
  const purpose = `listing the builds of app ${appId}`
  for await (const page of client.pages(url, purpose, readBuildsPage)) {
    const matches = matchingBuilds(page, search.filters, search.now)
    considered += matches.length
    best = pickLatest(search.latestBy, best ? [best, ...matches] : matches)
    // Sorted by upload date, the first page holds the answer, unless Apple ignored a filter
    // and none of it really matched.
    if (!fullScan && considered > 0) break
  }
  if (considered === 0 && search.appIdGiven) {
    await assertAppExists(client, appId)
  }
  return { build: best, considered }
}

function matchingBuilds(
  page: CollectionDocument<BuildResource>,
  filters: BuildFilters,
  now: Date
): FoundBuild[] {
  const preReleaseVersions = new Map<string, PreReleaseVersionInfo>()
  for (const resource of page.included ?? []) {
    if (resource.type !== 'preReleaseVersions') continue
    const attributes = resource.attributes ?? {}
    preReleaseVersions.set(resource.id, {
      version: typeof attributes.version === 'string' ? attributes.version : undefined,
      platform:
        typeof attributes.platform === 'string' ? (attributes.platform as Platform) : undefined
    })
  }
  const found: FoundBuild[] = []
  for (const resource of page.data) {
    const link = resource.relationships?.preReleaseVersion?.data
    const preReleaseVersion = link ? preReleaseVersions.get(link.id) : undefined
    if (!matchesFilters(resource, preReleaseVersion, filters, now)) continue
    found.push({
      id: resource.id,
      buildNumber: resource.attributes?.version ?? '',
      uploadedDate: resource.attributes?.uploadedDate ?? '',
      resource,
      preReleaseVersion
    })
  }
  return found
}

/**
 * The app id of a bundle id. Apple's `filter[bundleId]` also returns longer ids that start
 * the same way (com.acme.app.widget for com.acme.app), so the match is made here, exactly.
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
    sort: 'bundleId',
    'fields[apps]': 'bundleId,name',
    limit: '200'
  })
  for await (const page of client.pages(url, `looking up bundle id ${bundleId}`, readAppsPage)) {
    const match = page.data.find(app => app.attributes?.bundleId === bundleId)
    if (match) return match.id
  }
  // Suggestions are a courtesy: if listing the apps fails, the missing bundle id is still the news.
  const closest = await closestBundleIds(client, bundleId).catch((error: unknown) => {
    if (error instanceof ActionError) return []
    throw error
  })
  const suggestion = closest.length > 0 ? ` The closest it can see: ${closest.join(', ')}.` : ''
  throw new ActionError(
    `No app with bundle id ${bundleId} is visible to this API key: check bundle-id (it must match exactly, case included), or use app-id.${suggestion}`
  )
}

/**
 * On the failure path only: the three bundle ids nearest to the one asked for, among every
 * app the key can see (only those three are kept while paging).
 */
async function closestBundleIds(
  client: AppStoreConnectClient,
  bundleId: string
): Promise<string[]> {
  const url = client.url('/v1/apps', { 'fields[apps]': 'bundleId', limit: '200' })
  const wanted = bundleId.toLowerCase()
  let closest: Array<{ candidate: string; distance: number }> = []
  for await (const page of client.pages(url, 'listing the apps the key can see', readAppsPage)) {
    const candidates = page.data.flatMap(app => {
      const candidate = app.attributes?.bundleId
      return candidate ? [{ candidate, distance: distance(wanted, candidate.toLowerCase()) }] : []
    })
    closest = [...closest, ...candidates]
      .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
      .slice(0, 3)
  }
  return closest.map(({ candidate }) => candidate)
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
