// The bundled action, run as the runner runs it, against the App Store Connect sandbox on
// loopback; each answer checked against one computed independently from the catalogue.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type ActionRun, type RunActionOptions } from '../../local-runner/run-action.js'
import type { Sandbox, SandboxApp } from '../../sandbox/index.js'
import { expectedAnswer, expectOutputsFor, startE2e, type E2eContext } from './harness.js'
import { expectedBuild, type Expected, type Question } from './oracle.js'

const DAY_MS = 86_400_000

function pkcs8(kind: 'rsa' | 'P-384'): string {
  const { privateKey } =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: kind })
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
}

function sec1(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return privateKey.export({ type: 'sec1', format: 'pem' }).toString()
}

let e2e: E2eContext
let sandbox: Sandbox
let weather: SandboxApp

beforeAll(async () => {
  e2e = await startE2e()
  ;({ sandbox, weather } = e2e)
})
afterAll(async () => sandbox?.close())
beforeEach(() => sandbox.resetRequests())

const run = (inputs: Record<string, string>, options?: RunActionOptions): Promise<ActionRun> =>
  e2e.run(inputs, options)

function expected(question: Omit<Question, 'now'>): Expected {
  return expectedAnswer(sandbox.catalogue, question)
}

function builds(): number {
  return sandbox.requests.filter(request => request.path === '/v1/builds').length
}

describe('the latest usable build', () => {
  it('by app id: one request, signed with ES256, the right build in every output', async () => {
    const result = await run({ 'app-id': weather.id })
    expectOutputsFor(result, expected({ appId: weather.id }))
    expect(result.outputs.expired).toBe('false')
    expect(sandbox.requests).toHaveLength(1)
    expect(sandbox.requests[0]!.tokenVerified).toBe(true)
    expect(result.summary).toContain(result.outputs.version!)
  })

  it('by bundle id: exact match among prefix matches, two requests', async () => {
    const result = await run({ 'bundle-id': 'com.example.weather' })
    expectOutputsFor(result, expected({ appId: weather.id }))
    expect(result.outputs['app-id']).toBe(weather.id)
    expect(sandbox.requests.map(request => request.path)).toEqual(['/v1/apps', '/v1/builds'])
  })

  it('by build number: every matching build read, 200 per request, compared numerically', async () => {
    const answer = expected({ appId: weather.id, latestBy: 'build-number' })
    const result = await run({ 'app-id': weather.id, 'latest-by': 'build-number' })
    expectOutputsFor(result, answer)
    expect(builds()).toBe(Math.max(1, Math.ceil(answer.matching / 200)))
  })

  it('with an individual key (sub "user", no issuer)', async () => {
    const result = await runAction({
      'key-id': e2e.individualKey.keyId,
      'private-key': e2e.individualKey.pem,
      'api-base-url': sandbox.url,
      'app-id': weather.id
    })
    expectOutputsFor(result, expected({ appId: weather.id }))
    expect(sandbox.requests.every(request => request.tokenVerified)).toBe(true)
  })

  it.each([
    ['PEM with literal \\n escapes', 'escaped'],
    ['base64 of the whole .p8 file', 'base64File'],
    ['the bare base64 body', 'bareBody']
  ] as const)('reads the key given as %s', async (_form, encoding) => {
    const result = await run({ 'app-id': weather.id, 'private-key': e2e.teamKey[encoding] })
    expectOutputsFor(result, expected({ appId: weather.id }))
  })
})

