// Waiting for the build that was just uploaded: find the one upload to wait for, then poll until
// it matches, fails, or time runs out. An upload is a `buildUploads` record first (AWAITING_UPLOAD,
// then PROCESSING once Apple has the file), then a PROCESSING build, then VALID (or INVALID,
// FAILED) and later ready in TestFlight.
import {
  instant,
  knownPlatform,
  PROCESSING_STATES,
  type BuildUploadResource,
  type Platform
} from '../apple/apple-types.js'
import type { AppStoreConnectClient, RateLimit } from '../apple/asc-client.js'
import { isTransient } from '../apple/retry.js'
import { readBuildsPage } from '../apple/shapes.js'
import { duration } from '../duration.js'
import { ActionError, errorMessage } from '../errors.js'
import { pickLatest } from './build-order.js'
import { buildsQuery, readBuilds, UPLOADED_DATE_PAGE_SIZE } from './builds-query.js'
import { findLatestBuild } from './find-build.js'
import { describeFilters, isExpired, matchesFilters } from './filters.js'
import { withoutUnreadable } from './odd-values.js'
import { readinessBlocker } from './readiness.js'
import type { BuildFilters, FoundBuild, SearchRequest, SearchResult } from './search-types.js'
import { listUploads, uploadsWithBuilds } from './uploads.js'
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
  /** From the first request to the answer, never more than waitMs. */
  waitedMs: number
  /** Set when time ran out: what was waited for, its last state, and for how long. */
  timedOut?: string
}

/**
 * An upload still AWAITING_UPLOAD this long after Apple created its record never got its file:
 * Apple refused the binary (the daily upload limit, 90382, for one), and such a record stays
 * AWAITING_UPLOAD for ever. A recorded upload's file arrived 61 s after its record was created;
 * 15 minutes leaves a multi-gigabyte binary on a slow link the time to arrive, and ends well
 * before the 29 minutes one uploader spent polling a dead record.
 */
export const DEAD_UPLOAD_GRACE_MS = 15 * 60_000
const HOUR_MS = 3_600_000
const HEARTBEAT_MS = 5 * 60_000
/** A poll this close to the deadline is the one at the deadline: timers may fire a little early. */
const DEADLINE_SLACK_MS = 1000

/** The build waited for: its number, and where known its platform and marketing version. */
interface Target {
  buildNumber: string
  platform?: Platform
  appVersion?: string
}

/** What the next poll reads: the uploads (with their builds) until the build exists, then the builds. */
type Phase = 'uploads' | 'builds'

/** One look at the target. */
type Observation =
  | { kind: 'found'; result: SearchResult }
  | {
      kind: 'waiting'
      state: string
      target: Target
      phase: Phase
      /** The target's upload, when seen: its reasons explain a failed build. */
      upload?: BuildUploadResource
    }
  | { kind: 'failed'; message: string }
  /** Without a build number: the upload waited for turned out dead; answer without it. */
  | { kind: 'dead'; message: string }

/**
 * The build to answer with, waiting for it as the inputs say: with a build number, the newest
 * upload or build of that number; without, the newest upload if it is still in flight (uploads
 * are read before the builds, so that an upload finishing in between is not missed); else the
 * answer of today, at once. An upload or build that ends FAILED or INVALID, a dead upload of the
 * build number, or a TestFlight state that needs a person ends the wait with an ActionError.
 */
