// What the run comes to, in process: the verdict and the line that names the build, the expiry
// gate, the rate-limit warning, and the report written to the job summary and the pull request
// (against the GitHub stand-in on loopback).
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FoundBuild, SearchResult } from '../src/choose/search-types.js'
import { jobCancelled } from '../src/cancellation.js'
import { Deadline } from '../src/deadline.js'
import { ActionError } from '../src/errors.js'
import type { InputName } from '../src/inputs.js'
import { outputsFor, type Outputs } from '../src/report/outputs.js'
import { publishReport, warnIfRateLimitLow } from '../src/report/publish.js'
import { verdict, type Verdict } from '../src/report/verdict.js'
import type { SearchOutcome } from '../src/search-outcome.js'
import { buildResource } from './support/documents.js'
import { startGitHubStandIn, type GitHubStandIn } from './support/github-api.js'
import { settingsFor } from './support/settings.js'
import { captureStdout } from './support/stdout.js'

const NOW = new Date('2026-11-27T18:00:00Z')
const ID = '6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01'

/** Build 631 of train 2.4.0 for iOS; it expires 88 whole days after NOW. */
function found(expires = '2027-02-23T10:00:00-08:00'): FoundBuild {
  const resource = buildResource({
    id: ID,
    version: '631',
    uploaded: '2026-11-26T10:00:00-08:00',
    expires
  })
  return {
    id: ID,
    buildNumber: '631',
    uploadedDate: '2026-11-26T10:00:00-08:00',
    appVersion: '2.4.0',
    resource,
    preReleaseVersion: { version: '2.4.0', platform: 'IOS' },
    betaDetail: undefined
  }
}

function result(extra: Partial<SearchResult> = {}): SearchResult {
  return {
    build: undefined,
    considered: 0,
    blocked: undefined,
    otherPlatforms: [],
    inFlight: [],
    unknownValues: [],
    ...extra
  }
}

function outcome(extra: Partial<SearchOutcome> = {}): SearchOutcome {
  return {
    appId: '1600000001',
    result: result(),
    nextBuildNumber: undefined,
    waitedMs: 0,
    timedOut: undefined,
    error: undefined,
    cancelled: false,
    searchedAt: NOW,
    requestCount: 1,
    rateLimit: undefined,
    ...extra
  }
}

const outputsOf = (search: SearchOutcome): Outputs =>
  outputsFor({ appId: search.appId, build: search.result?.build, now: NOW })

let stdout: string[]
let folder: string
const savedEnv = { ...process.env }

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'verdict-test-'))
})
afterAll(() => rmSync(folder, { recursive: true, force: true }))

beforeEach(() => {
  stdout = captureStdout()
})

afterEach(() => {
  jest.restoreAllMocks()
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name]
  Object.assign(process.env, savedEnv)
})

/** The verdict of a search with these inputs, on outputs in their formats. */
function judge(inputs: Partial<Record<InputName, string>>, search: SearchOutcome): Verdict {
  const verdictOf = verdict(settingsFor(inputs), search, {
    outputs: outputsOf(search),
    problem: undefined
  })
  expect(stdout).toEqual([])
  return verdictOf
}