describe('every filter', () => {
  it.each(['IOS', 'MAC_OS', 'TV_OS', 'VISION_OS'])('platform %s', async platform => {
    const app = sandbox.catalogue.apps.find(candidate =>
      expectedBuild(sandbox.catalogue, { appId: candidate.id, platform, now: new Date() })
    )!
    const result = await run({
      'app-id': app.id,
      platform: platform.toLowerCase().replace('_', '')
    })
    const answer = expected({ appId: app.id, platform })
    if (!/^\d+(\.\d+){0,2}$/.test(answer.build.version)) {
      // A catalogue that numbers an app's builds in four parts, which Apple does not allow
      // (one to three): the answer is refused, and nothing is written as found.
      expect(result.errors).toEqual([
        expect.stringMatching(/outputs cannot carry .*version is not/)
      ])
      expect(result.outputs).toMatchObject({ found: 'false', version: '', 'app-id': app.id })
      return
    }
    expectOutputsFor(result, answer)
  })

  it('app version', async () => {
    const versions = sandbox.catalogue.preReleaseVersions.filter(prv => prv.appId === weather.id)
    const older = versions.find(prv =>
      expectedBuild(sandbox.catalogue, {
        appId: weather.id,
        appVersion: prv.version,
        now: new Date()
      })
    )!
    const result = await run({ 'app-id': weather.id, 'app-version': older.version })
    expectOutputsFor(result, expected({ appId: weather.id, appVersion: older.version }))
  })

  it('build number', async () => {
    const target = sandbox.catalogue.builds.find(
      build => build.appId === weather.id && build.processingState === 'VALID' && !build.expired
    )!
    const result = await run({ 'app-id': weather.id, 'build-number': target.version })
    expectOutputsFor(result, expected({ appId: weather.id, buildNumber: target.version }))
  })

  it.each(['APP_STORE_ELIGIBLE', 'INTERNAL_ONLY'])('audience %s', async audience => {
    const result = await run({ 'app-id': weather.id, 'build-audience-type': audience })
    expectOutputsFor(result, expected({ appId: weather.id, audience }))
  })

  it.each(['VALID', 'PROCESSING', 'FAILED', 'INVALID'])(
    'processing state %s, expired included',
    async state => {
      const result = await run({
        'app-id': weather.id,
        'processing-state': state.toLowerCase(),
        'include-expired': 'true'
      })
      expectOutputsFor(
        result,
        expected({ appId: weather.id, states: [state], includeExpired: true })
      )
    }
  )

  it('several processing states at once', async () => {
    const result = await run({ 'app-id': weather.id, 'processing-state': 'VALID,PROCESSING' })
    expectOutputsFor(result, expected({ appId: weather.id, states: ['VALID', 'PROCESSING'] }))
  })

  it('include-expired finds an expired build and says so', async () => {
    const old = sandbox.catalogue.builds.find(
      build => build.appId === weather.id && build.processingState === 'VALID' && build.expired
    )!
    const result = await run({
      'app-id': weather.id,
      'build-number': old.version,
      'include-expired': 'true'
    })
    expectOutputsFor(
      result,
      expected({ appId: weather.id, buildNumber: old.version, includeExpired: true })
    )
    expect(result.outputs.expired).toBe('true')
  })

  it('every input at once, with build-number ordering', async () => {
    const answer = expected({
      appId: weather.id,
      latestBy: 'build-number',
      platform: 'IOS',
      states: ['VALID', 'PROCESSING'],
      audience: 'APP_STORE_ELIGIBLE',
      includeExpired: true
    })
    const result = await run({
      'bundle-id': 'com.example.weather',
      'latest-by': 'build-number',
      platform: 'IOS',
      'processing-state': 'VALID,PROCESSING',
      'build-audience-type': 'app_store_eligible',
      'include-expired': 'true',
      'app-version': answer.preReleaseVersion.version,
      'job-summary': 'false',
      'timeout-seconds': '10'
    })
    expectOutputsFor(
      result,
      expected({
        appId: weather.id,
        latestBy: 'build-number',
        platform: 'IOS',
        states: ['VALID', 'PROCESSING'],
        audience: 'APP_STORE_ELIGIBLE',
        includeExpired: true,
        appVersion: answer.preReleaseVersion.version
      })
    )
    expect(result.summary).toBe('')
  })
})

