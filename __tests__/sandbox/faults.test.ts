import { afterEach, describe, expect, it } from '@jest/globals'
import {
  generateCatalogue,
  type CollectionDocument,
  type ErrorDocument
} from '../../sandbox/index.js'
import {
  getJson,
  makeKey,
  NOW,
  sandboxForFile,
  startTestSandbox,
  token,
  withSandbox
} from './helpers.js'

const key = makeKey('FAULTKEY01', 'issuer-faults')
const otherKey = makeKey('FAULTKEY02', 'issuer-faults')
const bearer = token(key)
const catalogue = generateCatalogue({ now: NOW, buildsPerApp: 40 })
const appId = catalogue.apps[0]!.id

const sandbox = sandboxForFile({ catalogue, keys: [key, otherKey] })

afterEach(() => {
  sandbox.clearFaults()
})

const url = (path: string) => `${sandbox.url}${path}`
const authorized = { headers: { Authorization: `Bearer ${bearer}` } }
const remaining = (headers: Headers) =>
  Number(/user-hour-rem:(\d+);/.exec(headers.get('x-rate-limit') ?? '')?.[1])

describe('status faults', () => {
  it('answers 503 with an Apple-style JSON error and Retry-After in seconds', async () => {
    sandbox.injectFault({ fault: { kind: 'status', status: 503, retryAfter: 7 } })
    const res = await getJson<ErrorDocument>(url('/v1/apps'), bearer)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('7')
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.headers.get('x-rate-limit')).toMatch(/^user-hour-lim:3600;user-hour-rem:\d+;$/)
    expect(res.body.errors[0]!.status).toBe('503')
    expect(sandbox.requests.at(-1)).toMatchObject({ status: 503, fault: 'status:503' })
    // consumed: the next request is normal
    expect((await getJson(url('/v1/apps'), bearer)).status).toBe(200)
  })

  it('answers 429 RATE_LIMIT_EXCEEDED with Retry-After as an HTTP date', async () => {
    const date = 'Fri, 20 Nov 2026 18:01:00 GMT'
    sandbox.injectFault({ fault: { kind: 'status', status: 429, retryAfter: date } })
    const res = await getJson<ErrorDocument>(url('/v1/builds'), bearer)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe(date)
    expect(res.body.errors[0]).toMatchObject({
      status: '429',
      code: 'RATE_LIMIT_EXCEEDED',
      title: 'The request rate limit has been reached.'
    })
  })

  it('answers an HTML page from the edge when asked', async () => {
    sandbox.injectFault({ fault: { kind: 'status', status: 502, html: true } })
    const res = await fetch(url('/v1/apps'), authorized)
    expect(res.status).toBe(502)
    expect(res.headers.get('content-type')).toBe('text/html')
    expect(res.headers.get('x-rate-limit')).not.toBeNull()
    const text = await res.text()
    expect(text).toContain('<html>')
    expect(() => JSON.parse(text)).toThrow()
  })

  it('answers 500 with UNEXPECTED_ERROR', async () => {
    sandbox.injectFault({ fault: { kind: 'status', status: 500 } })
    const res = await getJson<ErrorDocument>(url('/v1/apps'), bearer)
    expect(res.body.errors[0]).toMatchObject({ status: '500', code: 'UNEXPECTED_ERROR' })
  })
})

describe('connection faults', () => {
  it('reset: the client sees a socket error', async () => {
    sandbox.injectFault({ fault: { kind: 'reset' } })
    await expect(fetch(url('/v1/apps'), authorized)).rejects.toThrow()
    expect(sandbox.requests.at(-1)).toMatchObject({ status: 0, fault: 'reset' })
    expect((await getJson(url('/v1/apps'), bearer)).status).toBe(200)
  })

  it('hang: a client with a short timeout gives up', async () => {
    sandbox.injectFault({ fault: { kind: 'hang' } })
    const started = Date.now()
    await expect(
      fetch(url('/v1/apps'), { ...authorized, signal: AbortSignal.timeout(200) })
    ).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(5000)
    expect(sandbox.requests.at(-1)).toMatchObject({ status: 0, fault: 'hang' })
  })

  it('close() finishes promptly while a request hangs', async () => {
    const local = await startTestSandbox({ catalogue, keys: [key] })
    local.injectFault({ fault: { kind: 'hang' } })
    const pending = fetch(`${local.url}/v1/apps`, authorized).then(
      () => 'answered',
      () => 'failed'
    )
    while (local.requests.length === 0) await new Promise(resolve => setTimeout(resolve, 5))
    const started = Date.now()
    await local.close()
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await pending).toBe('failed')
  })

  it('truncated-json: 200 with JSON headers, but the body does not parse', async () => {
    sandbox.injectFault({ fault: { kind: 'truncated-json' } })
    const res = await fetch(url('/v1/builds?limit=5'), authorized)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    const text = await res.text()
    expect(text.startsWith('{"data":[')).toBe(true)
    expect(() => JSON.parse(text)).toThrow(SyntaxError)
  })
})

