// The bundled action against a hostile or broken App Store Connect on loopback: what such a
// server sends must not reach a shell, the log, the report or the runner's memory and time
// in any form the action did not check.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import { runAction, type ActionRun, type RunActionOptions } from '../../local-runner/run-action.js'
import {
  buildsPage,
  errorBody,
  hostileBuild,
  sendJson,
  startHostileApi,
  type HostileApi,
  type HostileBuild,
  type HostileHandler
} from '../support/hostile-api.js'
import { makeTestKey } from '../support/keys.js'

const APP_ID = '1600000001'
const key = makeTestKey()
let api: HostileApi

beforeAll(async () => {
  api = await startHostileApi()
})
afterAll(async () => api?.close())

function run(inputs: Record<string, string> = {}, options?: RunActionOptions): Promise<ActionRun> {
  return runAction(
    {
      'issuer-id': randomUUID(),
      'key-id': 'HOSTILE001',
      'private-key': key.pem,
      'api-base-url': api.url,
      'app-id': APP_ID,
      ...inputs
    },
    options
  )
}

/** These builds for every builds request, and the app for its lookup. */
function buildsAndApp(builds: HostileBuild[]): HostileHandler {
  return (request, response) => {
    if (new URL(request.url ?? '/', api.url).pathname === `/v1/apps/${APP_ID}`) {
      return sendJson(response, 200, { data: { type: 'apps', id: APP_ID, attributes: {} } })
    }
    sendJson(response, 200, buildsPage(builds))
  }
}

/** Outputs as "not found": found=false, the app id, the rate limit, and nothing else. */
function expectWrittenAsNotFound(result: ActionRun): void {
  expect(result.outputs.found).toBe('false')
  expect(result.outputs['waited-seconds']).toBe('0')
  for (const [name, value] of Object.entries(result.outputs)) {
    if (!['found', 'app-id', 'rate-limit-remaining', 'waited-seconds'].includes(name))
      expect([name, value]).toEqual([name, ''])
  }
}

/** No internal message, no stack trace. */
function expectNoInternals(result: ActionRun): void {
  const text = `${result.stdout}\n${result.stderr}`
  expect(text).not.toMatch(/is not a function|call stack|Cannot read propert|undefined|\n\s+at /)
}

