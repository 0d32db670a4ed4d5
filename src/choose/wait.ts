// Waiting for the build that was just uploaded: find what to wait for, then poll until it
// matches, fails, or time runs out. An upload is a `buildUploads` resource first, then a
// PROCESSING build, then VALID (or INVALID, FAILED) and later ready in TestFlight.
import {
  instant,
  knownPlatform,
  PROCESSING_STATES,
  type BuildUploadResource,
  type Platform
} from '../apple/apple-types.js'
import type { AppStoreConnectClient } from '../apple/asc-client.js'
import { readBuildsPage } from '../apple/shapes.js'
import { duration } from '../duration.js'
import { ActionError } from '../errors.js'
import { pickLatest } from './build-order.js'
import { buildsQuery, readBuilds, UPLOADED_DATE_PAGE_SIZE } from './builds-query.js'
import { findLatestBuild } from './find-build.js'
import { describeFilters, isExpired, matchesFilters } from './filters.js'
import { withoutUnreadable } from './odd-values.js'
import { readinessBlocker } from './readiness.js'
import type { BuildFilters, FoundBuild, SearchRequest, SearchResult } from './search-types.js'
import { listUploads } from './uploads.js'
import { sameVersion } from './versions.js'

export interface WaitOptions {
  /** How long to wait at most; above 0. */
  waitMs: number
  /** Time between polls, at least. */
  intervalMs: number
  now: () => Date
  info: (line: string) => void
}

export interface WaitOutcome {
  result: SearchResult
  /** From the first poll to the answer. */
  waitedMs: number
  /** Set when time ran out: what was waited for, its last state, and for how long. */
  timedOut?: string
}

/** The build waited for: its number, and where known its platform and marketing version. */
interface Target {
  buildNumber: string
  platform?: Platform
  appVersion?: string
}

/** One look at the target. */
type Observation =
  | { kind: 'found'; result: SearchResult }
  | { kind: 'waiting'; state: string; target: Target }
  | { kind: 'failed'; message: string }

/** At most this many requests a poll: the builds, then (no build yet) the uploads. */
const REQUESTS_PER_POLL = 2
const HEARTBEAT_MS = 5 * 60 * 1000

/**
 * The build to answer with, waiting for it as the inputs say: with a build number, that
 * build; without, the newest upload if it is still in flight (one uploads request to see);
 * else the answer of today, at once. An upload or build that ends FAILED or INVALID, or a
 * TestFlight state that needs a person, ends the wait with an ActionError.
 */
export async function waitForBuild(
  client: AppStoreConnectClient,
  search: SearchRequest,
  options: WaitOptions
): Promise<WaitOutcome> {
  const { now, info } = options
  let target: Target | undefined
  if (search.filters.buildNumber !== undefined) {
    target = {
      buildNumber: search.filters.buildNumber,
      platform: search.filters.platform,
      appVersion: search.filters.appVersion
    }
  } else {
    const first = await findLatestBuild(client, { ...search, watchInFlight: true })
    target = await newestInFlight(client, search, first)
    if (!target) return { result: first, waitedMs: 0 }
  }

  const started = now().getTime()
  const deadline = started + options.waitMs
  const elapsed = (): string => duration(now().getTime() - started)
  let state: string | undefined
  let stateSince = started
  let lastLine = started
  for (let poll = 0; ; poll++) {
    const observation = await observe(client, { ...search, now: now() }, target)
    if (observation.kind === 'found') {
      if (poll > 0) info(`${label(target)} is ready after ${elapsed()}.`)
      // Found at the first look: no wait at all, however long that one request took.
      return { result: observation.result, waitedMs: poll === 0 ? 0 : now().getTime() - started }
    }
    if (observation.kind === 'failed') throw new ActionError(observation.message)
    target = inSpellingShown(target, observation.target)
    if (poll === 0) {
      info(
        `Waiting up to ${duration(options.waitMs)} for ${label(target)} of app ${search.appId} to match ` +
          `${describeFilters(search.filters)}; it is ${observation.state}. Checking every ${duration(options.intervalMs)}.`
      )
      lastLine = now().getTime()
    } else if (observation.state !== state) {
      info(`${label(target)}: ${state} -> ${observation.state}, ${elapsed()}`)
      stateSince = lastLine = now().getTime()
    } else if (now().getTime() - lastLine >= HEARTBEAT_MS) {
      info(`${label(target)}: still ${state} after ${elapsed()}`)
      lastLine = now().getTime()
    }
    state = observation.state
    const pause = pollInterval(options.intervalMs, deadline - now().getTime(), client)
    if (now().getTime() + pause > deadline) {
      return {
        result: notFound(),
        waitedMs: now().getTime() - started,
        timedOut:
          `Waited ${elapsed()} (wait-minutes) for ${label(target)} of app ${search.appId}; ` +
          `its last state was ${state}, for ${duration(now().getTime() - stateSince)}. ` +
          'Raise wait-minutes, or check the upload in App Store Connect.'
      }
    }
    await client.sleep(pause)
  }
}