describe('paging faults', () => {
  it('foreign-next: links.next points at another origin', async () => {
    sandbox.injectFault({ fault: { kind: 'foreign-next' } })
    const res = await getJson<CollectionDocument>(url(`/v1/apps/${appId}/builds?limit=10`), bearer)
    expect(res.status).toBe(200)
    expect(res.body.data).toHaveLength(10)
    const next = new URL(res.body.links.next!)
    expect(next.origin).toBe('https://evil.example.com')
    expect(next.pathname).toBe(`/v1/apps/${appId}/builds`)

    sandbox.injectFault({ fault: { kind: 'foreign-next', origin: 'http://127.0.0.1:1' } })
    const custom = await getJson<CollectionDocument>(url('/v1/apps?limit=200'), bearer)
    expect(new URL(custom.body.links.next!).origin).toBe('http://127.0.0.1:1')
  })

  it('looping-next: links.next is the URL just requested', async () => {
    sandbox.injectFault({ fault: { kind: 'looping-next' } })
    const requested = url(`/v1/builds?filter[app]=${appId}&limit=10`)
    const res = await getJson<CollectionDocument>(requested, bearer)
    expect(res.body.links.next).toBe(requested)
  })
})

describe('empty-page', () => {
  it('answers 200 with a collection holding nothing, then the filter works again', async () => {
    sandbox.injectFault({ fault: { kind: 'empty-page' }, path: '/v1/apps' })
    const bundleId = catalogue.apps[0]!.bundleId
    const requested = url(`/v1/apps?filter[bundleId]=${bundleId}&limit=1`)
    const empty = await getJson<CollectionDocument>(requested, bearer)
    expect(empty.status).toBe(200)
    expect(empty.body.data).toEqual([])
    expect(empty.body.included).toBeUndefined()
    expect(empty.body.links).toEqual({ self: requested })
    expect(empty.body.meta).toMatchObject({ paging: { total: 0 } })
    expect(sandbox.requests.at(-1)).toMatchObject({ status: 200, fault: 'empty-page' })
    const normal = await getJson<CollectionDocument>(requested, bearer)
    expect(normal.body.data).toHaveLength(1)
    expect(normal.body.links.next).toBeDefined()
  })

  it('leaves an error answer as it is', async () => {
    sandbox.injectFault({ fault: { kind: 'empty-page' } })
    expect((await getJson(url('/v1/apps/0'), bearer)).status).toBe(404)
  })
})

describe('403 faults', () => {
  it('agreements: FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED', async () => {
    sandbox.injectFault({ fault: { kind: 'agreements' } })
    const res = await getJson<ErrorDocument>(url('/v1/apps'), bearer)
    expect(res.status).toBe(403)
    expect(res.body.errors[0]).toMatchObject({
      status: '403',
      code: 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED',
      title: 'A required agreement is missing or has expired.',
      detail:
        'This request requires an in-effect agreement that has not been signed or has expired.'
    })
  })

  it('forbidden: FORBIDDEN_ERROR for a key whose role is too low', async () => {
    sandbox.injectFault({ fault: { kind: 'forbidden' } })
    const res = await getJson<ErrorDocument>(url('/v1/apps'), bearer)
    expect(res.status).toBe(403)
    expect(res.body.errors[0]).toMatchObject({
      code: 'FORBIDDEN_ERROR',
      detail: 'The API key in use does not allow this request'
    })
  })
})