describe('outputs that reach a shell: each is checked against Apple’s format before any is written', () => {
  const PAYLOAD = '"; touch pwned; echo "'
  it.each<[string, () => HostileBuild, RegExp]>([
    [
      'a build number carrying a shell command',
      () => hostileBuild({ version: `630${PAYLOAD}` }),
      /version "630\\"; touch pwned; echo \\""/
    ],
    [
      'a marketing version with a line break and an output of its own',
      () => hostileBuild({}, { version: '2.4\nfound=true' }),
      /app version "2\.4\\nfound=true"/
    ],
    [
      'an upload date that is not ISO 8601',
      () => hostileBuild({ uploadedDate: `2026-11-20${PAYLOAD}` }),
      /uploadedDate "2026-11-20\\"; touch pwned; echo \\""/
    ],
    [
      'a platform not of the form of Apple’s values',
      () => hostileBuild({}, { platform: 'IOS`id`' }),
      /platform "IOS`id`"/
    ],
    [
      'an audience not of the form of Apple’s values',
      () => hostileBuild({ buildAudienceType: `APP_STORE_ELIGIBLE${PAYLOAD}` }),
      /buildAudienceType "APP_STORE_ELIGIBLE\\"; touch pwned; echo \\""/
    ]
  ])(
    '%s: that build is left out with a warning naming the value; with no other, not found',
    async (_case, make, value) => {
      const build = make()
      const older = hostileBuild({ version: '629', uploadedDate: '2026-11-19T10:00:00-08:00' })
      api.answer(buildsAndApp([build]))
      // Every platform, so that a platform outside Apple's list is not filtered away first.
      const alone = await run({ platform: 'any' })
      expect(alone.exitCode).toBe(1)
      expect(alone.errors).toEqual([expect.stringMatching(/^No build of app 1600000001 matches/)])
      const warning = new RegExp(
        `^::warning::Left out build ${build.id}: App Store Connect sent ${value.source}, not of the form Apple's values have\\.$`,
        'm'
      )
      expect(alone.stdout).toMatch(warning)
      expectWrittenAsNotFound(alone)
      expect(JSON.stringify(alone.outputs)).not.toMatch(/pwned|found=true|`id`/)
      expect(alone.summary).not.toMatch(/pwned|found=true|`id`/)
      // Beside a good build, the good one is the answer: one odd value degrades one build.
      api.answer(buildsAndApp([build, older]))
      const beside = await run({ platform: 'any' })
      expect(beside.errors).toEqual([])
      expect(beside.outputs).toMatchObject({ found: 'true', 'build-id': older.id, version: '629' })
    }
  )

  it.each<[string, () => HostileBuild, RegExp]>([
    [
      'a build id that is not a UUID',
      () => ({ ...hostileBuild(), id: `$(touch pwned)` }),
      /build-id is not a UUID/
    ],
    [
      'an icon URL that is not https',
      () =>
        hostileBuild({
          iconAssetToken: { templateUrl: 'http://evil.example/{w}x{h}bb.{f}', width: 1, height: 1 }
        }),
      /icon-url is not an https URL/
    ],
    [
      'an icon URL with a quote',
      () =>
        hostileBuild({
          iconAssetToken: {
            templateUrl: `https://evil.example/${PAYLOAD}/{w}x{h}bb.{f}`,
            width: 1,
            height: 1
          }
        }),
      /icon-url is not an https URL/
    ],
    [
      'a minimum OS version with a command',
      () => hostileBuild({ minOsVersion: '17.0$(id)' }),
      /min-os-version is not one to four period-separated integers/
    ]
  ])(
    '%s: the step fails, naming the field, and nothing is written as found',
    async (_case, make, field) => {
      const build = make()
      api.answer((_request, response) => sendJson(response, 200, buildsPage([build])))
      const result = await run({ platform: 'any' })
      expect(result.exitCode).toBe(1)
      expect(result.errors).toEqual([
        expect.stringMatching(/^App Store Connect sent a build the outputs cannot carry \(/)
      ])
      expect(result.errors[0]).toMatch(field)
      expect(result.errors[0]).not.toMatch(/pwned|\$\(|`id`|found=true|evil/)
      expectWrittenAsNotFound(result)
      expect(result.outputs['app-id']).toBe(APP_ID)
      expect(JSON.stringify(result.outputs)).not.toMatch(/pwned|evil/)
      expect(result.summary).not.toMatch(/pwned|evil/)
      expect(result.stdout).not.toMatch(/Chose build/)
    }
  )

  it('a well-formed answer still gives every output', async () => {
    const build = hostileBuild()
    api.answer((_request, response) => sendJson(response, 200, buildsPage([build])))
    const result = await run()
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({
      found: 'true',
      'build-id': build.id,
      version: '630',
      'app-version': '2.4',
      platform: 'IOS',
      'icon-url': expect.stringMatching(/^https:\/\/is1-ssl\.mzstatic\.com\/.*\/167x167bb\.png$/),
      'rate-limit-remaining': '3500'
    })
    expect(JSON.parse(result.outputs['build-json']!)).toMatchObject({
      type: 'builds',
      id: build.id,
      attributes: { version: '630', processingState: 'VALID' }
    })
  })
})

describe('answers of an unexpected shape: one line says what Apple sent', () => {
  const page = (builds: unknown[], extra: object = {}): object => ({ data: builds, ...extra })
  const raw = (build: HostileBuild): Record<string, unknown> =>
    (buildsPage([build]) as { data: Array<Record<string, unknown>> }).data[0]!
  it.each<[string, unknown, RegExp]>([
    ['null', null, /the answer is null, not an object/],
    ['data that is text', { data: 'builds' }, /data is text, not a list/],
    [
      'build numbers that are numbers',
      page([raw(hostileBuild({ version: 12 })), raw(hostileBuild({ version: 13 }))]),
      /data\[0\]\.attributes\.version is a number, not text/
    ],
    [
      'a build number nested a million lists deep',
      `{"data":[{"type":"builds","id":"x","attributes":{"version":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}}]}`,
      /data\[0\]\.attributes\.version is a list, not text/
    ],
    ['a build that is a list', page([[1, 2]]), /data\[0\] is a list, not an object/],
    [
      'included resources that are an object',
      page([raw(hostileBuild())], { included: { type: 'preReleaseVersions' } }),
      /included is an object, not a list/
    ],
    [
      'a next-page link that is a number',
      page([], { links: { next: 42 } }),
      /links\.next is a number, not text/
    ],
    [
      'an icon whose width is text',
      page([
        raw(
          hostileBuild({
            iconAssetToken: {
              templateUrl: 'https://a.example/{w}x{h}bb.{f}',
              width: '1',
              height: 1
            }
          })
        )
      ]),
      /data\[0\]\.attributes\.iconAssetToken\.width is text, not a whole number of pixels/
    ],
    [
      'an expired flag that is text',
      page([raw(hostileBuild({ expired: 'no' }))]),
      /data\[0\]\.attributes\.expired is text, not true or false/
    ]
  ])('%s', async (_case, body, what) => {
    api.answer((_request, response) => sendJson(response, 200, body))
    const result = await run({ 'latest-by': 'build-number' })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      /^App Store Connect sent an answer the action cannot read while listing the builds of app 1600000001: /
    )
    expect(result.errors[0]).toMatch(what)
    expectNoInternals(result)
    expectWrittenAsNotFound(result)
    // Not worth a retry: the same answer would come again.
    expect(api.requests).toHaveLength(1)
  })

  it('an app lookup whose id is not an Apple ID', async () => {
    api.answer((_request, response) =>
      sendJson(response, 200, {
        data: [
          { type: 'apps', id: '../../v1/users', attributes: { bundleId: 'com.example.weather' } }
        ]
      })
    )
    const result = await run({ 'app-id': '', 'bundle-id': 'com.example.weather' })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /cannot read while looking up bundle id com\.example\.weather: data\[0\]\.id is not an Apple ID \(digits\)/
      )
    ])
    expectWrittenAsNotFound(result)
    expect(api.requests).toHaveLength(1)
  })
})