describe('verdict', () => {
  it('fails with the error that stopped the search, and notes nothing more', () => {
    const { failure, note } = judge({}, outcome({ error: new ActionError('Apple said no.') }))
    expect(failure).toBe('Apple said no.')
    expect(note).toBeUndefined()
  })

  it('a cancelled job says what it had done and what it had not', () => {
    const cancelled = { error: jobCancelled('SIGINT'), cancelled: true }
    expect(judge({}, outcome(cancelled)).failure).toBe(
      'The job was cancelled (SIGINT). It stopped before a build was found, so found is false: run the job again to search.'
    )
    const afterTheBuild = outcome({
      ...cancelled,
      result: result({ build: found(), considered: 1 })
    })
    expect(judge({ 'next-build-number': 'true' }, afterTheBuild).failure).toBe(
      `The job was cancelled (SIGINT). Build 631 (${ID}) had been found and its outputs are written, ` +
        'but next-build-number was not worked out and is empty: run the job again for it.'
    )
  })

  it('fails with the problem the output check found, unless the search had failed first', () => {
    const search = outcome({ result: result({ build: found(), considered: 1 }) })
    const problem = 'The version of build 631 from App Store Connect is not dot-separated integers.'
    const settings = settingsFor({})
    expect(verdict(settings, search, { outputs: outputsOf(search), problem })).toEqual({
      failure: problem,
      note: undefined
    })
    const failed = outcome({ error: new ActionError('Apple said no.') })
    expect(verdict(settings, failed, { outputs: outputsOf(failed), problem }).failure).toBe(
      'Apple said no.'
    )
  })

  it('names the build it chose, why, when it expires and what it cost', () => {
    const search = outcome({ result: result({ build: found(), considered: 3 }), requestCount: 2 })
    const { failure, note } = judge({}, search)
    expect(failure).toBeUndefined()
    expect(note).toBe(
      'Chose build 631 (6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01, app version 2.4.0, IOS) of app 1600000001: ' +
        'the most recently uploaded of 3 builds with processing state VALID, not expired, platform IOS; ' +
        'expires 2027-02-23T10:00:00-08:00 (88 days); 2 requests.'
    )
  })

  it('says what is not known of the chosen build instead of leaving it blank', () => {
    const build = found()
    build.preReleaseVersion = undefined
    build.resource.attributes = { ...build.resource.attributes, expirationDate: undefined }
    const { note } = judge({}, outcome({ result: result({ build, considered: 1 }) }))
    expect(note).toMatch(
      /^Chose build 631 \(6f0c3a52-[^,]+, app version \?, \?\) of app 1600000001: /
    )
    expect(note).toMatch(/ of 1 build with .*; expires never \(\? days\); 1 request\.$/)
  })

  it('fails when nothing matches, naming the app, the filters and the requests', () => {
    const { failure, note } = judge({ 'bundle-id': 'com.example.weather', 'app-id': '' }, outcome())
    expect(failure).toBe(
      'No build of app 1600000001 (com.example.weather) matches processing state VALID, not expired, ' +
        'platform IOS (1 request). Loosen the filters, or set fail-if-not-found: false.'
    )
    expect(note).toBeUndefined()
  })

  it('passes when nothing matches and fail-if-not-found is false, and says so', () => {
    const { failure, note } = judge({ 'fail-if-not-found': 'false' }, outcome({ requestCount: 2 }))
    expect(failure).toBeUndefined()
    expect(note).toBe(
      'No build of app 1600000001 matches processing state VALID, not expired, platform IOS (2 requests). ' +
        'found=false, and fail-if-not-found is false, so the step passes.'
    )
  })

  it('names the newest build that was not ready, and what to do', () => {
    const blocked = {
      ...found(),
      blocker: {
        state: 'MISSING_EXPORT_COMPLIANCE',
        advice: 'answer the export compliance questions.'
      }
    } as NonNullable<SearchResult['blocked']>
    const { failure } = judge({}, outcome({ result: result({ blocked }) }))
    expect(failure).toMatch(
      / \(1 request\)\. The latest candidate, build 631 \(6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01, app version 2\.4\.0\), is not ready: MISSING_EXPORT_COMPLIANCE; answer the export compliance questions\. Loosen/
    )
    blocked.preReleaseVersion = undefined
    blocked.appVersion = undefined
    expect(judge({}, outcome({ result: result({ blocked }) })).failure).toMatch(
      /build 631 \(6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01\), is not ready/
    )
  })

  it('names the platforms that do have matching builds, as the platform input spells them', () => {
    const search = outcome({ result: result({ otherPlatforms: ['MAC_OS', 'TV_OS'] }) })
    expect(judge({}, search).failure).toMatch(
      /\(1 request\)\. It has matching builds for MAC_OS, TV_OS: set platform to macos or tvos \(or any\)\. Loosen/
    )
    expect(judge({}, outcome()).failure).toMatch(/\(1 request\)\. Loosen the filters/)
  })

  it('with app-store-state: names the App Store versions seen, or that there is none', () => {
    const inputs = { 'app-store-state': 'READY_FOR_DISTRIBUTION' }
    const seen = (inStates: boolean, versions: string[]): SearchOutcome =>
      outcome({ result: result({ appStoreVersionsSeen: { inStates, versions } }) })
    expect(
      judge(
        inputs,
        seen(true, ['3.2 (IOS) READY_FOR_DISTRIBUTION', '3.1 (IOS) READY_FOR_DISTRIBUTION'])
      ).failure
    ).toBe(
      'No build of app 1600000001 matches App Store state READY_FOR_DISTRIBUTION, platform IOS (1 request). ' +
        'Its App Store versions in those states ship no such build: 3.2 (IOS) READY_FOR_DISTRIBUTION, 3.1 (IOS) READY_FOR_DISTRIBUTION. ' +
        'Loosen the filters, or set fail-if-not-found: false.'
    )
    expect(
      judge(inputs, seen(false, ['3.3 (IOS) WAITING_FOR_REVIEW', '3.2 (IOS) REPLACED'])).failure
    ).toMatch(
      /\(1 request\)\. Its App Store versions are in other states: 3\.3 \(IOS\) WAITING_FOR_REVIEW, 3\.2 \(IOS\) REPLACED\. Loosen/
    )
    expect(judge(inputs, seen(false, [])).failure).toMatch(
      /\(1 request\)\. It has no App Store version there yet\. Loosen/
    )
  })

  it('names the values Apple added that kept builds out', () => {
    const search = outcome({
      result: result({ unknownValues: ['platform WATCH_OS', 'processingState QUEUED'] })
    })
    expect(judge({}, search).failure).toMatch(
      /\(1 request\)\. Builds with values this action does not know were not taken \(platform WATCH_OS, processingState QUEUED\): Apple adds values over time; see them in App Store Connect\. Loosen/
    )
  })

  it('with app-store-state: names the App Store version chosen, and says TestFlight expiry does not matter', () => {
    const build = {
      ...found(),
      appStoreVersion: { versionString: '3.2', state: 'READY_FOR_DISTRIBUTION' }
    }
    const inputs = { 'app-store-state': 'READY_FOR_DISTRIBUTION' }
    const search = outcome({ result: result({ build, considered: 2 }), requestCount: 1 })
    expect(judge(inputs, search)).toEqual({
      failure: undefined,
      note:
        `Chose build 631 (${ID}, app version 2.4.0, IOS) of app 1600000001: the build of App Store version 3.2 ` +
        '(READY_FOR_DISTRIBUTION), the newest of 2 versions with App Store state READY_FOR_DISTRIBUTION, platform IOS; ' +
        'in TestFlight it expires 2027-02-23T10:00:00-08:00 (88 days); 1 request.'
    })
    const expired = {
      ...build,
      resource: { ...build.resource, attributes: { ...build.resource.attributes, expired: true } }
    }
    expect(
      judge(inputs, outcome({ result: result({ build: expired, considered: 1 }) })).note
    ).toMatch(
      /the newest of 1 version with .*; in TestFlight it has expired, which does not matter on the App Store; 1 request\.$/
    )
  })

  it('fails a wait that ran out of time, unless fail-if-not-found is false', () => {
    const timedOut = 'Waited 10 min (wait-minutes) for build 632.'
    expect(judge({}, outcome({ timedOut })).failure).toBe(
      'Waited 10 min (wait-minutes) for build 632. Or set fail-if-not-found: false.'
    )
    const passed = judge({ 'fail-if-not-found': 'false' }, outcome({ timedOut }))
    expect(passed.failure).toBeUndefined()
    expect(passed.note).toBe(
      'Waited 10 min (wait-minutes) for build 632. found=false, and fail-if-not-found is false, so the step passes.'
    )
  })

  it('gates on whole days left: fails under min-days-until-expiry, passes at it', () => {
    const search = outcome({ result: result({ build: found(), considered: 1 }) })
    expect(judge({ 'min-days-until-expiry': '88' }, search).failure).toBeUndefined()
    expect(judge({ 'min-days-until-expiry': '89' }, search).failure).toBe(
      'Build 631 of app 1600000001 expires in 88 days (2027-02-23T10:00:00-08:00), fewer than ' +
        'min-days-until-expiry (89): upload a fresh build.'
    )
  })

  it('fails the gate for a build without an expiration date, and ignores it at 0', () => {
    const build = found()
    build.resource.attributes = { ...build.resource.attributes, expirationDate: undefined }
    const search = outcome({ result: result({ build, considered: 1 }) })
    expect(judge({ 'min-days-until-expiry': '1' }, search).failure).toBe(
      'Build 631 of app 1600000001 has no expiration date, fewer than min-days-until-expiry (1): upload a fresh build.'
    )
    expect(judge({}, search).failure).toBeUndefined()
  })
})

