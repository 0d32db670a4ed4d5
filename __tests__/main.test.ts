// run() in process, through its seams: inputs as the runner sets them (INPUT_*), undici's
// MockAgent for App Store Connect, an injected clock and sleep, and the runner's files.
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
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseOutputFile } from '../local-runner/run-action.js'
import { jobCancelled } from '../src/cancellation.js'
import { run, type RunOptions } from '../src/main.js'
import {
  appleError,
  appsPage,
  buildsPage,
  uploadsPage,
  type BuildSpec
} from './support/documents.js'
import { startGitHubStandIn, type GitHubStandIn } from './support/github-api.js'
import { makeTestKey } from './support/keys.js'
import { mockAgent, testClock, type Answer } from './support/mock-api.js'
import { captureStdout } from './support/stdout.js'

const key = makeTestKey()
const NOW = '2026-11-27T18:00:00Z'
const build = (spec: Partial<BuildSpec> = {}): BuildSpec => ({
  id: '6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01',
  version: '631',
  uploaded: '2026-11-26T10:00:00-08:00',
  expires: '2027-02-24T10:00:00-08:00',
  ...spec
})

let folder: string
let stdout: string[]
const savedEnv = { ...process.env }

// @actions/core's summary keeps the first file path it is given: one file for every test.
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'main-test-'))
})
afterAll(() => rmSync(folder, { recursive: true, force: true }))

beforeEach(() => {
  rmSync(join(folder, 'summary'), { recursive: true, force: true })
  writeFileSync(join(folder, 'output'), '')
  writeFileSync(join(folder, 'summary'), '')
  process.env.GITHUB_OUTPUT = join(folder, 'output')
  process.env.GITHUB_STEP_SUMMARY = join(folder, 'summary')
  stdout = captureStdout()
})

afterEach(() => {
  jest.restoreAllMocks()
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name]
  Object.assign(process.env, savedEnv)
  process.exitCode = undefined
})

interface Result {
  outputs: Record<string, string>
  /** How many times each output was written. */
  writes: Record<string, number>
  summary: string
  log: string
  errors: string[]
  warnings: string[]
  failed: boolean
  requests: string[]
}

async function runWith(
  inputs: Record<string, string>,
  answer: (path: string, query: URLSearchParams) => Answer | undefined,
  options: RunOptions = {}
): Promise<Result> {
  const all: Record<string, string> = {
    'issuer-id': '57246542-96fe-1a63-e053-0824d011072a',
    'key-id': '2X9R4HXF34',
    'private-key': key.pem,
    'app-id': '1600000001',
    ...inputs
  }
  for (const [name, value] of Object.entries(all))
    process.env[`INPUT_${name.toUpperCase()}`] = value
  const { agent, seen } = mockAgent(answer)
  const clock = testClock(NOW)
  await run({ dispatcher: agent, now: clock.now, sleep: async ms => clock.advance(ms), ...options })
  const outputText = readFileSync(join(folder, 'output'), 'utf8')
  const writes: Record<string, number> = {}
  for (const match of outputText.matchAll(/^([^<\n]+)<</gm)) {
    writes[match[1]!] = (writes[match[1]!] ?? 0) + 1
  }
  const log = stdout.join('')
  const commands = (name: string): string[] =>
    log
      .split('\n')
      .filter(line => line.startsWith(`::${name}::`))
      .map(line => line.slice(name.length + 4))
  return {
    outputs: parseOutputFile(outputText),
    writes,
    summary: statSync(join(folder, 'summary')).isFile()
      ? readFileSync(join(folder, 'summary'), 'utf8')
      : '',
    log,
    errors: commands('error'),
    warnings: commands('warning'),
    failed: process.exitCode === 1,
    requests: seen.map(request => request.path)
  }
}

/** The builds of app 1600000001, and the app itself (looked up when nothing matches). */
const builds =
  (...specs: BuildSpec[]) =>
  (path: string): Answer | undefined => {
    if (path === '/v1/builds') return { body: buildsPage(specs) }
    if (path === '/v1/apps/1600000001') {
      return { body: { data: { type: 'apps', id: '1600000001', attributes: {} } } }
    }
    return undefined
  }

/** Apple answers 503 once, then the build. */
function failingOnce(): (path: string) => Answer {
  let answers = 0
  return () =>
    ++answers === 1
      ? { status: 503, body: appleError(503, 'UNAVAILABLE', 'Try again.') }
      : { body: buildsPage([build()]) }
}

