// The App Store side: the build of the newest App Store version in the states asked for (the
// live one, READY_FOR_DISTRIBUTION; the one being prepared, PREPARE_FOR_SUBMISSION...), from
// one request: the app's versions in those states with their builds included. TestFlight's
// rules do not apply there: a build on sale may be long past its TestFlight expiration.
import { instant, type AppStoreVersionResource, type BuildResource } from '../apple/apple-types.js'
import type { AppStoreConnectClient } from '../apple/asc-client.js'
import { readAppStoreVersionsPage } from '../apple/shapes.js'
import { BUILD_FIELDS } from './builds-query.js'
import { withoutUnreadable } from './odd-values.js'
import type { FoundBuild, SearchRequest, SearchResult } from './search-types.js'
import { VERSION_PAGES } from './trains.js'
import { compare, compareVersions, sameVersion } from './versions.js'

/** A version in the states asked for, with the build it ships. */
interface Shipped {
  version: AppStoreVersionResource
  build: FoundBuild
}

/**
 * The build of the newest App Store version (by creation date) in one of the states asked
 * for, on the platform, within app-version and of build-number when given. Versions come in
 * no documented order, so every page is read and the newest is chosen here. With none, one
 * more request lists the states the app's versions are in, for the message.
 */
export async function findAppStoreBuild(
  client: AppStoreConnectClient,
  search: SearchRequest
): Promise<SearchResult> {
  const { appId, filters } = search
  const states = filters.appStoreStates ?? []
  const shipped: Shipped[] = []
  const seen: AppStoreVersionResource[] = []
  for await (const page of appStoreVersionPages(
    client,
    search,
    {
      'filter[appVersionState]': states.join(','),
      include: 'build',
      'fields[appStoreVersions]': `${VERSION_FIELDS},build`,
      'fields[builds]': BUILD_FIELDS
    },
    `listing the App Store versions of app ${appId}`
  )) {
    const builds = new Map(page.builds.map(build => [build.id, build]))
    for (const version of page.data) {
      const attributes = version.attributes ?? {}
      // Re-checked here: Apple's filters have had incidents.
      if (!states.some(state => state === attributes.appVersionState)) continue
      if (filters.platform && attributes.platform !== filters.platform) continue
      seen.push(version)
      const build = builds.get(version.relationships?.build?.data?.id ?? '')
      if (!build) continue
      const found = foundBuild(version, build)
      if (filters.appVersion && !sameVersion(found.appVersion ?? '', filters.appVersion)) continue
      if (filters.buildNumber && found.buildNumber !== filters.buildNumber) continue
      shipped.push({ version, build: found })
    }
  }
  const readable = new Set(withoutUnreadable(shipped.map(entry => entry.build)).builds)
  const newest = shipped
    .filter(entry => readable.has(entry.build))
    .sort((a, b) => newer(a.version, b.version))
    .at(-1)
  return {
    build: newest?.build,
    considered: readable.size,
    blocked: undefined,
    otherPlatforms: [],
    inFlight: [],
    unknownValues: [],
    appStoreVersionsSeen: newest
      ? undefined
      : {
          inStates: seen.length > 0,
          versions: (seen.length > 0
            ? [...seen].sort(newer).reverse()
            : await everyVersion(client, search)
          ).map(describeVersion)
        }
  }
}

/** The build as the outputs read it, its marketing version and platform those of its version. */
function foundBuild(version: AppStoreVersionResource, build: BuildResource): FoundBuild {
  const { versionString, platform, appVersionState } = version.attributes ?? {}
  return {
    id: build.id,
    buildNumber: build.attributes?.version ?? '',
    uploadedDate: build.attributes?.uploadedDate ?? '',
    appVersion: versionString,
    resource: build,
    preReleaseVersion: { version: versionString, platform },
    betaDetail: undefined,
    appStoreVersion: { versionString, state: appVersionState }
  }
}

/** Older first: by creation date (none counts as the oldest), then version, then id. */
function newer(a: AppStoreVersionResource, b: AppStoreVersionResource): number {
  const created = (version: AppStoreVersionResource): number =>
    instant(version.attributes?.createdDate) ?? -Infinity
  return (
    compare(created(a), created(b)) ||
    compareVersions(a.attributes?.versionString ?? '', b.attributes?.versionString ?? '') ||
    compare(a.id, b.id)
  )
}

/** On the not-found path only: every App Store version of the app on the platform. */
async function everyVersion(
  client: AppStoreConnectClient,
  search: SearchRequest
): Promise<AppStoreVersionResource[]> {
  const versions: AppStoreVersionResource[] = []
  for await (const page of appStoreVersionPages(
    client,
    search,
    { 'fields[appStoreVersions]': VERSION_FIELDS },
    `listing every App Store version of app ${search.appId}`
  )) {
    versions.push(...page.data)
  }
  return versions.sort(newer).reverse()
}

/** The fields of a version that both listings read. */
const VERSION_FIELDS = 'platform,versionString,appVersionState,createdDate'

/** The pages of GET /v1/apps/{id}/appStoreVersions with `query`, on the platform asked for. */
function appStoreVersionPages(
  client: AppStoreConnectClient,
  { appId, filters }: SearchRequest,
  query: Record<string, string>,
  purpose: string
) {
  const all: Record<string, string> = { ...query, limit: '200' }
  if (filters.platform) all['filter[platform]'] = filters.platform
  return client.pages(
    client.url(`/v1/apps/${appId}/appStoreVersions`, all),
    purpose,
    readAppStoreVersionsPage,
    VERSION_PAGES
  )
}

/** "3.2 (IOS) WAITING_FOR_REVIEW", for the not-found message. */
function describeVersion(version: AppStoreVersionResource): string {
  const { versionString, platform, appVersionState } = version.attributes ?? {}
  return `${versionString ?? '?'} (${platform ?? '?'}) ${appVersionState ?? 'in no state'}`
}