export async function waitForBuild(
  client: AppStoreConnectClient,
  search: SearchRequest,
  options: WaitOptions
): Promise<WaitOutcome> {
  const { now, info } = options
  const started = now().getTime()
  const deadline = started + options.waitMs
  const waited = (): number => Math.min(now().getTime() - started, options.waitMs)
  const elapsed = (): string => duration(waited())
  const byNumber = search.filters.buildNumber !== undefined

  let observation: Observation
  if (byNumber) {
    const target = {
      buildNumber: search.filters.buildNumber!,
      platform: search.filters.platform,
      appVersion: search.filters.appVersion
    }
    observation = await observeUploads(client, { ...search, now: now() }, target, true)
  } else {
    const start = await inFlightAtStart(client, search, now)
    if ('result' in start) return { result: start.result, waitedMs: waited() }
    observation = start
  }

  let state: string | undefined
  let stateSince = started
  let lastLine = started
  let lastUpload: BuildUploadResource | undefined
  let lastTarget: Target | undefined
  for (let poll = 0; ; poll++) {
    if (observation.kind === 'found') {
      // Named as the wait has named it so far: an upload of 3.2.0 is a build of train 3.2 by now.
      if (lastTarget) info(`${label(lastTarget)} is ready after ${elapsed()}.`)
      return { result: observation.result, waitedMs: waited() }
    }
    if (observation.kind === 'failed') throw new ActionError(observation.message)
    if (observation.kind === 'dead') {
      info(observation.message)
      return {
        result: await findLatestBuild(client, { ...search, now: now() }),
        waitedMs: waited()
      }
    }
    const current = observation
    const { target, phase } = current
    // The log names the train as it first did: an upload of 3.2.0 is a build of train 3.2 later.
    const shown = lastTarget ? inSpellingShown(lastTarget, target) : target
    lastTarget = shown
    lastUpload = current.upload ?? lastUpload
    if (poll === 0) {
      info(
        `Waiting up to ${duration(options.waitMs)} for ${label(shown)} of app ${search.appId} to match ` +
          `${describeFilters(search.filters)}; it is ${observation.state}. Checking every ${duration(options.intervalMs)}.`
      )
      lastLine = now().getTime()
    } else if (observation.state !== state) {
      info(`${label(shown)}: ${state} -> ${observation.state}, ${elapsed()}`)
      stateSince = lastLine = now().getTime()
    } else if (now().getTime() - lastLine >= HEARTBEAT_MS) {
      info(`${label(shown)}: still ${state} after ${elapsed()}`)
      lastLine = now().getTime()
    }
    state = observation.state
    const left = deadline - now().getTime()
    if (left <= DEADLINE_SLACK_MS) {
      return {
        result: notFound(),
        waitedMs: waited(),
        timedOut:
          `Waited ${elapsed()} (wait-minutes) for ${label(shown)} of app ${search.appId}; ` +
          `its last state was ${state}, for ${duration(Math.min(now().getTime(), deadline) - stateSince)}. ` +
          'Raise wait-minutes, or check the upload in App Store Connect.'
      }
    }
    const pause = pollPause(options.intervalMs, left, client.rateLimit)
    if (pause.byRateLimit) {
      const remaining = client.rateLimit!.remaining
      info(
        `The rate limit sets the pace: ${remaining} request${remaining === 1 ? '' : 's'} left this hour ` +
          `(X-Rate-Limit), so the next check is in ${duration(pause.ms)}.`
      )
    }
    await client.sleep(pause.ms)
    const look = { ...search, now: now() }
    try {
      observation =
        phase === 'uploads'
          ? await observeUploads(client, look, target, false)
          : await observeBuilds(client, look, target, lastUpload)
    } catch (error) {
      // Trouble that outlasted its retries: a wait with time left tries again at its next check.
      if (!isTransient(error) || now().getTime() >= deadline) throw error
      info(`${label(shown)}: this check failed (${errorMessage(error)}); trying again at the next.`)
      observation = current
    }
  }
}

/**
 * Without a build number, what is in flight when the wait starts: the uploads in flight are
 * read first, then the builds (the answer of today), so an upload that turns into a build in
 * between is seen as one or the other. `result` when nothing newer than that answer is on its
 * way: the answer of today is all there is to say.
 */