/**
 * The newest upload or build, newer than the answer of today, that is still on its way:
 * an upload AWAITING_UPLOAD or PROCESSING, a build PROCESSING, or a build whose TestFlight
 * state passes by itself.
 */
async function newestInFlight(
  client: AppStoreConnectClient,
  search: SearchRequest,
  first: SearchResult
): Promise<Target | undefined> {
  const answeredAt = instant(first.build?.uploadedDate) ?? -Infinity
  const candidates: Array<{ at: number; target: Target }> = []
  const builds = [...first.inFlight]
  if (first.blocked?.blocker.resolvesByItself) builds.push(first.blocked)
  for (const build of builds) {
    candidates.push({ at: instant(build.uploadedDate) ?? Infinity, target: targetOf(build) })
  }
  const uploads = await listUploads(client, search.appId, {
    platform: search.filters.platform,
    appVersion: search.filters.appVersion,
    states: ['AWAITING_UPLOAD', 'PROCESSING']
  })
  for (const upload of uploads) {
    const attributes = upload.attributes ?? {}
    const platform = knownPlatform(attributes.platform)
    // A platform Apple added later is not one anybody waits for.
    if (!attributes.cfBundleVersion || (attributes.platform && !platform)) continue
    candidates.push({
      at: instant(attributes.uploadedDate ?? attributes.createdDate) ?? Infinity,
      target: {
        buildNumber: attributes.cfBundleVersion,
        platform,
        appVersion: attributes.cfBundleShortVersionString
      }
    })
  }
  const newer = candidates.filter(candidate => candidate.at > answeredAt)
  newer.sort((a, b) => b.at - a.at)
  return newer[0]?.target
}

function targetOf(build: FoundBuild): Target {
  return {
    buildNumber: build.buildNumber,
    platform: knownPlatform(build.preReleaseVersion?.platform),
    appVersion: build.appVersion
  }
}

/**
 * One poll: the target's builds in every state (one request); if none is visible yet, its
 * uploads (one more).
 */
async function observe(
  client: AppStoreConnectClient,
  search: SearchRequest,
  target: Target
): Promise<Observation> {
  const wanted: BuildFilters = {
    ...search.filters,
    buildNumber: target.buildNumber,
    platform: target.platform ?? search.filters.platform
  }
  const anyState: BuildFilters = {
    ...wanted,
    processingStates: [...PROCESSING_STATES],
    includeExpired: true,
    readyFor: 'any'
  }
  const page = await client.get(
    client.url('/v1/builds', buildsQuery(search.appId, anyState, UPLOADED_DATE_PAGE_SIZE)),
    `looking for build ${target.buildNumber} of app ${search.appId}`,
    readBuildsPage
  )
  const builds = withoutUnreadable(readBuilds(page)).builds.filter(build =>
    matchesFilters(build.resource, build.preReleaseVersion, anyState, search.now)
  )
  const ready = builds.filter(
    build =>
      matchesFilters(build.resource, build.preReleaseVersion, wanted, search.now) &&
      !readinessBlocker(
        wanted.readyFor,
        build.resource.attributes?.buildAudienceType,
        build.betaDetail
      )
  )
  if (ready.length > 0) {
    return {
      kind: 'found',
      result: { ...notFound(), build: pickLatest(search.latestBy, ready), considered: ready.length }
    }
  }
  const newest = pickLatest('uploaded-date', builds)
  if (newest) return buildState(client, search, wanted, newest)
  const uploads = await listUploads(client, search.appId, {
    platform: target.platform,
    buildNumber: target.buildNumber
  })
  return uploadState(target, newestUpload(uploads))
}

