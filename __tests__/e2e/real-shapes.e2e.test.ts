// Apple's real answers, end to end: the bundle run as the runner runs it, against the sandbox's
// fixed apps (a four-part build number, macOS numbering across versions, an empty app, values
// Apple added later, an upload not listed yet, dates across daylight saving) and the shapes
// Apple's recorded answers have (offset dates, lower-case rate-limit header, encoded next
// links, error bodies without an id, links.see).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { ActionRun } from '../../local-runner/run-action.js'
import type { LandmarkName, Sandbox, SandboxBuild } from '../../sandbox/index.js'
import { plantedIn, startE2e, type E2eContext } from './harness.js'
import { expectedNextBuildNumber, type NextBuildNumberQuestion } from './oracle.js'

let e2e: E2eContext
let sandbox: Sandbox

beforeAll(async () => {
  e2e = await startE2e()
  sandbox = e2e.sandbox
})
afterAll(async () => sandbox?.close())
beforeEach(() => sandbox.clearFaults())

const DAY_MS = 86_400_000

const landmark = (name: LandmarkName): string => plantedIn(sandbox.catalogue).landmark(name)
const plantedBuild = (name: LandmarkName): SandboxBuild => plantedIn(sandbox.catalogue).build(name)

/** The oracle's next number: it must agree with the literal each test expects. */
const oracleNext = (question: NextBuildNumberQuestion): string =>
  expectedNextBuildNumber(sandbox.catalogue, question).next

const run = (inputs: Record<string, string>): Promise<ActionRun> => e2e.run(inputs)

function expectFound(result: ActionRun, build: SandboxBuild): void {
  expect(result.errors).toEqual([])
  expect(result.exitCode).toBe(0)
  expect(result.outputs).toMatchObject({
    found: 'true',
    'build-id': build.id,
    version: build.version,
    'uploaded-date': build.uploadedDate,
    'expiration-date': build.expirationDate
  })
}

describe('a four-part build number (com.example.legacy, only build 2.0.67.745)', () => {
  it('is found, and the next number adds one to its last part', async () => {
    const only = plantedBuild('legacy.ios.only')
    expect(only.version).toBe('2.0.67.745')
    expect(oracleNext({ appId: landmark('legacy.app') })).toBe('2.0.67.746')
    const result = await run({ 'app-id': landmark('legacy.app'), 'next-build-number': 'true' })
    expectFound(result, only)
    expect(result.outputs['next-build-number']).toBe('2.0.67.746')
    expect(result.stdout).not.toMatch(/::warning::/)
  })

  it('is accepted as build-number and waited for', async () => {
    const before = sandbox.requests.length
    const result = await run({
      'app-id': landmark('legacy.app'),
      'build-number': '2.0.67.745',
      'wait-minutes': '1'
    })
    expectFound(result, plantedBuild('legacy.ios.only'))
    // It matches already: one look (its upload, then its build), no poll.
    expect(sandbox.requests.slice(before).map(request => request.path)).toEqual([
      `/v1/apps/${landmark('legacy.app')}/buildUploads`,
      '/v1/builds'
    ])
    expect(result.stdout).not.toContain('Waiting up to')
  })

  it('2.0.67.746, uploaded while the action waits for it, is followed to VALID', async () => {
    const own = await startE2e()
    try {
      const handle = own.sandbox.scheduleUpload({
        bundleId: 'com.example.legacy',
        version: '2.0.67',
        buildNumber: '2.0.67.746',
        steps: [
          { at: 0.5 },
          { at: 1, upload: 'PROCESSING' },
          { at: 1.5, build: 'PROCESSING' },
          { at: 2.5, build: 'VALID' }
        ]
      })
      const result = await own.run(
        {
          'app-id': landmark('legacy.app'),
          'build-number': '2.0.67.746',
          'wait-minutes': '1',
          'wait-interval-seconds': '1'
        },
        {
          timeoutMs: 60_000,
          onStdout: text => {
            if (text.includes('Waiting up to')) own.sandbox.startTimeline()
          }
        }
      )
      expect(result.errors).toEqual([])
      expect(result.outputs).toMatchObject({
        found: 'true',
        'build-id': handle.buildId,
        version: '2.0.67.746',
        'processing-state': 'VALID'
      })
      expect(Number(result.outputs['waited-seconds'])).toBeGreaterThanOrEqual(2)
    } finally {
      await own.sandbox.close()
    }
  })
})

