// The next build number by Apple's rules, as upload tools meet them: on macOS a build number
// must be higher than every earlier upload's, across versions; on iOS, tvOS and visionOS it
// must be unique within its marketing version. Every number in use counts: builds in any
// state, expired included, and uploads in every state (a build can be missing from /v1/builds
// for a while after its upload completed, and a FAILED upload keeps its number).
import { DOTTED_NUMBER, type Platform } from '../apple/apple-types.js'
import { readBuildsPage, readPreReleaseVersionsPage } from '../apple/shapes.js'
import type { AppStoreConnectClient } from '../apple/asc-client.js'
import { log } from '../log.js'
import { FULL_SCAN_PAGE_SIZE, readBuilds } from './builds-query.js'
import { filterQuery } from './filters.js'
import type { BuildFilters } from './search-types.js'
import { unaskedSpellings } from './trains.js'
import { listUploads } from './uploads.js'
import { bumpBuildNumber, compareVersions, sameVersion } from './versions.js'

export interface NextBuildNumberRequest {
  appId: string
  platform: Platform | undefined
  /** The marketing version the next upload belongs to, when known. */
  appVersion: string | undefined
  /** The answer when no number is in use, and the lowest answer ever (initial-build-number). */
  initial: string
  /** Spellings of the `appVersion` train beyond the usual ones (see BuildFilters). */
  storedSpellings?: readonly string[]
}

/** A part of a build number longer than this cannot be bumped into one Apple takes. */
const MAX_PART_DIGITS = 18

/** A number in use, and where it was seen, for warnings. */
interface NumberInUse {
  number: string
  where: string
}

/**
 * One more than the highest build number in use (on its last part: "1.4.9" → "1.4.10"), and
 * never below `initial`; `initial` when none is in use. Undefined, with a warning, when no
 * next number can be formed. Costs the builds at 200 a request and the uploads at 200 a
 * request; on any platform within a version, one more to see whether the app has macOS builds.
 */
export async function nextBuildNumber(
  client: AppStoreConnectClient,
  request: NextBuildNumberRequest
): Promise<string | undefined> {
  const acrossVersions =
    request.appVersion === undefined ||
    request.platform === 'MAC_OS' ||
    (request.platform === undefined && (await hasMacOsVersions(client, request.appId)))
  let scope: NextBuildNumberRequest = acrossVersions
    ? { ...request, appVersion: undefined }
    : request
  let inBuilds = await buildNumbersInUse(client, scope)
  if (inBuilds.length === 0 && scope.appVersion !== undefined) {
    const storedSpellings = await unaskedSpellings(client, scope.appId, scope.appVersion)
    if (storedSpellings.length > 0) {
      scope = { ...scope, storedSpellings }
      inBuilds = await buildNumbersInUse(client, scope)
    }
  }
  const uploads = await listUploads(client, scope.appId, {
    platform: scope.platform,
    appVersion: scope.appVersion,
    storedSpellings: scope.storedSpellings
  })
  const inUploads = uploads.map(upload => ({
    number: upload.attributes?.cfBundleVersion ?? '',
    where: `upload ${upload.id} (${upload.attributes?.state?.state ?? 'no state'})`
  }))
  const highest = highestBumpable([...inBuilds, ...inUploads])
  if (highest === undefined) return request.initial
  const next = bumpBuildNumber(highest)
  if (next.split('.').some(part => part.length > MAX_PART_DIGITS)) {
    log.warning(
      `next-build-number is left empty: one more than ${highest}, the highest build number in use, ` +
        `has a part of more than ${MAX_PART_DIGITS} digits. Set the next build number yourself.`
    )
    return undefined
  }
  return compareVersions(next, request.initial) < 0 ? request.initial : next
}

/**
 * The highest of the numbers that can be bumped. A number that is not dot-separated integers,
 * or has a part too long to bump, is left out with a warning that names it: never silently.
 */
function highestBumpable(numbers: readonly NumberInUse[]): string | undefined {
  let highest: string | undefined
  for (const { number, where } of numbers) {
    if (!DOTTED_NUMBER.test(number)) {
      log.warning(
        `next-build-number: left out ${number === '' ? 'a missing build number' : JSON.stringify(number.slice(0, 64))} ` +
          `of ${where}: it is not dot-separated integers.`
      )
    } else if (number.split('.').some(part => part.length > MAX_PART_DIGITS)) {
      log.warning(
        `next-build-number: left out ${number} of ${where}: a part of more than ${MAX_PART_DIGITS} digits ` +
          'cannot be bumped into a number Apple takes.'
      )
    } else if (highest === undefined || compareVersions(number, highest) > 0) {
      highest = number
    }
  }
  return highest
}

/** Whether the app has a macOS version: then numbers must grow across all its versions. */
async function hasMacOsVersions(client: AppStoreConnectClient, appId: string): Promise<boolean> {
  const url = client.url('/v1/preReleaseVersions', {
    'filter[app]': appId,
    'filter[platform]': 'MAC_OS',
    'fields[preReleaseVersions]': 'platform',
    limit: '1'
  })
  const page = await client.get(
    url,
    `looking for macOS versions of app ${appId}`,
    readPreReleaseVersionsPage
  )
  return page.data.length > 0
}

/** The numbers of the app's builds in scope: every state (those Apple adds too), expired included. */
async function buildNumbersInUse(
  client: AppStoreConnectClient,
  { appId, platform, appVersion, storedSpellings }: NextBuildNumberRequest
): Promise<NumberInUse[]> {
  const scope: BuildFilters = {
    processingStates: [],
    includeExpired: true,
    readyFor: 'any',
    platform,
    appVersion,
    storedSpellings
  }
  const url = client.url('/v1/builds', {
    ...filterQuery(appId, scope),
    include: 'preReleaseVersion',
    'fields[builds]': 'version,preReleaseVersion',
    'fields[preReleaseVersions]': 'version,platform',
    limit: String(FULL_SCAN_PAGE_SIZE)
  })
  const numbers: NumberInUse[] = []
  for await (const page of client.pages(
    url,
    `listing every build of app ${appId}`,
    readBuildsPage
  )) {
    for (const build of readBuilds(page)) {
      // Re-checked here: Apple's filters have had incidents.
      const version = build.preReleaseVersion?.version
      if (platform !== undefined && build.preReleaseVersion?.platform !== platform) continue
      if (
        appVersion !== undefined &&
        !(version !== undefined && sameVersion(version, appVersion))
      ) {
        continue
      }
      numbers.push({ number: build.buildNumber, where: `build ${build.id}` })
    }
  }
  return numbers
}
