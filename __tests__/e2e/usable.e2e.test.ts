// "Usable" as Apple means it, end to end: the bundle run as the runner runs it, against the
// sandbox, each answer checked against one computed from the catalogue by the oracle.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { ActionRun } from '../../local-runner/run-action.js'
import type {
  LandmarkName,
  Sandbox,
  SandboxApp,
  SandboxBuild,
  SandboxBuildUpload
} from '../../sandbox/index.js'
import {
  expectedAnswer,
  expectOutputsFor,
  plantedIn,
  startE2e,
  type E2eContext
} from './harness.js'
import {
  expectedBuild,
  expectedNextBuildNumber,
  isExpiredAt,
  isReady,
  type Expected,
  type NextBuildNumberQuestion,
  type Question,
  type ReadyFor
} from './oracle.js'

let e2e: E2eContext
let sandbox: Sandbox
let weather: SandboxApp

beforeAll(async () => {
  e2e = await startE2e()
  ;({ sandbox, weather } = e2e)
})
afterAll(async () => sandbox?.close())
beforeEach(() => {
  sandbox.clearFaults()
  sandbox.resetRequests()
})

const run = (inputs: Record<string, string>): Promise<ActionRun> => e2e.run(inputs)

const app = (bundleId: string): SandboxApp => plantedIn(sandbox.catalogue).app(bundleId)
const landmark = (name: LandmarkName): string => plantedIn(sandbox.catalogue).landmark(name)
const plantedBuild = (name: LandmarkName): SandboxBuild => plantedIn(sandbox.catalogue).build(name)
const plantedUpload = (name: LandmarkName): SandboxBuildUpload =>
  plantedIn(sandbox.catalogue).upload(name)

function trainOf(build: SandboxBuild): string {
  return sandbox.catalogue.preReleaseVersions.find(prv => prv.id === build.preReleaseVersionId)!
    .version
}

function expected(question: Omit<Question, 'now'>): Expected {
  return expectedAnswer(sandbox.catalogue, question)
}

function nextNumber(question: NextBuildNumberQuestion): ReturnType<typeof expectedNextBuildNumber> {
  return expectedNextBuildNumber(sandbox.catalogue, question)
}

/** The requests to a path, in order. */
function requestsTo(path: string): Sandbox['requests'] {
  return sandbox.requests.filter(request => request.path === path)
}

function expectEveryRequestAnswered(): void {
  expect(sandbox.requests.map(request => request.status)).toEqual(sandbox.requests.map(() => 200))
}

