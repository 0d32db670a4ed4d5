// Apple's bad days, replayed by the sandbox: each transient fault is ridden out, each
// permanent one fails the step once, clearly, with Apple's code and a hint.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import type { Fault, Sandbox } from '../../sandbox/index.js'
import { startE2e, type E2eContext } from './harness.js'

let e2e: E2eContext
let sandbox: Sandbox

beforeAll(async () => {
  e2e = await startE2e()
  sandbox = e2e.sandbox
})
afterAll(async () => sandbox?.close())
beforeEach(() => {
  sandbox.clearFaults()
  sandbox.resetRequests()
})

const retryLines = (stdout: string): string[] =>
  stdout.split('\n').filter(line => / retrying (in|with)/.test(line))

describe('transient faults are retried until the answer comes', () => {
  it.each<[string, Fault, RegExp]>([
    [
      '429 with Retry-After: 1',
      { kind: 'status', status: 429, retryAfter: 1 },
      /answered 429 .* retrying in 1\.0 s \(attempt 2 of 4\)/
    ],
    [
      '429 without Retry-After',
      { kind: 'status', status: 429 },
      /answered 429 .* retrying in (0\.[5-9]|1\.0) s/
    ],
    ['500', { kind: 'status', status: 500 }, /answered 500 .* retrying in/],
    ['502', { kind: 'status', status: 502 }, /answered 502 .* retrying in/],
    [
      '503 with an HTML body',
      { kind: 'status', status: 503, html: true },
      /answered 503 .* retrying in/
    ],
    ['504', { kind: 'status', status: 504 }, /answered 504 .* retrying in/],
    [
      'a connection reset',
      { kind: 'reset' },
      /The connection failed \((ECONNRESET|UND_ERR_SOCKET)\) while listing the builds .* retrying in/
    ],
    [
      'a truncated JSON body',
      { kind: 'truncated-json' },
      /(not valid JSON|The connection failed).* retrying in/
    ],
    [
      'a hang past timeout-seconds',
      { kind: 'hang' },
      /No answer within 2 s while listing the builds .* retrying in/
    ]
  ])('%s', async (_case, fault, retryLine) => {
    sandbox.injectFault({ fault, path: '/v1/builds' })
    const result = await e2e.run({ 'app-id': e2e.weather.id, 'timeout-seconds': '2' })
    expect(result.errors).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(result.outputs.found).toBe('true')
    expect(sandbox.requests.map(request => request.fault ?? 'ok')).toEqual([
      expect.stringMatching(/./),
      'ok'
    ])
    expect(retryLines(result.stdout)).toHaveLength(1)
    expect(retryLines(result.stdout)[0]).toMatch(retryLine)
  })

  it('several faults in a row, within max-attempts', async () => {
    sandbox.injectFault({ fault: { kind: 'status', status: 503 }, path: '/v1/builds', times: 2 })
    const result = await e2e.run({ 'app-id': e2e.weather.id, 'max-attempts': '3' })
    expect(result.exitCode).toBe(0)
    expect(sandbox.requests).toHaveLength(3)
    expect(retryLines(result.stdout)).toHaveLength(2)
  })
})