describe('the next number by Apple’s rules (com.example.studio: macOS 1.7.0 builds 1-3, iOS 1.8.0 builds 10-12)', () => {
  const studio = () => landmark('studio.app')

  it('macOS, app-version 1.8.0: 4, above every macOS number of every version', async () => {
    expect(oracleNext({ appId: studio(), platform: 'MAC_OS', appVersion: '1.8.0' })).toBe('4')
    const result = await run({
      'app-id': studio(),
      platform: 'MAC_OS',
      'app-version': '1.8.0',
      'next-build-number': 'true',
      'fail-if-not-found': 'false'
    })
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({ found: 'false', 'next-build-number': '4' })
  })

  it('iOS, app-version 1.8.0: 13, within the version', async () => {
    expect(oracleNext({ appId: studio(), platform: 'IOS', appVersion: '1.8.0' })).toBe('13')
    const result = await run({
      'app-id': studio(),
      platform: 'IOS',
      'app-version': '1.8.0',
      'next-build-number': 'true'
    })
    expectFound(result, plantedBuild('studio.ios.highest'))
    expect(result.outputs['next-build-number']).toBe('13')
  })

  it('initial-build-number 500 on an app at 12: 500; a floor of 5 leaves 13', async () => {
    const inputs = {
      'app-id': studio(),
      platform: 'IOS',
      'app-version': '1.8.0',
      'next-build-number': 'true'
    }
    expect(oracleNext({ appId: studio(), appVersion: '1.8.0', initial: '500' })).toBe('500')
    const high = await run({ ...inputs, 'initial-build-number': '500' })
    expectFound(high, plantedBuild('studio.ios.highest'))
    expect(high.outputs['next-build-number']).toBe('500')
    const low = await run({ ...inputs, 'initial-build-number': '5' })
    expect(low.outputs['next-build-number']).toBe('13')
  })
})

describe('an app with nothing in use (com.example.empty)', () => {
  it('initial-build-number 500: 500; without it: 1', async () => {
    const inputs = {
      'app-id': landmark('empty.app'),
      'next-build-number': 'true',
      'fail-if-not-found': 'false'
    }
    expect(oracleNext({ appId: landmark('empty.app'), initial: '500' })).toBe('500')
    const floored = await run({ ...inputs, 'initial-build-number': '500' })
    expect(floored.errors).toEqual([])
    expect(floored.outputs).toMatchObject({ found: 'false', 'next-build-number': '500' })
    const plain = await run(inputs)
    expect(plain.outputs).toMatchObject({ found: 'false', 'next-build-number': '1' })
  })
})

describe('an upload COMPLETE that /v1/builds does not list yet (com.example.lagging)', () => {
  it('counts for the next number: 9, above upload 8, while build 7 is the answer', async () => {
    expect(oracleNext({ appId: landmark('lagging.app') })).toBe('9')
    const result = await run({ 'app-id': landmark('lagging.app'), 'next-build-number': 'true' })
    expectFound(result, plantedBuild('lagging.ios.listed'))
    expect(result.outputs['next-build-number']).toBe('9')
  })
})

describe('values Apple adds later (com.example.future)', () => {
  const future = () => landmark('future.app')
  const build = (appVersion: string, number: string): SandboxBuild =>
    sandbox.catalogue.builds.find(
      b =>
        b.appId === future() &&
        b.version === number &&
        sandbox.catalogue.preReleaseVersions.find(p => p.id === b.preReleaseVersionId)!.version ===
          appVersion
    )!

  it('a newer build in processingState PROCESSING_DEFERRED: the good build is found, and the other counts for the next number', async () => {
    // The search asks Apple for processing-state VALID, so only the next-number scan, which
    // takes every state, meets the unknown one.
    expect(plantedBuild('future.ios.processingDeferred').version).toBe('41')
    expect(oracleNext({ appId: future(), appVersion: '3.1.0' })).toBe('42')
    const result = await run({
      'app-id': future(),
      'app-version': '3.1.0',
      'next-build-number': 'true'
    })
    expectFound(result, build('3.1.0', '40'))
    expect(result.outputs['next-build-number']).toBe('42')
  })

  it.each([
    [
      'internalBuildState READY_FOR_TESTING_EXPRESS',
      'future.ios.internalExpress',
      '3.2.0',
      '50',
      'internal-testing'
    ],
    [
      'externalBuildState IN_BETA_REVIEW_EXPRESS',
      'future.ios.externalExpress',
      '3.3.0',
      '60',
      'external-testing'
    ],
    ['buildAudienceType ENTERPRISE_ONLY', 'future.ios.enterprise', '3.4.0', '70', 'app-store']
  ] as const)(
    'a newer build with %s: the good build of its train is found, and the log names the value',
    async (value, name, appVersion, good, readyFor) => {
      const result = await run({
        'app-id': future(),
        'app-version': appVersion,
        'ready-for': readyFor
      })
      expectFound(result, build(appVersion, good))
      const odd = plantedBuild(name)
      expect(result.stdout).toContain(
        `Build ${odd.version} (${odd.id}) has ${value}, which this action does not know`
      )
    }
  )

  it('platform any: the newer WATCH_OS build is no platform’s latest, the iOS build is found', async () => {
    const result = await run({ 'app-id': future(), platform: 'any' })
    expectFound(result, plantedBuild('future.ios.good'))
    const watch = plantedBuild('future.watch.build')
    expect(result.stdout).toContain(`Build 81 (${watch.id}) has platform WATCH_OS`)
  })

  it('the 23-digit FAILED upload is left out of the next number with a warning naming it; the build stands', async () => {
    expect(oracleNext({ appId: future() })).toBe('81')
    const result = await run({ 'app-id': future(), 'next-build-number': 'true' })
    expectFound(result, plantedBuild('future.ios.good'))
    expect(result.outputs['next-build-number']).toBe('81')
    expect(result.stdout).toContain(
      `::warning::next-build-number: left out 99999999999999999999999 of upload ${landmark('future.ios.upload.huge')} (FAILED)`
    )
  })
})