describe('when nothing matches', () => {
  it('fails, naming the app and every filter, with found=false and the app id', async () => {
    const result = await run({
      'bundle-id': 'com.example.weather',
      'build-number': '999999',
      platform: 'tvos'
    })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      /No build of app \d+ \(com.example.weather\) matches processing state VALID, not expired, platform TV_OS, build number 999999/
    )
    expect(result.outputs).toMatchObject({
      found: 'false',
      'app-id': weather.id,
      'build-id': '',
      version: ''
    })
    expect(result.summary).toMatch(/No build of app/)
  })

  it('passes with found=false when fail-if-not-found is false', async () => {
    const result = await run({
      'app-id': weather.id,
      'build-number': '999999',
      'fail-if-not-found': 'false'
    })
    expect(result.exitCode).toBe(0)
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({
      found: 'false',
      'app-id': weather.id,
      'expiration-date': ''
    })
    expect(result.stdout).toMatch(/found=false/)
    // No other platform has it either (one request), and the app id came from the user, so
    // the not-found path checks the app exists once.
    expect(sandbox.requests.map(request => request.path)).toEqual([
      '/v1/builds',
      '/v1/builds',
      `/v1/apps/${weather.id}`
    ])
    expect(sandbox.requests[0]!.query['filter[preReleaseVersion.platform]']).toEqual(['IOS'])
    expect(sandbox.requests[1]!.query['filter[preReleaseVersion.platform]']).toBeUndefined()
  })

  it('fails with Apple’s 404 and the app-id hint for an unknown app', async () => {
    const result = await run({ 'app-id': '999999999' })
    expect(result.exitCode).toBe(1)
    expect(result.errors[0]).toMatch(
      /answered 404 while looking up app 999999999: NOT_FOUND.*Check app-id/
    )
    expect(result.outputs).toMatchObject({ found: 'false', 'app-id': '999999999' })
  })

  it('fails naming an unknown bundle id, with the similar ones the key can see', async () => {
    const result = await run({ 'bundle-id': 'com.example.weath' })
    expect(result.exitCode).toBe(1)
    expect(result.errors[0]).toMatch(
      /No app with bundle id com.example.weath is visible.*The closest it can see: com.example.weather,/
    )
    expect(result.outputs.found).toBe('false')
  })
})

describe('the expiry gate', () => {
  /** A usable iOS build of the app that expires within a month: the gate can pass or fail. */
  function olderBuild(): { answer: Expected; days: number } {
    const now = Date.now()
    const platformOf = new Map(sandbox.catalogue.preReleaseVersions.map(p => [p.id, p.platform]))
    const build = sandbox.catalogue.builds.find(
      candidate =>
        candidate.appId === weather.id &&
        platformOf.get(candidate.preReleaseVersionId) === 'IOS' &&
        candidate.processingState === 'VALID' &&
        !candidate.expired &&
        Date.parse(candidate.expirationDate) - now > 5 * DAY_MS &&
        Date.parse(candidate.expirationDate) - now < 30 * DAY_MS
    )!
    const answer = expected({ appId: weather.id, buildNumber: build.version })
    return { answer, days: Math.floor((Date.parse(build.expirationDate) - now) / DAY_MS) }
  }

  it('passes a build with enough days left', async () => {
    const { answer, days } = olderBuild()
    const result = await run({
      'app-id': weather.id,
      'build-number': answer.build.version,
      'min-days-until-expiry': String(days)
    })
    expectOutputsFor(result, answer)
  })

  it('fails a build that expires too soon, outputs still written', async () => {
    const { answer, days } = olderBuild()
    const result = await run({
      'app-id': weather.id,
      'build-number': answer.build.version,
      'min-days-until-expiry': String(days + 1)
    })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `Build ${answer.build.version.replace(/\./g, '\\.')} .* expires in ${days} days .* fewer than min-days-until-expiry \\(${days + 1}\\)`
        )
      )
    ])
    expect(result.outputs).toMatchObject({ found: 'true', 'build-id': answer.build.id })
  })
})