describe('fault rules', () => {
  it('match by path, in FIFO order, for the given number of times', async () => {
    sandbox.injectFault({ fault: { kind: 'status', status: 500 }, path: '/v1/builds', times: 2 })
    sandbox.injectFault({ fault: { kind: 'status', status: 502 }, path: /^\/v1\/apps/ })
    sandbox.injectFault({ fault: { kind: 'status', status: 504 } })
    const statuses = []
    for (const path of ['/v1/apps', '/v1/builds', '/v1/apps', '/v1/builds', '/v1/builds']) {
      statuses.push((await getJson(url(path), bearer)).status)
    }
    // apps -> 502 (regexp rule), builds -> 500, apps -> 504 (catch-all), builds -> 500, then normal
    expect(statuses).toEqual([502, 500, 504, 500, 200])
  })

  it('clearFaults drops pending rules', async () => {
    sandbox.injectFault({ fault: { kind: 'status', status: 503 }, times: 5 })
    sandbox.clearFaults()
    expect((await getJson(url('/v1/apps'), bearer)).status).toBe(200)
  })
})

describe('recording', () => {
  it('records method, path, query occurrences, url, token check, status and body bytes', async () => {
    sandbox.resetRequests()
    // A repeated parameter is refused (400), and recorded once per occurrence.
    const builds = await getJson(url('/v1/builds?filter[app]=1,2&filter[app]=3&limit=2'), bearer)
    const refused = await getJson(url('/v1/apps'), undefined)
    const bytes = (body: unknown): number => Buffer.byteLength(JSON.stringify(body))
    expect(sandbox.requests).toEqual([
      {
        method: 'GET',
        path: '/v1/builds',
        query: { 'filter[app]': ['1,2', '3'], limit: ['2'] },
        url: url('/v1/builds?filter[app]=1,2&filter[app]=3&limit=2'),
        tokenVerified: true,
        status: 400,
        bytes: bytes(builds.body)
      },
      {
        method: 'GET',
        path: '/v1/apps',
        query: {},
        url: url('/v1/apps'),
        tokenVerified: false,
        authFailure: 'missing-authorization',
        status: 401,
        bytes: bytes(refused.body)
      }
    ])
    expect(sandbox.requests[0]!.bytes).toBeGreaterThan(100)
    expect(builds.status).toBe(400)
  })
})

describe('X-Rate-Limit', () => {
  it('counts down per key on every answer, errors included', async () => {
    const first = await getJson(url('/v1/apps'), bearer)
    const second = await getJson<ErrorDocument>(url('/v1/apps?bad=1'), bearer)
    expect(second.status).toBe(400)
    expect(remaining(second.headers)).toBe(remaining(first.headers) - 1)
    const other = await getJson(url('/v1/apps'), token(otherKey))
    expect(remaining(other.headers)).toBe(3599)
  })

  it('answers 429 once a key has used its hourly quota, and recovers as the hour rolls', async () => {
    let clock = NOW
    await withSandbox(
      { catalogue, now: () => clock, rateLimitPerHour: 3, keys: [key] },
      async local => {
        const seen = []
        for (let i = 0; i < 4; i++) {
          const res = await getJson<ErrorDocument>(`${local.url}/v1/apps`, bearer)
          seen.push([res.status, res.headers.get('x-rate-limit')])
        }
        expect(seen).toEqual([
          [200, 'user-hour-lim:3;user-hour-rem:2;'],
          [200, 'user-hour-lim:3;user-hour-rem:1;'],
          [200, 'user-hour-lim:3;user-hour-rem:0;'],
          [429, 'user-hour-lim:3;user-hour-rem:0;']
        ])
        clock = new Date(NOW.getTime() + 61 * 60_000)
        const fresh = token(key, { at: clock })
        expect((await getJson(`${local.url}/v1/apps`, fresh)).status).toBe(200)
      }
    )
  })
})

describe('latency', () => {
  it('delays every answer by latencyMs', async () => {
    await withSandbox({ catalogue, latencyMs: 150, keys: [key] }, async local => {
      const started = Date.now()
      expect((await getJson(`${local.url}/v1/apps`, bearer)).status).toBe(200)
      expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    })
  })
})