async function inFlightAtStart(
  client: AppStoreConnectClient,
  search: SearchRequest,
  now: () => Date
): Promise<Observation | { result: SearchResult }> {
  const uploads = await listUploads(client, search.appId, {
    platform: search.filters.platform,
    appVersion: search.filters.appVersion,
    states: ['AWAITING_UPLOAD', 'PROCESSING']
  })
  const first = await findLatestBuild(client, { ...search, now: now(), watchInFlight: true })
  const answeredAt = instant(first.build?.uploadedDate) ?? -Infinity
  const candidates: Array<{ at: number; observation: Observation }> = []
  const builds = [...first.inFlight]
  if (first.blocked?.blocker.resolvesByItself) builds.push(first.blocked)
  for (const build of builds) {
    const state = build.resource.attributes?.processingState ?? 'unknown'
    const blocker = state === 'PROCESSING' ? undefined : first.blocked?.blocker
    candidates.push({
      at: instant(build.uploadedDate) ?? -Infinity,
      observation: {
        kind: 'waiting',
        state: blocker ? `build ${state}, ${blocker.state}` : `build ${state}`,
        target: targetOf(build),
        phase: 'builds'
      }
    })
  }
  for (const upload of uploads) {
    const attributes = upload.attributes ?? {}
    const platform = knownPlatform(attributes.platform)
    // A platform Apple added later is not one anybody waits for; a dead upload never arrives.
    if (!attributes.cfBundleVersion || (attributes.platform && !platform)) continue
    if (deadFor(upload, now()) !== undefined) continue
    candidates.push({
      at: uploadTime(upload),
      observation: {
        kind: 'waiting',
        state: `upload ${attributes.state?.state ?? 'unknown'}`,
        target: {
          buildNumber: attributes.cfBundleVersion,
          platform,
          appVersion: attributes.cfBundleShortVersionString
        },
        phase: 'uploads',
        upload
      }
    })
  }
  const newer = candidates.filter(candidate => candidate.at > answeredAt)
  newer.sort((a, b) => b.at - a.at)
  return newer[0]?.observation ?? { result: first }
}

/**
 * A poll while the target is not a build yet: its uploads with their builds, one request. At
 * the start, an upload's build that has finished processing, or no upload at all (a build made
 * before Apple kept upload records), is read from the builds at once.
 */
async function observeUploads(
  client: AppStoreConnectClient,
  search: SearchRequest,
  target: Target,
  start: boolean
): Promise<Observation> {
  const { uploads, builds } = await uploadsWithBuilds(
    client,
    search.appId,
    {
      platform: target.platform,
      appVersion: target.appVersion,
      storedSpellings: search.filters.storedSpellings,
      buildNumber: target.buildNumber
    },
    `looking for the upload of build ${target.buildNumber} of app ${search.appId}`
  )
  const newest = newestUpload(uploads)
  if (newest.tie) {
    return {
      kind: 'failed',
      message:
        `Two uploads of app ${search.appId} carry build number ${target.buildNumber} and neither is newer: ` +
        `${newest.tie.map(describeUpload).join(' and ')}. Set app-version to choose one.`
    }
  }
  const upload = newest.upload
  if (!upload) {
    if (start) return observeBuilds(client, search, target, undefined)
    return { kind: 'waiting', state: 'not visible yet', target, phase: 'uploads' }
  }
  const attributes = upload.attributes ?? {}
  // Once found, the upload's marketing version is part of the target: an older version's build
  // with the same number neither ends nor fails the wait.
  const seen: Target = {
    buildNumber: target.buildNumber,
    platform: knownPlatform(attributes.platform) ?? target.platform,
    appVersion: target.appVersion ?? attributes.cfBundleShortVersionString
  }
  const state = attributes.state?.state ?? 'unknown'
  if (state === 'FAILED') {
    return { kind: 'failed', message: `The upload of ${label(seen)} FAILED.${reasons(upload)}` }
  }
  const dead = deadFor(upload, search.now)
  if (dead !== undefined) {
    const created = attributes.createdDate!
    const message =
      `Apple never received the binary of ${label(seen)} of app ${search.appId}: its upload record, created ${created}, ` +
      `is still AWAITING_UPLOAD after ${duration(dead)}, as a refused upload stays for ever.`
    if (search.filters.buildNumber === undefined) {
      return { kind: 'dead', message: `${message} Answering without it.` }
    }
    return {
      kind: 'failed',
      message:
        `${message} The log of the upload step (altool, Transporter or Xcode) says why Apple refused it, ` +
        'for example 90382 (the daily upload limit); so do the email to the account holder and Activity in App Store Connect. Upload the build again.'
    }
  }
  const buildId = upload.relationships?.build?.data?.id
  if (buildId === undefined) {
    const phase = state === 'COMPLETE' ? 'builds' : 'uploads'
    return { kind: 'waiting', state: `upload ${state}`, target: seen, phase, upload }
  }
  const processing = builds.get(buildId)?.attributes?.processingState
  if (processing === 'PROCESSING') {
    return { kind: 'waiting', state: 'build PROCESSING', target: seen, phase: 'builds', upload }
  }
  // Processing has ended: the build itself, with its TestFlight state, is the answer.
  return observeBuilds(client, search, seen, upload)
}