describe('bad input', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ['a malformed app-id', { 'app-id': 'weather' }, /app-id must be the numeric Apple ID/],
    ['an unknown platform', { 'app-id': '1', platform: 'android' }, /platform must be one of/],
    ['both app inputs', { 'app-id': '1', 'bundle-id': 'com.example.weather' }, /both set/],
    ['neither app input', {}, /Neither app-id nor bundle-id/],
    ['an RSA key', { 'app-id': '1', 'private-key': pkcs8('rsa') }, /private-key is an RSA key/],
    ['a P-384 key', { 'app-id': '1', 'private-key': pkcs8('P-384') }, /curve secp384r1/],
    ['a SEC1 key', { 'app-id': '1', 'private-key': sec1() }, /"EC PRIVATE KEY" PEM block.*PKCS#8/],
    [
      'base64 of garbage',
      { 'app-id': '1', 'private-key': Buffer.from('not a key').toString('base64') },
      /private-key is base64, but it decodes neither/
    ],
    [
      'an escaped PEM with a damaged body',
      {
        'app-id': '1',
        'private-key': '-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----'
      },
      /private-key could not be read as a PKCS#8 private key/
    ],
    [
      'plain http to a remote host',
      { 'app-id': '1', 'api-base-url': 'http://example.com' },
      /api-base-url must use https/
    ]
  ])('%s: one error naming the input, exit 1, no request', async (_case, inputs, message) => {
    const result = await run(inputs)
    expect(result.exitCode).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(message)
    expect(sandbox.requests).toHaveLength(0)
    expect(result.outputs).toEqual({})
  })

  it.each([
    ['a fork', { GITHUB_ACTOR: 'someone' }, 'from a fork'],
    ['Dependabot', { GITHUB_ACTOR: 'dependabot[bot]' }, 'from Dependabot']
  ])(
    'empty credentials on a pull request from %s: says secrets are withheld and how to skip',
    async (_case, actor, why) => {
      const folder = mkdtempSync(join(tmpdir(), 'fork-event-'))
      const event = join(folder, 'event.json')
      writeFileSync(
        event,
        JSON.stringify({
          pull_request: {
            number: 3,
            head: { repo: { full_name: 'someone/weather' } },
            base: { repo: { full_name: 'acme/weather' } }
          }
        })
      )
      const result = await run(
        { 'app-id': '1', 'issuer-id': '', 'key-id': '', 'private-key': '' },
        { env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, ...actor } }
      )
      rmSync(folder, { recursive: true, force: true })
      expect(result.exitCode).toBe(1)
      expect(result.errors).toEqual([
        expect.stringContaining(
          `issuer-id, key-id and private-key are all empty: this pull request is ${why}, and GitHub gives such runs no repository secrets. Skip the step there with if:`
        )
      ])
      expect(sandbox.requests).toHaveLength(0)
    }
  )

  it('empty credentials outside a pull request: the usual "is required" errors', async () => {
    const result = await run({ 'app-id': '1', 'issuer-id': '', 'key-id': '', 'private-key': '' })
    expect(result.errors[0]).toMatch(/key-id is required.*private-key is required/)
  })
})

describe('the catalogue sets the traps these answers must avoid', () => {
  const uploadedAt = (date: string): number => Date.parse(date)

  it('the newest upload of the app is not usable, and the newest overall is another app’s', () => {
    const newestFirst = [...sandbox.catalogue.builds].sort(
      (a, b) => uploadedAt(b.uploadedDate) - uploadedAt(a.uploadedDate)
    )
    expect(newestFirst[0]!.appId).not.toBe(weather.id)
    const newestOfApp = newestFirst.find(build => build.appId === weather.id)!
    expect(newestOfApp.id).not.toBe(expected({ appId: weather.id }).build.id)
  })

  it('"most recently uploaded" and "highest build number" are different builds', () => {
    expect(expected({ appId: weather.id }).build.id).not.toBe(
      expected({ appId: weather.id, latestBy: 'build-number' }).build.id
    )
  })

  it('a text sort of build numbers, as Apple’s, picks another build for some app', () => {
    const fooled = sandbox.catalogue.apps.some(app => {
      const answer = expectedBuild(sandbox.catalogue, {
        appId: app.id,
        latestBy: 'build-number',
        includeExpired: true,
        states: ['VALID', 'PROCESSING', 'FAILED', 'INVALID'],
        now: new Date()
      })
      const textually = sandbox.catalogue.builds
        .filter(build => build.appId === app.id)
        .map(build => build.version)
        .sort()
        .at(-1)
      return answer !== undefined && textually !== answer.build.version
    })
    expect(fooled).toBe(true)
  })
})
