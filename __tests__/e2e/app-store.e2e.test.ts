// The App Store side end to end: the bundle run as the runner runs it against the sandbox's
// App Store versions, each answer checked against the version the sandbox planted.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type {
  LandmarkName,
  Sandbox,
  SandboxApp,
  SandboxAppStoreVersion,
  SandboxBuild
} from '../../sandbox/index.js'
import { plantedIn, startE2e, type E2eContext } from './harness.js'

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

const plantedVersion = (name: LandmarkName): SandboxAppStoreVersion =>
  plantedIn(sandbox.catalogue).appStoreVersion(name)
const appWith = (bundleId: string): SandboxApp => plantedIn(sandbox.catalogue).app(bundleId)

function buildOf(version: SandboxAppStoreVersion): SandboxBuild {
  const build = sandbox.catalogue.builds.find(candidate => candidate.id === version.buildId)
  if (!build) throw new Error(`App Store version ${version.id} ships no build`)
  return build
}

/** Each request as "path filter[appVersionState]=... filter[platform]=... include=...". */
function requestLines(): string[] {
  return sandbox.requests.map(request => {
    const shown = ['filter[appVersionState]', 'filter[platform]', 'include']
      .filter(name => request.query[name])
      .map(name => `${name}=${request.query[name]!.join(',')}`)
    return [request.path, ...shown].join(' ')
  })
}

describe('the live build (app-store-state: READY_FOR_DISTRIBUTION)', () => {
  it('is the build of the version on sale, found with one request by app-id', async () => {
    const live = plantedVersion('weather.ios.appStore.live')
    const build = buildOf(live)
    const result = await e2e.run({
      'app-id': weather.id,
      'app-store-state': 'READY_FOR_DISTRIBUTION'
    })
    expect(result.errors).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      found: 'true',
      'build-id': build.id,
      version: build.version,
      'app-version': live.versionString,
      platform: 'IOS',
      'app-store-version': live.versionString,
      'app-store-state': 'READY_FOR_DISTRIBUTION'
    })
    expect(requestLines()).toEqual([
      `/v1/apps/${weather.id}/appStoreVersions filter[appVersionState]=READY_FOR_DISTRIBUTION filter[platform]=IOS include=build`
    ])
  })

  it('takes one more request to find the app by bundle-id', async () => {
    const live = plantedVersion('weather.ios.appStore.live')
    const result = await e2e.run({
      'bundle-id': weather.bundleId,
      'app-store-state': 'READY_FOR_DISTRIBUTION'
    })
    expect(result.outputs).toMatchObject({ found: 'true', 'build-id': live.buildId })
    expect(sandbox.requests.map(request => request.path)).toEqual([
      '/v1/apps',
      `/v1/apps/${weather.id}/appStoreVersions`
    ])
  })

  it('stays the answer past its TestFlight expiration; the expiry gate applies only when asked', async () => {
    const live = plantedVersion('weather.ios.appStore.live')
    const build = buildOf(live)
    expect(Date.parse(build.expirationDate)).toBeLessThan(Date.now())
    const result = await e2e.run({
      'app-id': weather.id,
      'app-store-state': 'READY_FOR_DISTRIBUTION'
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ found: 'true', expired: 'true' })
    expect(Number(result.outputs['expires-in-days'])).toBeLessThan(0)
    expect(result.stdout).toContain(
      'in TestFlight it has expired, which does not matter on the App Store'
    )

    const gated = await e2e.run({
      'app-id': weather.id,
      'app-store-state': 'READY_FOR_DISTRIBUTION',
      'min-days-until-expiry': '7'
    })
    expect(gated.exitCode).toBe(1)
    expect(gated.outputs).toMatchObject({ found: 'true', 'build-id': build.id })
    expect(gated.errors.join('\n')).toMatch(/min-days-until-expiry/)
  })

  it('differs per platform: macOS has its own live version and build', async () => {
    const ios = plantedVersion('weather.ios.appStore.live')
    const mac = plantedVersion('weather.mac.appStore.live')
    expect(mac.buildId).not.toBe(ios.buildId)
    const result = await e2e.run({
      'app-id': weather.id,
      platform: 'macos',
      'app-store-state': 'READY_FOR_DISTRIBUTION'
    })
    expect(result.outputs).toMatchObject({
      found: 'true',
      'build-id': mac.buildId,
      platform: 'MAC_OS',
      'app-store-version': mac.versionString
    })
    expect(requestLines()).toEqual([
      `/v1/apps/${weather.id}/appStoreVersions filter[appVersionState]=READY_FOR_DISTRIBUTION filter[platform]=MAC_OS include=build`
    ])
  })

  it('accepts the older name READY_FOR_SALE, sends the new one and says so in the log', async () => {
    const live = plantedVersion('weather.ios.appStore.live')
    const result = await e2e.run({ 'app-id': weather.id, 'app-store-state': 'READY_FOR_SALE' })
    expect(result.outputs).toMatchObject({ found: 'true', 'build-id': live.buildId })
    expect(result.stdout).toMatch(/app-store-state: READY_FOR_SALE .*READY_FOR_DISTRIBUTION/)
    expect(sandbox.requests[0]!.query['filter[appVersionState]']).toEqual([
      'READY_FOR_DISTRIBUTION'
    ])
  })
})