describe('permanent faults fail the step once, clearly', () => {
  it('gives up after max-attempts, saying so', async () => {
    sandbox.injectFault({ fault: { kind: 'status', status: 503 }, path: '/v1/builds', times: 10 })
    const result = await e2e.run({ 'app-id': e2e.weather.id, 'max-attempts': '2' })
    expect(result.exitCode).toBe(1)
    expect(sandbox.requests).toHaveLength(2)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /answered 503 while listing the builds of app \d+: .*Gave up after 2 attempts\.$/
      )
    ])
    expect(result.outputs).toMatchObject({ found: 'false', 'app-id': e2e.weather.id })
  })

  it('401 for a key App Store Connect does not know: one re-mint, then the hint', async () => {
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    const result = await e2e.run({
      'app-id': e2e.weather.id,
      'private-key': stranger.export({ type: 'pkcs8', format: 'pem' }).toString()
    })
    expect(result.exitCode).toBe(1)
    expect(sandbox.requests).toHaveLength(2)
    expect(sandbox.requests.every(request => !request.tokenVerified)).toBe(true)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /answered 401 while listing the builds of app \d+: NOT_AUTHORIZED: .*issuer-id, key-id and private-key belong to the same .*clock/
      )
    ])
  })

  it('403 agreements: Apple’s code and what to accept, no retry', async () => {
    sandbox.injectFault({ fault: { kind: 'agreements' } })
    const result = await e2e.run({ 'app-id': e2e.weather.id })
    expect(result.exitCode).toBe(1)
    expect(sandbox.requests).toHaveLength(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /answered 403 .*FORBIDDEN\.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED.*accept the latest agreements/
      )
    ])
  })

  it('403 for a key whose role is too low', async () => {
    sandbox.injectFault({ fault: { kind: 'forbidden' } })
    const result = await e2e.run({ 'app-id': e2e.weather.id })
    expect(result.exitCode).toBe(1)
    expect(sandbox.requests).toHaveLength(1)
    expect(result.errors).toEqual([expect.stringMatching(/answered 403 .*FORBIDDEN_ERROR.*role/)])
  })

  it('a links.next to another host: refused, and the token never sent there', async () => {
    sandbox.injectFault({ fault: { kind: 'foreign-next' }, path: '/v1/builds' })
    const result = await e2e.run({ 'app-id': e2e.weather.id, 'latest-by': 'build-number' })
    expect(result.exitCode).toBe(1)
    expect(sandbox.requests).toHaveLength(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /pointed to https:\/\/evil\.example\.com while listing the builds .*the request was not sent/
      )
    ])
  })

  it('a links.next that loops: stopped', async () => {
    sandbox.injectFault({ fault: { kind: 'looping-next' }, path: '/v1/builds', times: 5 })
    const result = await e2e.run({ 'app-id': e2e.weather.id, 'latest-by': 'build-number' })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(/next-page link that was already read .*stopped to avoid a loop/)
    ])
    expect(sandbox.requests).toHaveLength(1)
  })
})

describe('the runner’s own settings', () => {
  it('a malformed HTTPS_PROXY: one clear error, the outputs still written', async () => {
    // A loopback API is never reached through a proxy, so the API here is one that would be.
    const result = await e2e.run(
      { 'app-id': e2e.weather.id, 'api-base-url': 'https://api.asc.test' },
      { env: { HTTPS_PROXY: 'http://[bad', HTTP_PROXY: 'http://[bad' } }
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /proxy settings of the runner cannot be used .*HTTPS_PROXY, HTTP_PROXY and NO_PROXY must be URLs/
      )
    ])
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.outputs).toMatchObject({ found: 'false', 'app-id': e2e.weather.id })
    expect(sandbox.requests).toHaveLength(0)
  })
})

describe('the rate limit', () => {
  it('is reported, and warned about when under a tenth of the hour is left', async () => {
    const tight = await startE2e({ rateLimitPerHour: 20 })
    try {
      const runs = []
      // One request a run: the 18th leaves 2 of 20, the 19th leaves 1 (under a tenth).
      for (let index = 0; index < 19; index++)
        runs.push(await tight.run({ 'app-id': tight.weather.id, 'job-summary': 'false' }))
      expect(runs.map(run => run.outputs['rate-limit-remaining'])).toEqual(
        Array.from({ length: 19 }, (_, index) => String(19 - index))
      )
      expect(runs[17]!.stdout).not.toMatch(/::warning::/)
      expect(runs[18]!.stdout).toMatch(
        /::warning::Only 1 of the 20 hourly App Store Connect requests of this API key are left/
      )
    } finally {
      await tight.sandbox.close()
    }
  }, 60_000)
})
