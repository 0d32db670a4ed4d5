// The next build number: one more than every number the app has used on the platform, in
// builds (any state, expired included) and in uploads not yet, or never, a build.
import { PROCESSING_STATES, type Platform } from '../apple/apple-types.js'
import { readBuildsPage } from '../apple/shapes.js'
import type { AppStoreConnectClient } from '../apple/asc-client.js'
import { FULL_SCAN_PAGE_SIZE, readBuilds } from './find-build.js'
import { filterQuery, matchesFilters } from './filters.js'
import type { BuildFilters } from './search.js'
import { unaskedSpellings } from './trains.js'
import { listUploads, UNFINISHED_UPLOAD_STATES } from './uploads.js'
import { bumpBuildNumber, compareVersions } from './versions.js'

export interface NextBuildNumberRequest {
  appId: string
  platform: Platform | undefined
  /** Within this marketing version only, when set (teams that reset numbers per version). */
  appVersion: string | undefined
  /** Spellings of the `appVersion` train beyond the usual ones (see BuildFilters). */
  storedSpellings?: readonly string[]
}

/**
 * The highest build number in use, bumped on its last part ("1.4.9" → "1.4.10"), or "1"
 * for an app with none. Costs the builds pages at 200 a page plus one uploads request;
 * within an `appVersion` that has no build, one more to look for the train under another
 * spelling (`1.07`), and the builds again if it is there.
 */
export async function nextBuildNumber(
  client: AppStoreConnectClient,
  request: NextBuildNumberRequest,
  now: Date
): Promise<string> {
  let numbers = await buildNumbersInUse(client, request, now)
  if (numbers.length === 0 && request.appVersion !== undefined) {
    const storedSpellings = await unaskedSpellings(client, request.appId, request.appVersion)
    if (storedSpellings.length > 0) {
      request = { ...request, storedSpellings }
      numbers = await buildNumbersInUse(client, request, now)
    }
  }
  const used = [
    ...numbers,
    ...(await listUploads(client, request.appId, {
      platform: request.platform,
      appVersion: request.appVersion,
      storedSpellings: request.storedSpellings,
      states: UNFINISHED_UPLOAD_STATES
    }).then(uploads => uploads.map(upload => upload.attributes?.cfBundleVersion ?? '')))
  ].filter(number => /^\d+(\.\d+){0,2}$/.test(number))
  const highest = used.reduce<string | undefined>(
    (best, number) => (best === undefined || compareVersions(number, best) > 0 ? number : best),
    undefined
  )
  return highest === undefined ? '1' : bumpBuildNumber(highest)
}

async function buildNumbersInUse(
  client: AppStoreConnectClient,
  { appId, platform, appVersion, storedSpellings }: NextBuildNumberRequest,
  now: Date
): Promise<string[]> {
  const everyBuild: BuildFilters = {
    processingStates: [...PROCESSING_STATES],
    includeExpired: true,
    readyFor: 'any',
    platform,
    appVersion,
    storedSpellings
  }
  const url = client.url('/v1/builds', {
    ...filterQuery(appId, everyBuild),
    include: 'preReleaseVersion',
    'fields[builds]': 'version,processingState,preReleaseVersion',
    'fields[preReleaseVersions]': 'version,platform',
    limit: String(FULL_SCAN_PAGE_SIZE)
  })
  const numbers: string[] = []
  for await (const page of client.pages(
    url,
    `listing every build of app ${appId}`,
    readBuildsPage
  )) {
    for (const build of readBuilds(page)) {
      if (matchesFilters(build.resource, build.preReleaseVersion, everyBuild, now)) {
        numbers.push(build.buildNumber)
      }
    }
  }
  return numbers
}