describe('run()', () => {
  it('writes every output once and the summary once, and passes', async () => {
    const result = await runWith({}, builds(build()))
    expect(result.failed).toBe(false)
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({
      found: 'true',
      'build-id': '6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01',
      version: '631'
    })
    expect(Object.values(result.writes).every(count => count === 1)).toBe(true)
    expect(Object.keys(result.writes)).toContain('waited-seconds')
    expect(result.summary.match(/<h3>/g)).toHaveLength(1)
    expect(result.log).toMatch(
      /Chose build 631 \(6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01, app version 2\.4\.0, IOS\) of app 1600000001: the most recently uploaded of 1 build with .*; 1 request\./
    )
    expect(result.requests).toEqual(['/v1/builds'])
  })

  it('fails once, after writing found=false, when nothing matches', async () => {
    const result = await runWith({}, path =>
      path === '/v1/apps/1600000001'
        ? { body: { data: { type: 'apps', id: '1600000001' } } }
        : { body: buildsPage([]) }
    )
    expect(result.failed).toBe(true)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(/^No build of app 1600000001 matches .*\(3 requests\)\./)
    expect(result.outputs.found).toBe('false')
    expect(result.summary).toContain('The step failed')
  })

  it('passes with found=false when fail-if-not-found is false', async () => {
    const result = await runWith({ 'fail-if-not-found': 'false', platform: 'any' }, path =>
      path === '/v1/builds'
        ? { body: buildsPage([]) }
        : { body: { data: { type: 'apps', id: '1' } } }
    )
    expect(result.failed).toBe(false)
    expect(result.log).toMatch(/found=false, and fail-if-not-found is false, so the step passes/)
    expect(result.requests).toEqual(['/v1/builds', '/v1/apps/1600000001'])
  })

  it('refuses bad input before any request, writing no output', async () => {
    const result = await runWith({ 'latest-by': 'newest' }, () => {
      throw new Error('no request expected')
    })
    expect(result.failed).toBe(true)
    expect(result.errors).toEqual([
      'Invalid input: latest-by must be uploaded-date, build-number or app-version, not "newest".'
    ])
    expect(result.outputs).toEqual({})
    expect(result.requests).toEqual([])
  })

  it('fails the expiry gate after writing the found build', async () => {
    const result = await runWith(
      { 'min-days-until-expiry': '7' },
      builds(build({ expires: '2026-12-03T10:00:00-08:00' }))
    )
    expect(result.failed).toBe(true)
    expect(result.outputs).toMatchObject({ found: 'true', 'expires-in-days': '6' })
    expect(result.errors).toEqual([
      'Build 631 of app 1600000001 expires in 6 days (2026-12-03T10:00:00-08:00), fewer than min-days-until-expiry (7): upload a fresh build.'
    ])
  })

  it('passes the expiry gate at exactly the days asked for', async () => {
    // Exactly 6 days from the clock's 18:00Z.
    const result = await runWith(
      { 'min-days-until-expiry': '6' },
      builds(build({ expires: '2026-12-03T10:00:00-08:00' }))
    )
    expect(result.failed).toBe(false)
  })

  it('turns Apple’s refusal into one error with its code and hint, outputs written', async () => {
    const result = await runWith({}, () => ({
      status: 403,
      body: appleError(403, 'FORBIDDEN_ERROR', 'This request is forbidden.')
    }))
    expect(result.failed).toBe(true)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      /answered 403 .*FORBIDDEN_ERROR: This request is forbidden\..*role/
    )
    expect(result.outputs).toMatchObject({ found: 'false', 'app-id': '1600000001' })
    expect(result.summary).toContain('The step failed')
  })

  it('leaves out a build whose text could start a workflow command, saying so in one line', async () => {
    const sneaky = build({ preRelease: { id: 'p', version: '1.0\n::warning::x', platform: 'IOS' } })
    const result = await runWith({}, builds(sneaky))
    expect(result.warnings).toEqual([
      `Left out build ${sneaky.id}: App Store Connect sent app version "1.0\\n::warning::x", not of the form Apple's values have.`
    ])
    expect(result.errors).toEqual([expect.stringMatching(/^No build of app 1600000001 matches/)])
    expect(result.outputs).toMatchObject({ found: 'false', version: '' })
  })

  it('warns when less than a tenth of the hourly quota is left', async () => {
    const result = await runWith({}, () => ({
      body: buildsPage([build()]),
      headers: { 'x-rate-limit': 'user-hour-lim:3600;user-hour-rem:359;' }
    }))
    expect(result.warnings).toEqual([
      expect.stringMatching(/^Only 359 of the 3600 hourly App Store Connect requests/)
    ])
    expect(result.outputs['rate-limit-remaining']).toBe('359')
  })

  it('a summary that cannot be written is a warning, not a failure', async () => {
    rmSync(join(folder, 'summary'))
    mkdirSync(join(folder, 'summary'))
    const result = await runWith({}, builds(build()))
    expect(result.failed).toBe(false)
    expect(result.warnings).toEqual([
      expect.stringMatching(/^job-summary: the job summary could not be written/)
    ])
  })

  it('writes no summary with job-summary false', async () => {
    const result = await runWith({ 'job-summary': 'false' }, builds(build()))
    expect(result.summary).toBe('')
  })

  it('names the platform to use when only another platform has builds', async () => {
    const mac = build({ preRelease: { id: 'm', version: '2.4.0', platform: 'MAC_OS' } })
    const result = await runWith({}, (_path, query) => ({
      body: buildsPage(query.has('filter[preReleaseVersion.platform]') ? [] : [mac])
    }))
    expect(result.errors[0]).toMatch(
      /No build of app 1600000001 matches .*platform IOS.* It has matching builds for MAC_OS: set platform to macos \(or any\)\./
    )
  })

  it('names the blocked build and what to do when none is ready', async () => {
    const blocked = build({
      beta: { internal: 'MISSING_EXPORT_COMPLIANCE', external: 'MISSING_EXPORT_COMPLIANCE' }
    })
    const result = await runWith({ 'ready-for': 'app-store' }, builds(blocked))
    expect(result.errors[0]).toMatch(
      /The latest candidate, build 631 \(6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01, app version 2\.4\.0\), is not ready: internal state MISSING_EXPORT_COMPLIANCE; answer the export compliance question/
    )
  })

  it('writes the next build number with the build', async () => {
    const result = await runWith({ 'next-build-number': 'true' }, path =>
      path.endsWith('/buildUploads')
        ? { body: uploadsPage([{ id: 'u', buildNumber: '640', state: 'PROCESSING' }]) }
        : { body: buildsPage([build()]) }
    )
    expect(result.outputs).toMatchObject({ version: '631', 'next-build-number': '641' })
    expect(result.requests).toEqual([
      '/v1/builds',
      '/v1/builds',
      '/v1/apps/1600000001/buildUploads'
    ])
  })

  it('cancelled while working out the next build number: says the build was found, and what is missing', async () => {
    const stop = new AbortController()
    const result = await runWith(
      { 'next-build-number': 'true' },
      path => {
        if (!path.endsWith('/buildUploads')) return { body: buildsPage([build()]) }
        stop.abort(jobCancelled('SIGTERM'))
        return { body: uploadsPage([]) }
      },
      { signal: stop.signal }
    )
    expect(result.failed).toBe(true)
    expect(result.errors).toEqual([
      'The job was cancelled (SIGTERM). Build 631 (6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01) had been found and its outputs are written, ' +
        'but next-build-number was not worked out and is empty: run the job again for it.'
    ])
    expect(result.outputs).toMatchObject({ found: 'true', version: '631', 'next-build-number': '' })
  })

  it('runs out of wait with found=false, passing when fail-if-not-found is false', async () => {
    const result = await runWith(
      {
        'build-number': '700',
        'wait-minutes': '1',
        'wait-interval-seconds': '20',
        'fail-if-not-found': 'false'
      },
      path => (path === '/v1/builds' ? { body: buildsPage([]) } : { body: uploadsPage([]) })
    )
    expect(result.failed).toBe(false)
    expect(result.outputs).toMatchObject({ found: 'false', 'waited-seconds': '60' })
    expect(result.log).toMatch(
      /Waited 1 min \(wait-minutes\) for build 700 \(IOS\) of app 1600000001; its last state was not visible yet/
    )
  })

  it('masks the key, line by line, and each token it signs before anything else is logged', async () => {
    // A key of its own: the registry masks each secret once per process.
    const own = makeTestKey()
    const result = await runWith({ 'private-key': own.pem }, builds(build()))
    const lines = result.log.split('\n')
    const firstOther = lines.findIndex(line => !line.startsWith('::add-mask::'))
    const maskedFirst = lines.slice(0, firstOther).map(line => line.slice('::add-mask::'.length))
    for (const line of own.pem.split('\n').filter(l => l && !l.startsWith('-----'))) {
      expect(maskedFirst).toContain(line)
    }
    const tokenMask = lines.findIndex(line => /^::add-mask::eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(line))
    const request = lines.findIndex(line => line.startsWith('::debug::GET '))
    expect(tokenMask).toBeGreaterThan(-1)
    expect(tokenMask).toBeLessThan(request)
  })

  it('names the app in the summary', async () => {
    const result = await runWith({}, builds(build()))
    expect(result.summary).toContain('app 1600000001')
  })

  it('with a bundle id, does not look the app up again when nothing matches', async () => {
    const result = await runWith(
      { 'app-id': '', 'bundle-id': 'com.example.weather' },
      (path, query) => {
        if (path === '/v1/apps' && query.get('filter[bundleId]') === 'com.example.weather') {
          return { body: appsPage([{ id: '1600000001', bundleId: 'com.example.weather' }]) }
        }
        return { body: buildsPage([]) }
      }
    )
    expect(result.failed).toBe(true)
    expect(result.requests.filter(path => path.startsWith('/v1/apps/'))).toEqual([])
  })

  it('gives up after max-attempts tries', async () => {
    const result = await runWith({ 'max-attempts': '1' }, failingOnce())
    expect(result.requests).toHaveLength(1)
    expect(result.errors).toEqual([expect.stringMatching(/answered 503/)])
  })

  it('tries again, by default, after a 503', async () => {
    const result = await runWith({}, failingOnce())
    expect(result.requests).toHaveLength(2)
    expect(result.outputs.found).toBe('true')
  })

  it('fails with one error naming the proxy variables when the runner’s proxy is malformed', async () => {
    // undici reads the lower-case names first: both are set, as on a runner behind a proxy.
    process.env.HTTPS_PROXY = process.env.https_proxy = 'not a proxy url'
    const result = await runWith({ 'api-base-url': 'https://api.example.test' }, builds(build()), {
      dispatcher: undefined
    })
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^The proxy settings of the runner cannot be used \(.+\): HTTPS_PROXY, HTTP_PROXY and NO_PROXY must be URLs/
      )
    ])
    expect(result.outputs.found).toBe('false')
  })

  it('stops at once when cancelled, with outputs written as not found', async () => {
    const stop = new AbortController()
    const result = await runWith(
      { 'build-number': '700', 'wait-minutes': '30', 'wait-interval-seconds': '10' },
      path => (path === '/v1/builds' ? { body: buildsPage([]) } : { body: uploadsPage([]) }),
      {
        signal: stop.signal,
        sleep: async () => {
          stop.abort(jobCancelled('SIGTERM'))
          throw stop.signal.reason
        }
      }
    )
    expect(result.failed).toBe(true)
    expect(result.errors).toEqual([
      'The job was cancelled (SIGTERM). It stopped before a build was found, so found is false: run the job again to search.'
    ])
    expect(result.outputs).toMatchObject({ found: 'false' })
    expect(result.requests).toHaveLength(2)
  })
})

describe('run() and the pull request', () => {
  let github: GitHubStandIn

  beforeAll(async () => {
    github = await startGitHubStandIn()
  })
  afterAll(() => github.close())

  beforeEach(() => {
    github.reset()
    Object.assign(process.env, github.pullRequestEnv)
  })

  const commenting = { 'pr-comment': 'true', 'github-token': 'ghs_installation_token' }

  it('comments on the pull request when asked', async () => {
    const result = await runWith(commenting, builds(build()))
    expect(result.failed).toBe(false)
    expect(github.comments).toHaveLength(1)
    expect(github.comments[0]!.body).toContain('631')
  })

  it('does not comment from a cancelled job', async () => {
    const stop = new AbortController()
    const result = await runWith(
      { ...commenting, 'build-number': '700', 'wait-minutes': '30' },
      path => (path === '/v1/builds' ? { body: buildsPage([]) } : { body: uploadsPage([]) }),
      {
        signal: stop.signal,
        sleep: async () => {
          stop.abort(jobCancelled('SIGTERM'))
          throw stop.signal.reason
        }
      }
    )
    expect(result.errors).toEqual([expect.stringMatching(/^The job was cancelled \(SIGTERM\)\. /)])
    expect(github.requests).toEqual([])
  })
})