/** Where a visible build of the target stands: still on its way, or at an end. */
async function buildState(
  client: AppStoreConnectClient,
  search: SearchRequest,
  wanted: BuildFilters,
  build: FoundBuild
): Promise<Observation> {
  const target = targetOf(build)
  const state = build.resource.attributes?.processingState ?? 'unknown'
  if (state === 'PROCESSING') return { kind: 'waiting', state: 'build PROCESSING', target }
  const name = label(target)
  if (!wanted.processingStates.includes(state as never)) {
    const uploads = await listUploads(client, search.appId, {
      platform: target.platform,
      buildNumber: target.buildNumber
    })
    return {
      kind: 'failed',
      message: `${name} of app ${search.appId} ended ${state}.${reasons(newestUpload(uploads))}`
    }
  }
  if (!wanted.includeExpired && isExpired(build.resource, search.now)) {
    return { kind: 'failed', message: `${name} of app ${search.appId} has expired in TestFlight.` }
  }
  // In a wanted state and not expired, the build matches the filters (it was looked for by
  // them): were it ready as well, it would have been found. Only its readiness stands.
  const blocker = readinessBlocker(
    wanted.readyFor,
    build.resource.attributes?.buildAudienceType,
    build.betaDetail
  )!
  if (blocker.resolvesByItself) {
    return { kind: 'waiting', state: `build ${state}, ${blocker.state}`, target }
  }
  return {
    kind: 'failed',
    message: `${name} of app ${search.appId} is not ready: ${blocker.state}; ${blocker.advice}`
  }
}

/** Where the target stands before it is a build. */
function uploadState(target: Target, upload: BuildUploadResource | undefined): Observation {
  if (!upload) return { kind: 'waiting', state: 'not visible yet', target }
  const attributes = upload.attributes ?? {}
  const seen: Target = {
    buildNumber: target.buildNumber,
    platform: knownPlatform(attributes.platform) ?? target.platform,
    appVersion: attributes.cfBundleShortVersionString ?? target.appVersion
  }
  const state = attributes.state?.state ?? 'unknown'
  if (state === 'FAILED') {
    return { kind: 'failed', message: `The upload of ${label(seen)} FAILED.${reasons(upload)}` }
  }
  return { kind: 'waiting', state: `upload ${state}`, target: seen }
}

/** " Apple says: ...; ..." from an upload's state errors, or nothing. */
function reasons(upload: BuildUploadResource | undefined): string {
  const errors = upload?.attributes?.state?.errors ?? []
  const said = errors.map(error => error.description ?? error.code).filter(Boolean)
  return said.length > 0 ? ` Apple says: ${said.join('; ')}` : ''
}

function newestUpload(uploads: BuildUploadResource[]): BuildUploadResource | undefined {
  const time = (upload: BuildUploadResource): number =>
    instant(upload.attributes?.uploadedDate ?? upload.attributes?.createdDate) ?? -Infinity
  return uploads.reduce<BuildUploadResource | undefined>(
    (best, upload) => (best === undefined || time(upload) > time(best) ? upload : best),
    undefined
  )
}

/**
 * The pause before the next poll: the interval asked for, or longer when the key's
 * remaining hourly quota could not carry polls that often until the deadline.
 */
export function pollInterval(
  intervalMs: number,
  leftMs: number,
  client: Pick<AppStoreConnectClient, 'rateLimit'>
): number {
  const remaining = client.rateLimit?.remaining
  if (remaining === undefined) return intervalMs
  const affordable = remaining > 0 ? (leftMs * REQUESTS_PER_POLL) / remaining : leftMs
  return Math.max(intervalMs, Math.ceil(affordable))
}

/** "build 631 (1.4.0, IOS)" */
/**
 * `next`, with the train spelt as the log has shown it so far: an upload of 3.2.0 becomes a
 * build of train 3.2, and the log keeps saying 3.2.0.
 */
function inSpellingShown(shown: Target, next: Target): Target {
  const { appVersion } = shown
  if (appVersion === undefined || next.appVersion === undefined) return next
  return sameVersion(appVersion, next.appVersion) ? { ...next, appVersion } : next
}

function label(target: Target): string {
  const details = [target.appVersion, target.platform].filter(Boolean).join(', ')
  return `build ${target.buildNumber}${details ? ` (${details})` : ''}`
}

function notFound(): SearchResult {
  return {
    build: undefined,
    considered: 0,
    blocked: undefined,
    otherPlatforms: [],
    inFlight: [],
    unknownValues: []
  }
}