describe('ready-for: TestFlight and App Store readiness', () => {
  it('any (the default): the latest VALID iOS build, with its TestFlight state as Apple holds it', async () => {
    const answer = expected({ appId: weather.id })
    expect(answer.build.id).toBe(landmark('weather.ios.latestValid'))
    expect(answer.build.betaDetail.internalBuildState).toBe('MISSING_EXPORT_COMPLIANCE')
    expect(answer.build.usesNonExemptEncryption).toBeNull()
    const result = await run({ 'app-id': weather.id })
    expectOutputsFor(result, answer)
    expect(result.outputs['uses-non-exempt-encryption']).toBe('')
    expect(sandbox.requests).toHaveLength(1)
  })

  it.each<[ReadyFor, LandmarkName]>([
    ['internal-testing', 'weather.ios.internalOnly'],
    ['external-testing', 'weather.ios.betaApproved'],
    ['app-store', 'weather.ios.betaRejected']
  ])(
    '%s: the latest ready build, not the latest VALID one; still one request',
    async (readyFor, planted) => {
      const answer = expected({ appId: weather.id, readyFor })
      const latestValid = expected({ appId: weather.id })
      expect(answer.build.id).toBe(landmark(planted))
      expect(answer.build.id).not.toBe(latestValid.build.id)
      expect(isReady(latestValid.build, readyFor)).toBe(false)

      const result = await run({ 'app-id': weather.id, 'ready-for': readyFor })
      expectOutputsFor(result, answer)
      expect(sandbox.requests).toHaveLength(1)
      const [request] = sandbox.requests
      expect(request!.query.include![0]!.split(',')).toContain('buildBetaDetail')
      expect(request!.query['fields[buildBetaDetails]']).toEqual([
        'internalBuildState,externalBuildState'
      ])
      expect(request!.query['fields[builds]']![0]!.split(',')).toContain('usesNonExemptEncryption')
    }
  )

  it('every ready-for value picks another build', async () => {
    const values: ReadyFor[] = ['any', 'internal-testing', 'external-testing', 'app-store']
    const chosen = []
    for (const readyFor of values) {
      const result = await run({ 'app-id': weather.id, 'ready-for': readyFor })
      expect(result.outputs['build-id']).toBe(expected({ appId: weather.id, readyFor }).build.id)
      chosen.push(result.outputs['build-id'])
    }
    expect(new Set(chosen).size).toBe(values.length)
  })

  it.each<[ReadyFor, string]>([
    ['internal-testing', 'internal'],
    ['external-testing', 'external'],
    ['app-store', 'internal']
  ])(
    '%s with nothing ready: fails naming the latest candidate, its state and what to do',
    async (readyFor, side) => {
      const blocked = plantedBuild('weather.ios.latestValid')
      const question = { appId: weather.id, buildNumber: blocked.version }
      expect(expectedBuild(sandbox.catalogue, { ...question, readyFor, now: new Date() })).toBe(
        undefined
      )
      expect(expected(question).build.id).toBe(blocked.id)

      const result = await run({
        'app-id': weather.id,
        'build-number': blocked.version,
        'ready-for': readyFor
      })
      expect(result.exitCode).toBe(1)
      expect(result.errors).toHaveLength(1)
      const [error] = result.errors
      expect(error).toContain(
        `The latest candidate, build ${blocked.version} (${blocked.id}, app version ${trainOf(blocked)}), is not ready: ` +
          `${side} state ${blocked.betaDetail.internalBuildState}; answer the export compliance question`
      )
      expect(error).toContain('ITSAppUsesNonExemptEncryption')
      expect(error).toContain(`ready for ${readyFor.replace('-', ' ')}`)
      expect(result.outputs).toMatchObject({ found: 'false', 'build-id': '', 'app-id': weather.id })
      // A blocked candidate is news enough: no look at other platforms, nor at the app.
      expect(sandbox.requests).toHaveLength(1)
    }
  )
})

describe('app-version: the release train however it is spelled', () => {
  const currentTrain = (): string =>
    sandbox.catalogue.preReleaseVersions.find(
      prv => prv.id === landmark('weather.ios.currentTrain')
    )!.version

  it.each([
    ['3.2.0', {}],
    ['3.2.0', { platform: 'ios' }],
    ['3.2', {}]
  ])(
    '%s %j finds the iOS train stored as 3.2, asking for both spellings at once',
    async (version, extra) => {
      expect(currentTrain()).toBe('3.2')
      const answer = expected({ appId: weather.id, appVersion: version })
      expect(answer.preReleaseVersion.id).toBe(landmark('weather.ios.currentTrain'))
      // The trap: Apple finds the train only by its stored spelling.
      expect(
        sandbox.catalogue.preReleaseVersions.some(
          prv => prv.appId === weather.id && prv.platform === 'IOS' && prv.version === '3.2.0'
        )
      ).toBe(false)

      const result = await run({ 'app-id': weather.id, 'app-version': version, ...extra })
      expectOutputsFor(result, answer)
      expect(result.outputs['app-version']).toBe('3.2')
      expect(sandbox.requests).toHaveLength(1)
      const spellings = sandbox.requests[0]!.query['filter[preReleaseVersion.version]']!
      expect(spellings).toHaveLength(1)
      expect(spellings[0]!.split(',').sort()).toEqual(['3.2', '3.2.0'])
    }
  )

  it.each(['1.7', '1.7.0', '01.7'])(
    '%s finds the train stored with a leading zero (1.07)',
    async version => {
      const weatherpro = app('com.example.weatherpro')
      const train = landmark('weatherpro.ios.leadingZeroTrain')
      // The train is old: its builds have expired.
      const question = { appId: weatherpro.id, appVersion: version, includeExpired: true }
      const answer = expected(question)
      expect(answer.preReleaseVersion.id).toBe(train)
      expect(answer.preReleaseVersion.version).toBe('1.07')

      const result = await run({
        'app-id': weatherpro.id,
        'app-version': version,
        'include-expired': 'true'
      })
      expect(result.errors).toEqual([])
      expect(result.outputs).toMatchObject({
        found: 'true',
        'build-id': answer.build.id,
        'app-version': '1.07',
        platform: 'IOS'
      })
      // No spelling asked for finds it; one look at the app's versions, and the builds again.
      expect(sandbox.requests.map(request => request.path)).toEqual([
        '/v1/builds',
        '/v1/preReleaseVersions',
        '/v1/builds'
      ])
      const [first, , again] = sandbox.requests
      expect(first!.query['filter[preReleaseVersion.version]']![0]!.split(',')).not.toContain(
        '1.07'
      )
      expect(again!.query['filter[preReleaseVersion.version]']![0]!.split(',')).toContain('1.07')
      expectEveryRequestAnswered()
    }
  )
})