describe('memory: no answer is read past 20 MB', () => {
  it('an endless answer is cut at 20 MB, with a clear error and the outputs written', async () => {
    api.answer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.write('{"data":[],"padding":"')
      const chunk = 'x'.repeat(1024 * 1024)
      const pump = (): void => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump)
      }
      response.on('close', () => response.removeAllListeners('drain'))
      pump()
    })
    const result = await run({ 'timeout-seconds': '20' }, { timeoutMs: 40_000 })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /App Store Connect sent an answer larger than 20 MB while listing the builds of app 1600000001; the action stopped reading it/
      )
    ])
    expectWrittenAsNotFound(result)
    expect(api.requests).toHaveLength(1)
  })

  it('an answer that declares 500 MB is refused before it is read', async () => {
    api.answer((_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(500 * 1024 * 1024)
      })
      response.write('{"data":[')
    })
    const result = await run({ 'timeout-seconds': '20' }, { timeoutMs: 40_000 })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([expect.stringMatching(/larger than 20 MB/)])
    expect(result.durationMs).toBeLessThan(10_000)
  })
})

describe('time: one deadline for the whole run (total-timeout-minutes)', () => {
  const slowEndlessPages: HostileHandler = (_request, response, index) => {
    const next = `${api.url}/v1/builds?cursor=${index + 1}`
    setTimeout(() => sendJson(response, 200, buildsPage([], next)), 700)
  }
  it.each<[string, HostileHandler, Record<string, string>]>([
    ['slow, endless pages', slowEndlessPages, { 'timeout-seconds': '1' }],
    [
      'an answer that never comes, with timeout-seconds 600',
      () => undefined,
      { 'timeout-seconds': '600' }
    ],
    [
      '503s asking to wait 50 s each',
      (_request, response) =>
        sendJson(response, 503, errorBody(503, 'UNAVAILABLE', 'Try later'), {
          'retry-after': '50'
        }),
      { 'max-attempts': '10' }
    ]
  ])(
    '%s: stopped at the deadline with a clear error, the outputs written',
    async (_case, handler, inputs) => {
      api.answer(handler)
      const result = await run(
        { 'latest-by': 'build-number', 'total-timeout-minutes': '0.1', ...inputs },
        { timeoutMs: 40_000 }
      )
      expect(result.exitCode).toBe(1)
      expect(result.durationMs).toBeLessThan(15_000)
      expect(result.errors).toEqual([
        expect.stringMatching(
          /^Stopped while listing the builds of app 1600000001: .*time limit, total-timeout-minutes \(6 s\)\..*Raise total-timeout-minutes/
        )
      ])
      expectWrittenAsNotFound(result)
      expect(result.outputs['app-id']).toBe(APP_ID)
    }
  )
})