describe('Apple’s recorded shapes, read by the action', () => {
  it.each(['clock.ios.earlierChange', 'clock.ios.latestChange'] as const)(
    'dates with different offsets (%s): expires-in-days counted from the instant',
    async name => {
      const build = plantedBuild(name)
      // Upload and expiry straddle a change of the clocks: their offsets differ.
      expect(build.uploadedDate.slice(-6)).not.toBe(build.expirationDate.slice(-6))
      const result = await run({
        'app-id': landmark('clock.app'),
        'build-number': build.version,
        'include-expired': 'true'
      })
      expectFound(result, build)
      // The expiry is a whole number of days plus three hours away: an offset misread by seven
      // or eight hours moves the whole days left by one.
      const days = Math.floor((Date.parse(build.expirationDate) - Date.now()) / DAY_MS)
      expect(result.outputs['expires-in-days']).toBe(String(days))
      expect(result.outputs.expired).toBe(String(days < 0))
    }
  )

  it('the lower-case x-rate-limit header feeds rate-limit-remaining', async () => {
    const result = await run({ 'app-id': landmark('legacy.app') })
    expect(result.exitCode).toBe(0)
    const used = sandbox.requests.filter(request => request.tokenVerified).length
    expect(result.outputs['rate-limit-remaining']).toBe(String(3600 - used))
  })

  it('next links with the cursor first and encoded brackets are followed to the end', async () => {
    const before = sandbox.requests.length
    const question = { appId: e2e.weather.id, platform: 'any' as const }
    const result = await run({
      'app-id': e2e.weather.id,
      platform: 'any',
      'next-build-number': 'true'
    })
    expect(result.errors).toEqual([])
    expect(result.outputs['next-build-number']).toBe(oracleNext(question))
    const followed = sandbox.requests
      .slice(before)
      .filter(request => request.url.includes('?cursor='))
    expect(followed.map(request => request.path)).toEqual(
      expect.arrayContaining(['/v1/builds', `/v1/apps/${e2e.weather.id}/buildUploads`])
    )
    for (const request of followed) expect(request.url).not.toMatch(/[[\]]/)
    const builds = followed.filter(request => request.path === '/v1/builds')
    for (const request of builds) expect(request.url).toContain(`filter%5Bapp%5D=${e2e.weather.id}`)
  })

  it('a 401 body without an id: Apple’s code and the hint', async () => {
    const result = await run({ 'app-id': landmark('legacy.app'), 'key-id': 'NOSUCHKEY1' })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(/answered 401 while .*: NOT_AUTHORIZED: .*issuer-id, key-id/)
    ])
  })

  it('a 500 body without an id: Apple’s code, after the retries', async () => {
    sandbox.injectFault({ fault: { kind: 'status', status: 500 }, times: 2 })
    const result = await run({ 'app-id': landmark('legacy.app'), 'max-attempts': '2' })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(/answered 500 while .*: UNEXPECTED_ERROR: .*Gave up after 2 attempts/)
    ])
  })

  it('the agreements 403: Apple’s code, where links.see points, and what to do', async () => {
    sandbox.injectFault({ fault: { kind: 'agreements' } })
    const result = await run({ 'app-id': landmark('legacy.app') })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /answered 403 .*FORBIDDEN\.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED: .* \(Apple points to \/agreements\)\. The Account Holder must accept/
      )
    ])
  })
})