/** A poll once the build exists: the target's builds in every state, with their TestFlight detail. */
async function observeBuilds(
  client: AppStoreConnectClient,
  search: SearchRequest,
  target: Target,
  upload: BuildUploadResource | undefined
): Promise<Observation> {
  const wanted: BuildFilters = {
    ...search.filters,
    buildNumber: target.buildNumber,
    platform: target.platform ?? search.filters.platform,
    appVersion: target.appVersion ?? search.filters.appVersion
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
  if (newest) return buildState(search, wanted, newest, upload)
  // Not visible yet: a finished upload's build can lag behind in /v1/builds.
  const finished = upload?.attributes?.state?.state === 'COMPLETE'
  return {
    kind: 'waiting',
    state: upload ? `upload ${upload.attributes?.state?.state ?? 'unknown'}` : 'not visible yet',
    target,
    phase: finished ? 'builds' : 'uploads',
    upload
  }
}

/** What to do about a build that ended INVALID or FAILED. */
const FAILED_BUILD_NEXT_STEP =
  "Apple emails the reason to the account holder, and the build's page under Activity in App Store Connect shows it: fix it, then upload a new build."

/** Where a visible build of the target stands: still on its way, or at an end. */
function buildState(
  search: SearchRequest,
  wanted: BuildFilters,
  build: FoundBuild,
  upload: BuildUploadResource | undefined
): Observation {
  const target = targetOf(build)
  const state = build.resource.attributes?.processingState ?? 'unknown'
  if (state === 'PROCESSING') {
    return { kind: 'waiting', state: 'build PROCESSING', target, phase: 'builds' }
  }
  const name = label(target)
  if (!wanted.processingStates.includes(state as never)) {
    return {
      kind: 'failed',
      message: `${name} of app ${search.appId} ended ${state}.${reasons(upload)} ${FAILED_BUILD_NEXT_STEP}`
    }
  }
  if (!wanted.includeExpired && isExpired(build.resource, search.now)) {
    return {
      kind: 'failed',
      message: `${name} of app ${search.appId} has expired in TestFlight: upload a new build, or set include-expired: true to take it anyway.`
    }
  }
  // In a wanted state and not expired, the build matches the filters (it was looked for by
  // them): were it ready as well, it would have been found. Only its readiness stands.
  const blocker = readinessBlocker(
    wanted.readyFor,
    build.resource.attributes?.buildAudienceType,
    build.betaDetail
  )!
  if (blocker.resolvesByItself) {
    return { kind: 'waiting', state: `build ${state}, ${blocker.state}`, target, phase: 'builds' }
  }
  return {
    kind: 'failed',
    message: `${name} of app ${search.appId} is not ready: ${blocker.state}; ${blocker.advice}`
  }
}

/** How long an upload has been AWAITING_UPLOAD past the grace, or undefined while it may still arrive. */
function deadFor(upload: BuildUploadResource, now: Date): number | undefined {
  const attributes = upload.attributes ?? {}
  if (attributes.state?.state !== 'AWAITING_UPLOAD') return undefined
  const created = instant(attributes.createdDate)
  if (created === undefined) return undefined
  const age = now.getTime() - created
  return age > DEAD_UPLOAD_GRACE_MS ? age : undefined
}

/** " Apple says: 90683: Missing purpose string in Info.plist." from an upload's state errors. */
function reasons(upload: BuildUploadResource | undefined): string {
  const errors = upload?.attributes?.state?.errors ?? []
  const said = errors
    .map(error => [error.code, error.description].filter(Boolean).join(': '))
    .filter(Boolean)
  return said.length > 0 ? ` Apple says: ${said.join('; ')}` : ''
}

/** When an upload happened: its file's arrival, else its record's creation; undated ranks oldest. */
function uploadTime(upload: BuildUploadResource): number {
  return instant(upload.attributes?.uploadedDate ?? upload.attributes?.createdDate) ?? -Infinity
}

/**
 * The newest upload, or the two newest when neither is newer and they name different versions
 * or platforms (so different builds).
 */
function newestUpload(uploads: BuildUploadResource[]): {
  upload?: BuildUploadResource
  tie?: [BuildUploadResource, BuildUploadResource]
} {
  const sorted = [...uploads].sort((a, b) => uploadTime(b) - uploadTime(a))
  const [first, second] = sorted
  if (first && second && uploadTime(first) === uploadTime(second)) {
    const identity = (upload: BuildUploadResource): string =>
      `${upload.attributes?.cfBundleShortVersionString}/${upload.attributes?.platform}`
    if (identity(first) !== identity(second)) return { tie: [first, second] }
  }
  return { upload: first }
}

/** "1.4 (IOS, AWAITING_UPLOAD, created 2026-11-20T07:00:00-08:00)" */
function describeUpload(upload: BuildUploadResource): string {
  const attributes = upload.attributes ?? {}
  const when = attributes.uploadedDate
    ? `uploaded ${attributes.uploadedDate}`
    : attributes.createdDate
      ? `created ${attributes.createdDate}`
      : 'undated'
  const details = [attributes.platform, attributes.state?.state, when].filter(Boolean).join(', ')
  return `${attributes.cfBundleShortVersionString ?? '(no version)'} (${details})`
}

/**
 * The pause before the next poll: the interval asked for, or longer when the key's remaining
 * hourly quota could not carry a request that often (the remaining requests are spread over the
 * time left, or the hour when that is shorter; with none left, one request's share of the
 * hour), and never past the deadline, where the last poll belongs.
 */
export function pollPause(
  intervalMs: number,
  leftMs: number,
  rateLimit: RateLimit | undefined
): { ms: number; byRateLimit: boolean } {
  let pace = 0
  if (rateLimit) {
    const span = Math.min(leftMs, HOUR_MS)
    pace =
      rateLimit.remaining > 0
        ? Math.ceil(span / rateLimit.remaining)
        : Math.ceil(HOUR_MS / Math.max(1, rateLimit.limit))
  }
  const wanted = Math.max(intervalMs, pace)
  return { ms: Math.max(0, Math.min(wanted, leftMs)), byRateLimit: pace > intervalMs }
}

function targetOf(build: FoundBuild): Target {
  return {
    buildNumber: build.buildNumber,
    platform: knownPlatform(build.preReleaseVersion?.platform),
    appVersion: build.appVersion
  }
}

/** `next`, with the train spelt as `shown` spells it when the two are the same train. */
function inSpellingShown(shown: Target, next: Target): Target {
  const { appVersion } = shown
  if (appVersion === undefined || next.appVersion === undefined) return next
  return sameVersion(appVersion, next.appVersion) ? { ...next, appVersion } : next
}

/** "build 631 (1.4.0, IOS)" */
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