describe('Retry-After too large to be seconds is a date', () => {
  it.each([
    ['milliseconds since 1970', () => String(Date.now() + 1500)],
    ['seconds since 1970', () => String(Math.ceil(Date.now() / 1000) + 2)]
  ])('%s: waited for, then retried', async (_case, header) => {
    const build = hostileBuild()
    api.answer((_request, response, index) => {
      if (index === 0) {
        return sendJson(response, 429, errorBody(429, 'RATE_LIMIT_EXCEEDED', 'Slow down'), {
          'retry-after': header()
        })
      }
      sendJson(response, 200, buildsPage([build]))
    })
    const result = await run()
    expect(result.errors).toEqual([])
    expect(result.outputs.found).toBe('true')
    expect(api.requests).toHaveLength(2)
    expect(result.stdout).toMatch(
      /answered 429 while listing the builds .* retrying in [0-3]\.\d s/
    )
  })
})

describe('input length', () => {
  it('an api-base-url of 20,000 characters is refused before any request, and not echoed', async () => {
    api.answer((_request, response) => sendJson(response, 200, buildsPage([])))
    const result = await run({ 'api-base-url': `${api.url}/${'a'.repeat(20_000)}` })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^Invalid input: api-base-url is 200\d\d characters long, more than the 2048 it takes \(not shown\)\.$/
      )
    ])
    expect(api.requests).toHaveLength(0)
  })

  it('a rejected value is echoed as a short prefix at most', async () => {
    const result = await run({ platform: 'android-'.repeat(7) })
    expect(result.exitCode).toBe(1)
    expect(result.errors[0]).toMatch(
      /platform must be one of .*, not "android-android-android-…" \(56 characters\)/
    )
    expect(result.errors[0]).not.toContain('android-'.repeat(4))
  })
})

describe('the log holds no control characters', () => {
  const ESC = '\u001b'
  it('from Apple’s error detail and code', async () => {
    api.answer((_request, response) =>
      sendJson(
        response,
        403,
        errorBody(
          403,
          `FORBIDDEN_ERROR${ESC}[31m`,
          `${ESC}[2K${ESC}[1G${ESC}[32m✔ All checks passed${ESC}[0m\u009b2J\r\u0007${ESC}]0;title\u0007`
        )
      )
    )
    const result = await run()
    expect(result.exitCode).toBe(1)
    // eslint-disable-next-line no-control-regex -- looking for control characters
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/)
    expect(result.errors[0]).toMatch(/answered 403 .*FORBIDDEN_ERROR: ✔ All checks passed/)
    expect(result.errors[0]).not.toMatch(/\[3[12]m|\[0m|title/)
  })

  it('from an input', async () => {
    const result = await run({ platform: `${ESC}[32mios` })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).not.toContain(ESC)
    expect(result.errors[0]).toMatch(/platform must be one of/)
  })
})