describe('platform: ios by default, any for every platform', () => {
  it('no platform input: the latest iOS build, not the newer macOS one', async () => {
    const answer = expected({ appId: weather.id })
    const everyPlatform = expected({ appId: weather.id, platform: 'any' })
    expect(everyPlatform.build.id).toBe(landmark('weather.mac.latestValid'))
    expect(answer.build.id).not.toBe(everyPlatform.build.id)

    const result = await run({ 'app-id': weather.id })
    expectOutputsFor(result, answer)
    expect(result.outputs.platform).toBe('IOS')
    expect(sandbox.requests).toHaveLength(1)
    expect(sandbox.requests[0]!.query['filter[preReleaseVersion.platform]']).toEqual(['IOS'])
  })

  it('platform any: the macOS build, the latest of every platform', async () => {
    const answer = expected({ appId: weather.id, platform: 'any' })
    const result = await run({ 'app-id': weather.id, platform: 'any' })
    expectOutputsFor(result, answer)
    expect(result.outputs.platform).toBe('MAC_OS')
    expect(sandbox.requests).toHaveLength(1)
    expect(sandbox.requests[0]!.query['filter[preReleaseVersion.platform]']).toBeUndefined()
  })

  it('a build number only macOS has: fails naming platform macos, for one extra request', async () => {
    const mac = plantedBuild('weather.mac.latestValid')
    expect(
      expectedBuild(sandbox.catalogue, {
        appId: weather.id,
        buildNumber: mac.version,
        now: new Date()
      })
    ).toBeUndefined()
    expect(
      expected({ appId: weather.id, buildNumber: mac.version, platform: 'any' }).build.id
    ).toBe(mac.id)

    const result = await run({ 'app-id': weather.id, 'build-number': mac.version })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toContain(
      `No build of app ${weather.id} matches processing state VALID, not expired, platform IOS, build number ${mac.version} (2 requests). ` +
        'It has matching builds for MAC_OS: set platform to macos (or any).'
    )
    expect(result.outputs.found).toBe('false')
    // One request for the answer, one more (on this path only) for the other platforms.
    expect(sandbox.requests.map(request => request.path)).toEqual(['/v1/builds', '/v1/builds'])
    const [asked, others] = sandbox.requests
    expect(asked!.query['filter[preReleaseVersion.platform]']).toEqual(['IOS'])
    expect(others!.query['filter[preReleaseVersion.platform]']).toBeUndefined()
    expect(others!.query['filter[version]']).toEqual([mac.version])
  })
})