describe('warnIfRateLimitLow', () => {
  it('warns under a tenth of the hourly requests left, and not at a tenth', () => {
    warnIfRateLimitLow({ limit: 3600, remaining: 360 })
    warnIfRateLimitLow(undefined)
    expect(stdout).toEqual([])
    warnIfRateLimitLow({ limit: 3600, remaining: 359 })
    expect(stdout.join('')).toBe(
      '::warning::Only 359 of the 3600 hourly App Store Connect requests of this API key are left; ' +
        'further requests may be refused with 429 until the rolling hour frees some.\n'
    )
  })
})

describe('publishReport', () => {
  let github: GitHubStandIn
  let summaryFile: string

  beforeAll(async () => {
    github = await startGitHubStandIn()
  })
  afterAll(() => github.close())

  beforeEach(() => {
    github.reset()
    // @actions/core's summary keeps the first file path it is given: one file for every test.
    summaryFile = join(folder, 'summary')
    rmSync(summaryFile, { recursive: true, force: true })
    writeFileSync(summaryFile, '')
    Object.assign(process.env, github.pullRequestEnv, { GITHUB_STEP_SUMMARY: summaryFile })
  })

  const chosen = outcome({ result: result({ build: found(), considered: 1 }) })
  const publish = (inputs: Partial<Record<InputName, string>>, search = chosen) =>
    publishReport({
      settings: settingsFor(inputs),
      outputs: outputsOf(search),
      outcome: search,
      failure: undefined
    })

  it('writes the job summary, and nothing else unless asked', async () => {
    await publish({})
    expect(readFileSync(summaryFile, 'utf8')).toMatch(/Build 631/)
    expect(github.requests).toEqual([])
  })

  it('writes nothing when neither the summary nor the comment is asked for', async () => {
    await publish({ 'job-summary': 'false' })
    expect(readFileSync(summaryFile, 'utf8')).toBe('')
  })

  it('says how long it waited, only when it did', async () => {
    await publish({}, { ...chosen, waitedMs: 0 })
    expect(readFileSync(summaryFile, 'utf8')).not.toMatch(/waited|ready after/i)
    writeFileSync(summaryFile, '')
    await publish({}, { ...chosen, waitedMs: 150_000 })
    expect(readFileSync(summaryFile, 'utf8')).toMatch(/2 min 30 s/)
  })

  it('comments on the pull request when asked, and not from a cancelled job', async () => {
    const inputs = { 'pr-comment': 'true', 'github-token': 'ghs_token', 'job-summary': 'false' }
    await publish(inputs)
    expect(github.comments).toHaveLength(1)
    expect(github.comments[0]!.body).toMatch(/Build 631/)
    expect(readFileSync(summaryFile, 'utf8')).toBe('')
    const requests = github.requests.length
    await publish(inputs, { ...chosen, cancelled: true })
    expect(github.requests).toHaveLength(requests)
  })

  it('writes the summary, then skips the comment with a warning once the run’s deadline has passed', async () => {
    const inputs = { 'pr-comment': 'true', 'github-token': 'ghs_token' }
    await publishReport({
      settings: settingsFor(inputs),
      outputs: outputsOf(chosen),
      outcome: chosen,
      failure: undefined,
      deadline: new Deadline(0, 'total-timeout-minutes (6 s)')
    })
    expect(readFileSync(summaryFile, 'utf8')).toMatch(/Build 631/)
    expect(github.requests).toEqual([])
    expect(stdout.join('')).toContain(
      '::warning::pr-comment: skipped, the run reached its time limit, total-timeout-minutes (6 s), before the comment could be posted. ' +
        'Raise total-timeout-minutes to leave the comment time.\n'
    )
  })

  it('a job cancelled before the comment: the summary, and a line saying the comment was skipped', async () => {
    const cancelled = new AbortController()
    cancelled.abort()
    await publishReport({
      settings: settingsFor({ 'pr-comment': 'true', 'github-token': 'ghs_token' }),
      outputs: outputsOf(chosen),
      outcome: chosen,
      failure: undefined,
      signal: cancelled.signal
    })
    expect(readFileSync(summaryFile, 'utf8')).toMatch(/Build 631/)
    expect(github.requests).toEqual([])
    expect(stdout.join('')).toContain('pr-comment: skipped, the job was cancelled.\n')
  })

  it('keeps one comment per app and filters, updated in place', async () => {
    const inputs = { 'pr-comment': 'true', 'github-token': 'ghs_token', 'job-summary': 'false' }
    await publish(inputs)
    await publish({ ...inputs, 'app-id': '1600000002' })
    await publish({ ...inputs, 'processing-state': 'VALID,PROCESSING' })
    await publish(inputs)
    expect(github.comments).toHaveLength(3)
  })

  it('warns when the summary cannot be written, and leaves nothing behind for the next write', async () => {
    rmSync(summaryFile)
    mkdirSync(summaryFile)
    await publish({})
    expect(stdout.join('')).toMatch(
      /^::warning::job-summary: the job summary could not be written: .*\n$/m
    )
    rmSync(summaryFile, { recursive: true })
    writeFileSync(summaryFile, '')
    await publish({}, { ...chosen, result: result() })
    expect(readFileSync(summaryFile, 'utf8').match(/<h3/g)).toHaveLength(1)
  })
})