describe('text from the API in the job summary stays in its cell', () => {
  it('a detail with blank lines, a heading, a link, an image, a mention and HTML', async () => {
    const detail =
      '\n\n# Heading\n\n[link](https://evil.example) ![img](https://evil.example/i.png) @octocat #1 <b>bold</b> `code` *em* _em_ | x |\r\n\r\n'
    api.answer((_request, response) => sendJson(response, 404, errorBody(404, 'NOT_FOUND', detail)))
    const result = await run()
    expect(result.exitCode).toBe(1)
    const { summary } = result
    expect(summary).toMatch(/The step failed:/)
    // One HTML block: no blank line ends it, every line is HTML.
    expect(summary).not.toMatch(/\n\s*\n/)
    for (const line of summary.split('\n').filter(Boolean)) expect(line).toMatch(/^</)
    // What is left once every entity is taken out holds no Markdown, mention or HTML of theirs.
    const bare = summary.replace(/&#?\w+;/g, '')
    expect(bare).not.toMatch(/[[\]`*_|@#]|<b>/)
    expect(summary).toContain('&#91;link&#93;')
    // The log's version of the same failure is one line, too.
    expect(result.errors[0]).not.toMatch(/[\r\n]/)
  })
})

describe('paging is capped by what each list can hold', () => {
  /** Endless pages of nothing for one path; the app's builds and the app itself answered. */
  const endless =
    (path: RegExp): HostileHandler =>
    (request, response, index) => {
      const url = new URL(request.url ?? '/', api.url)
      if (path.test(url.pathname)) {
        url.searchParams.set('cursor', String(index + 1))
        return sendJson(response, 200, { data: [], links: { next: url.toString() } })
      }
      if (url.pathname === `/v1/apps/${APP_ID}`) {
        return sendJson(response, 200, { data: { type: 'apps', id: APP_ID, attributes: {} } })
      }
      sendJson(response, 200, buildsPage([]))
    }
  const requestsTo = (path: RegExp): number =>
    api.requests.filter(request => path.test(new URL(request.url, api.url).pathname)).length

  it('uploads: 50 pages (10,000 uploads) at most', async () => {
    const uploads = /\/buildUploads$/
    api.answer(endless(uploads))
    const result = await run({ 'next-build-number': 'true', 'fail-if-not-found': 'false' })
    expect(result.exitCode).toBe(1)
    expect(requestsTo(uploads)).toBe(50)
    expect(result.errors[0]).toBe(
      `Stopped after 50 pages (10,000 uploads) while listing the uploads of app ${APP_ID}: no app has that many uploads, ` +
        'so App Store Connect kept sending next-page links. Run the job again later.'
    )
  })

  it('versions: 25 pages (5,000 versions) at most', async () => {
    const versions = /^\/v1\/preReleaseVersions$/
    api.answer(endless(versions))
    const result = await run({ 'app-version': '9.9' })
    expect(result.exitCode).toBe(1)
    expect(requestsTo(versions)).toBe(25)
    expect(result.errors[0]).toMatch(
      /^Stopped after 25 pages \(5,000 versions\) while listing the versions of app 1600000001: no app has that many versions/
    )
  })
})

describe('a TestFlight detail counts for a build only by its links', () => {
  /** Builds 631 (newest) and 630, 630 READY in TestFlight; 631's details as the case says. */
  function answerWith(detailsOf631: Array<Record<string, unknown>>, named631: string): void {
    const build631 = hostileBuild({ version: '631', uploadedDate: '2026-11-21T10:00:00-08:00' })
    const build630 = hostileBuild({ version: '630' })
    const body = buildsPage([build631, build630]) as {
      data: Array<{ id: string; relationships: Record<string, unknown> }>
      included: unknown[]
    }
    body.data[0]!.relationships.buildBetaDetail = {
      data: { type: 'buildBetaDetails', id: named631 }
    }
    body.data[1]!.relationships.buildBetaDetail = {
      data: { type: 'buildBetaDetails', id: 'detail-630' }
    }
    body.included.push(
      {
        type: 'buildBetaDetails',
        id: 'detail-630',
        attributes: { internalBuildState: 'READY_FOR_BETA_TESTING' }
      },
      ...detailsOf631.map(detail => ({
        type: 'buildBetaDetails',
        ...detail,
        relationships: {
          build: {
            data: { type: 'builds', id: detail.buildOf === '630' ? build630.id : build631.id }
          }
        },
        buildOf: undefined
      }))
    )
    api.answer((_request, response) => sendJson(response, 200, body))
  }

  it('duplicated details of build 631 that disagree: 631 is not ready, a warning, and 630 is the answer, in either order', async () => {
    const details = [
      { id: 'detail-631', attributes: { internalBuildState: 'MISSING_EXPORT_COMPLIANCE' } },
      { id: 'detail-631', attributes: { internalBuildState: 'READY_FOR_BETA_TESTING' } }
    ]
    for (const order of [details, [...details].reverse()]) {
      answerWith(order, 'detail-631')
      const result = await run({ 'ready-for': 'internal-testing' })
      expect(result.errors).toEqual([])
      expect(result.outputs.version).toBe('630')
      expect(result.stdout).toMatch(
        /::warning::App Store Connect sent 2 TestFlight details for build 631 \(.*\) that disagree \(internal (MISSING_EXPORT_COMPLIANCE|READY_FOR_BETA_TESTING), external none; internal (MISSING_EXPORT_COMPLIANCE|READY_FOR_BETA_TESTING), external none\): it counts as not ready/
      )
    }
  })

  it('a READY detail that names build 630 as its own does not make build 631 ready', async () => {
    answerWith(
      [
        {
          id: 'detail-x',
          buildOf: '630',
          attributes: { internalBuildState: 'READY_FOR_BETA_TESTING' }
        }
      ],
      'detail-x'
    )
    const result = await run({ 'ready-for': 'internal-testing' })
    expect(result.errors).toEqual([])
    expect(result.outputs.version).toBe('630')
    const appStore = await run({ 'ready-for': 'app-store' })
    expect(appStore.outputs.version).toBe('630')
  })
})
