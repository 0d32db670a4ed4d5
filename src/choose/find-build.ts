import { distance } from 'fastest-levenshtein'
import type {
  AppResource,
  BuildResource,
  CollectionDocument,
  Platform
} from '../apple/apple-types.js'
import type { AppStoreConnectClient } from '../apple/asc-client.js'
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

  const matches: FoundBuild[] = []
  for await (const page of client.pages<BuildResource>(url, `listing the builds of app ${appId}`)) {
    matches.push(...matchingBuilds(page, search.filters, search.now))
    // Sorted by upload date, the first page holds the answer, unless Apple ignored a filter
    // and none of it really matched.
    if (!fullScan && matches.length > 0) break
  }
  if (matches.length === 0 && search.appIdGiven) {
    await assertAppExists(client, appId)
  }
  return { build: pickLatest(search.latestBy, matches), considered: matches.length }
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
  for (const resource of page.data ?? []) {
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
  for await (const page of client.pages<AppResource>(url, `looking up bundle id ${bundleId}`)) {
    const match = (page.data ?? []).find(app => app.attributes?.bundleId === bundleId)
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

/** On the failure path only: the bundle ids of every app the key can see, nearest first. */
async function closestBundleIds(
  client: AppStoreConnectClient,
  bundleId: string
): Promise<string[]> {
  const url = client.url('/v1/apps', { 'fields[apps]': 'bundleId', limit: '200' })
  const known: string[] = []
  for await (const page of client.pages<AppResource>(url, 'listing the apps the key can see')) {
    for (const app of page.data ?? [])
      if (app.attributes?.bundleId) known.push(app.attributes.bundleId)
  }
  const wanted = bundleId.toLowerCase()
  return known
    .map(candidate => ({ candidate, distance: distance(wanted, candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate)
}

/** On the not-found path only: tells "no such app" (a 404 with its hint) from "no build matches". */
async function assertAppExists(client: AppStoreConnectClient, appId: string): Promise<void> {
  // A 404 here fails with Apple's answer and the app-id hint.
  await client.get(
    client.url(`/v1/apps/${appId}`, { 'fields[apps]': 'bundleId' }),
    `looking up app ${appId}`
  )
}