describe('latest-by: app-version', () => {
  it('on an app that restarts build numbers per version: build 2 of the newest version, where build-number picks 70', async () => {
    const widget = app('com.example.weather.widget')
    const byVersion = expected({ appId: widget.id, latestBy: 'app-version' })
    const byNumber = expected({ appId: widget.id, latestBy: 'build-number' })
    expect(byVersion.build.id).toBe(landmark('widget.ios.newest'))
    expect(byVersion.preReleaseVersion.id).toBe(landmark('widget.ios.newTrain'))
    expect(byNumber.build.id).toBe(landmark('widget.ios.highestValidBuildNumber'))
    expect(byVersion.build.version).toBe('2')
    expect(byNumber.build.version).toBe('70')

    const result = await run({ 'app-id': widget.id, 'latest-by': 'app-version' })
    expectOutputsFor(result, byVersion)
    expect(requestsTo('/v1/builds')).toHaveLength(Math.ceil(byVersion.matching / 200))
    expect(sandbox.requests[0]!.query.limit).toEqual(['200'])

    sandbox.resetRequests()
    const numbered = await run({ 'app-id': widget.id, 'latest-by': 'build-number' })
    expectOutputsFor(numbered, byNumber)
  })

  it('on the main app: the newest version beats the hotfix of the older one', async () => {
    const answer = expected({ appId: weather.id, latestBy: 'app-version' })
    expect(answer.preReleaseVersion.id).toBe(landmark('weather.ios.currentTrain'))
    const result = await run({ 'app-id': weather.id, 'latest-by': 'app-version' })
    expectOutputsFor(result, answer)
  })
})