describe('other App Store states', () => {
  it('PREPARE_FOR_SUBMISSION answers with the build of the version being prepared', async () => {
    const preparing = plantedVersion('weather.ios.appStore.preparing')
    const result = await e2e.run({
      'app-id': weather.id,
      'app-store-state': 'PREPARE_FOR_SUBMISSION'
    })
    expect(result.outputs).toMatchObject({
      found: 'true',
      'build-id': preparing.buildId,
      'app-store-version': preparing.versionString,
      'app-store-state': 'PREPARE_FOR_SUBMISSION'
    })
  })

  it('an app with no live version yet is not found, and the message names the states it has', async () => {
    const widget = appWith('com.example.weather.widget')
    const waiting = plantedVersion('widget.ios.appStore.waitingForReview')
    const result = await e2e.run({
      'app-id': widget.id,
      'app-store-state': 'READY_FOR_DISTRIBUTION'
    })
    expect(result.exitCode).toBe(1)
    expect(result.outputs).toMatchObject({ found: 'false', 'build-id': '' })
    expect(result.errors.join('\n')).toContain(
      `Its App Store versions are in other states: ${waiting.versionString} (IOS) WAITING_FOR_REVIEW.`
    )
    // The versions in those states were none, so one more request lists every version.
    expect(sandbox.requests.map(request => request.path)).toEqual([
      `/v1/apps/${widget.id}/appStoreVersions`,
      `/v1/apps/${widget.id}/appStoreVersions`
    ])
  })

  it('follows a version through review to the App Store as the timeline moves it', async () => {
    // A sandbox of its own: the timeline changes the version for good.
    const own = await startE2e()
    try {
      const preparing = plantedIn(own.sandbox.catalogue).appStoreVersion(
        'weather.ios.appStore.preparing'
      )
      const ask = { 'app-id': own.weather.id, 'app-store-state': 'WAITING_FOR_REVIEW,IN_REVIEW' }
      const before = await own.run(ask)
      expect(before.outputs.found).toBe('false')
      own.sandbox.scheduleAppStoreVersion({
        appStoreVersionId: preparing.id,
        steps: [{ at: 0, state: 'WAITING_FOR_REVIEW' }]
      })
      own.sandbox.startTimeline()
      await new Promise(resolve => setTimeout(resolve, 200))
      const after = await own.run(ask)
      expect(after.outputs).toMatchObject({
        found: 'true',
        'build-id': preparing.buildId,
        'app-store-state': 'WAITING_FOR_REVIEW'
      })
    } finally {
      await own.sandbox.close()
    }
  })
})

describe('refused before any request', () => {
  it.each([
    [{ 'ready-for': 'internal-testing' }, 'ready-for'],
    [{ 'wait-minutes': '5' }, 'wait-minutes']
  ])('app-store-state with %j', async (extra, named) => {
    const result = await e2e.run({
      'app-id': weather.id,
      'app-store-state': 'READY_FOR_DISTRIBUTION',
      ...extra
    })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toContain(named)
    expect(result.errors[0]).toContain('app-store-state')
    expect(sandbox.requests).toEqual([])
  })

  it('a state Apple does not have, named with the states it does', async () => {
    const result = await e2e.run({ 'app-id': weather.id, 'app-store-state': 'LIVE' })
    expect(result.exitCode).toBe(1)
    expect(result.errors[0]).toMatch(
      /app-store-state must list App Store version states from .*READY_FOR_DISTRIBUTION/
    )
    expect(sandbox.requests).toEqual([])
  })
})

describe('every answer says where its build stands on the App Store', () => {
  it('an ordinary run still makes one request, and a build attached to a version says which', async () => {
    const preparing = plantedVersion('weather.ios.appStore.preparing')
    const build = buildOf(preparing)
    const result = await e2e.run({
      'app-id': weather.id,
      'build-number': build.version,
      'app-version': preparing.versionString
    })
    expect(result.outputs).toMatchObject({
      found: 'true',
      'build-id': build.id,
      'app-store-version': preparing.versionString,
      'app-store-state': 'PREPARE_FOR_SUBMISSION'
    })
    expect(sandbox.requests).toHaveLength(1)
    expect(sandbox.requests[0]!.query.include![0]!.split(',')).toContain('appStoreVersion')
    // Underscores reach the summary as &#95;, which renders as _.
    const summary = result.summary.replaceAll('&#95;', '_')
    expect(summary).toContain(
      `<tr><td>App Store</td><td>version <code>${preparing.versionString}</code>, PREPARE_FOR_SUBMISSION</td></tr>`
    )
    expect(summary).toContain(
      `<tr><td>TestFlight</td><td>internal ${build.betaDetail.internalBuildState}, external ${build.betaDetail.externalBuildState}</td></tr>`
    )
  })

  it('a build attached to no App Store version leaves both outputs empty', async () => {
    const result = await e2e.run({ 'app-id': weather.id })
    expect(result.outputs.found).toBe('true')
    const attached = sandbox.catalogue.appStoreVersions?.some(
      version => version.buildId === result.outputs['build-id']
    )
    expect(attached).toBe(false)
    expect(result.outputs).toMatchObject({ 'app-store-version': '', 'app-store-state': '' })
    expect(sandbox.requests).toHaveLength(1)
    // The default answer can be held by export compliance: the summary now says so.
    const build = sandbox.catalogue.builds.find(
      candidate => candidate.id === result.outputs['build-id']
    )!
    const summary = result.summary.replaceAll('&#95;', '_')
    expect(summary).toContain(
      `<tr><td>TestFlight</td><td>internal ${build.betaDetail.internalBuildState}, external ${build.betaDetail.externalBuildState}</td></tr>`
    )
    expect(summary).toContain('<tr><td>App Store</td><td>in no App Store version</td></tr>')
  })
})