describe('next-build-number', () => {
  it('cancelled while working it out: the build stays found, and the error says what is missing', async () => {
    const { build } = expected({ appId: weather.id })
    sandbox.injectFault({ fault: { kind: 'hang' }, path: `/v1/apps/${weather.id}/buildUploads` })
    const uploadsAsked = new Promise<void>(resolve => {
      const poll = setInterval(() => {
        if (sandbox.requests.some(request => request.path.endsWith('/buildUploads'))) {
          clearInterval(poll)
          resolve()
        }
      }, 20)
      poll.unref()
    })
    const result = await e2e.run(
      { 'app-id': weather.id, 'next-build-number': 'true' },
      { interrupt: { signal: 'SIGTERM', when: uploadsAsked } }
    )
    expect(result.errors).toEqual([
      `The job was cancelled (SIGTERM). Build ${build.version} (${build.id}) had been found and its outputs are written, ` +
        'but next-build-number was not worked out and is empty: run the job again for it.'
    ])
    expect(result.outputs).toMatchObject({
      found: 'true',
      'build-id': build.id,
      'next-build-number': ''
    })
  })

  it('counts uploads that are not builds yet, in every state: not one more than /v1/builds shows', async () => {
    const { next, builds } = nextNumber({ appId: weather.id })
    const ios = new Set(
      sandbox.catalogue.preReleaseVersions
        .filter(prv => prv.appId === weather.id && prv.platform === 'IOS')
        .map(prv => prv.id)
    )
    const fromBuildsAlone = String(
      sandbox.catalogue.builds
        .filter(build => ios.has(build.preReleaseVersionId))
        .map(build => Number(build.version))
        .reduce((a, b) => Math.max(a, b)) + 1
    )
    // The trap: that number went to an upload that failed, and the next two are in flight.
    expect(fromBuildsAlone).toBe(plantedUpload('weather.ios.upload.failed').cfBundleVersion)
    const awaiting = plantedUpload('weather.ios.upload.awaiting')
    expect(Number(next)).toBeGreaterThan(Number(awaiting.cfBundleVersion))

    const result = await run({ 'app-id': weather.id, 'next-build-number': 'true' })
    expect(result.outputs['next-build-number']).toBe(next)
    expectOutputsFor(result, expected({ appId: weather.id }))
    // The search, then the builds and the uploads of every state, each at 200 a page.
    const pages = Math.ceil(builds / 200)
    const uploadPages = Math.ceil(
      sandbox.catalogue.buildUploads.filter(
        upload => upload.appId === weather.id && upload.platform === 'IOS'
      ).length / 200
    )
    expect(sandbox.requests.map(request => request.path)).toEqual([
      '/v1/builds',
      ...Array<string>(pages).fill('/v1/builds'),
      ...Array<string>(uploadPages).fill(`/v1/apps/${weather.id}/buildUploads`)
    ])
    const scan = sandbox.requests.slice(1, 1 + pages)
    for (const request of scan) {
      expect(request.query['filter[app]']).toEqual([weather.id])
      expect(request.query.limit).toEqual(['200'])
      expect(request.query['filter[expired]']).toBeUndefined()
      expect(request.query['filter[preReleaseVersion.platform]']).toEqual(['IOS'])
    }
    const uploads = sandbox.requests[1 + pages]!
    expect(uploads.query['filter[state]']).toBeUndefined()
    expect(uploads.query['filter[platform]']).toEqual(['IOS'])
    expectEveryRequestAnswered()
  })

  it('within app-version: the highest number of that train only', async () => {
    const hotfix = plantedBuild('weather.ios.latestValid')
    const version = trainOf(hotfix)
    const within = nextNumber({ appId: weather.id, appVersion: version })
    expect(within.next).not.toBe(nextNumber({ appId: weather.id }).next)

    const result = await run({
      'app-id': weather.id,
      'app-version': version,
      'next-build-number': 'true'
    })
    expect(result.errors).toEqual([])
    expect(result.outputs['next-build-number']).toBe(within.next)
    const uploads = requestsTo(`/v1/apps/${weather.id}/buildUploads`)
    expect(uploads).toHaveLength(1)
    expect(uploads[0]!.query['filter[cfBundleShortVersionString]']![0]!.split(',')).toContain(
      version
    )
    expectEveryRequestAnswered()
  })

  it('within a train spelled with a leading zero (1.07 asked as 1.7)', async () => {
    const weatherpro = app('com.example.weatherpro')
    const within = nextNumber({ appId: weatherpro.id, appVersion: '1.7' })
    expect(within.builds).toBeGreaterThan(0)
    const result = await run({
      'app-id': weatherpro.id,
      'app-version': '1.7',
      'include-expired': 'true',
      'next-build-number': 'true'
    })
    expect(result.errors).toEqual([])
    expect(result.outputs['next-build-number']).toBe(within.next)
    expect(within.highest).toMatch(/^1\.7\.\d+$/)
    expectEveryRequestAnswered()
  })

  it('1 for an app with no build on the platform', async () => {
    const widget = app('com.example.weather.widget')
    expect(nextNumber({ appId: widget.id, platform: 'MAC_OS' })).toEqual({
      next: '1',
      builds: 0,
      highest: undefined
    })
    const result = await run({
      'app-id': widget.id,
      platform: 'macos',
      'next-build-number': 'true',
      'fail-if-not-found': 'false'
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ found: 'false', 'next-build-number': '1' })
    expect(requestsTo(`/v1/apps/${widget.id}/buildUploads`)).toHaveLength(1)
  })

  it.each([
    ['app-id', () => ({ 'app-id': weather.id }), ['/v1/builds']],
    ['bundle-id', () => ({ 'bundle-id': weather.bundleId }), ['/v1/apps', '/v1/builds']]
  ] as const)(
    'false (the default) with %s: the output is empty and nothing more is asked',
    async (_case, inputs, paths) => {
      const result = await run({ ...inputs(), 'next-build-number': 'false' })
      expect(result.outputs['next-build-number']).toBe('')
      expectOutputsFor(result, expected({ appId: weather.id }))
      expect(sandbox.requests.map(request => request.path)).toEqual(paths)
      for (const request of requestsTo('/v1/apps')) expect(request.query.sort).toBeUndefined()
    }
  )
})

describe('finding the app by bundle id', () => {
  it('when Apple’s filter[bundleId] answers an empty page, the app is found in the full list', async () => {
    sandbox.injectFault({ fault: { kind: 'empty-page' }, path: '/v1/apps' })
    const result = await run({ 'bundle-id': weather.bundleId })
    expectOutputsFor(result, expected({ appId: weather.id }))
    expect(result.outputs['app-id']).toBe(weather.id)
    expect(sandbox.requests.map(request => [request.path, request.fault])).toEqual([
      ['/v1/apps', 'empty-page'],
      ['/v1/apps', undefined],
      ['/v1/builds', undefined]
    ])
    const [filtered, everyApp] = sandbox.requests
    expect(filtered!.query['filter[bundleId]']).toEqual([weather.bundleId])
    expect(everyApp!.query['filter[bundleId]']).toBeUndefined()
    expect(everyApp!.query.limit).toEqual(['200'])
    for (const request of [filtered!, everyApp!]) expect(request.query.sort).toBeUndefined()
  })

  it('a bundle id that is nowhere still fails with the closest ones, after the same two requests', async () => {
    const result = await run({ 'bundle-id': 'com.example.weathr' })
    expect(result.exitCode).toBe(1)
    expect(result.errors[0]).toMatch(
      /No app with bundle id com.example.weathr is visible.*The closest it can see: com.example.weather,/
    )
    expect(sandbox.requests.map(request => request.path)).toEqual(['/v1/apps', '/v1/apps'])
    for (const request of sandbox.requests) expect(request.query.sort).toBeUndefined()
  })
})

describe('expired lagging its expiration date', () => {
  function lagging(): { newsIos: SandboxApp; build: SandboxBuild } {
    const build = plantedBuild('newsIos.ios.expiryLagging')
    // The trap is live: past its date, and Apple (the sandbox) still says expired: false.
    expect(build.processingState).toBe('VALID')
    expect(build.expired).toBe(false)
    expect(Date.parse(build.expirationDate)).toBeLessThan(Date.now())
    expect(Date.parse(build.expirationDate) + (build.expiryLagMs ?? 0)).toBeGreaterThan(Date.now())
    expect(isExpiredAt(build, new Date())).toBe(true)
    return { newsIos: app('com.example.news.ios'), build }
  }

  it('a build past its expirationDate that Apple still calls expired: false is not chosen', async () => {
    // The client re-checks expirationDate: pinned here against the lag the sandbox models.
    const { newsIos, build } = lagging()
    const result = await run({
      'app-id': newsIos.id,
      'build-number': build.version,
      'fail-if-not-found': 'false'
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.found).toBe('false')
    // Apple answered it, and the action still refused it.
    expect(sandbox.requests[0]!.query['filter[expired]']).toEqual(['false'])
  })

  it('nor counted as a build of the app on another platform', async () => {
    // The look at other platforms re-checks the date too, so the failure does not send the
    // user to platform ios for this build.
    const { newsIos, build } = lagging()
    const result = await run({
      'app-id': newsIos.id,
      'build-number': build.version,
      platform: 'macos',
      'fail-if-not-found': 'false'
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.found).toBe('false')
    expect(result.stdout).not.toContain('It has matching builds')
    expect(sandbox.requests.map(request => request.path)).toEqual([
      '/v1/builds',
      '/v1/builds',
      `/v1/apps/${newsIos.id}`
    ])
    expect(sandbox.requests[1]!.query['filter[preReleaseVersion.platform]']).toBeUndefined()
    expect(sandbox.requests[1]!.query['filter[version]']).toEqual([build.version])
  })

  it('with include-expired it is found, and said to be expired', async () => {
    const { newsIos, build } = lagging()
    const result = await run({
      'app-id': newsIos.id,
      'build-number': build.version,
      'include-expired': 'true'
    })
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({ found: 'true', 'build-id': build.id, expired: 'true' })
  })
})
