import { describe, expect, it } from '@jest/globals'
import { MockAgent } from 'undici'
import { AppStoreConnectClient } from '../src/apple/asc-client.js'
import { AppleApiError } from '../src/apple/apple-error.js'
import {
  DEFAULT_RETRY_POLICY,
  outageBudgetMs,
  parseRetryAfter,
  retryDecision,
  retryDelayMs,
  transportFailure
} from '../src/apple/retry.js'
import { Deadline } from '../src/deadline.js'
import { appleError } from './support/documents.js'
import { API, clientFor, mockApi, testClock, type Answer } from './support/mock-api.js'
import { buildsPage } from './support/documents.js'
import { decodeJwt } from 'jose'

/** Answers in turn, repeating the last one. */
function sequence(...answers: Answer[]): () => Answer {
  let index = 0
  return () => answers[Math.min(index++, answers.length - 1)]!
}

const OK: Answer = { body: { data: [] } }
const unavailable = (headers?: Record<string, string>): Answer => ({
  status: 503,
  body: appleError(503, 'SERVICE_UNAVAILABLE', 'Try again later.'),
  headers
})

async function get(client: AppStoreConnectClient): Promise<unknown> {
  return client.get(client.url('/v1/builds'), 'listing builds')
}

describe('the retry policy in the client', () => {
  it.each([429, 500, 502, 503, 504])('retries a %i and recovers', async status => {
    const { client, seen, sleeps, infos } = mockApi(
      sequence({ status, body: appleError(status, 'ERR', 'busy') }, OK)
    )
    await expect(get(client)).resolves.toEqual({ data: [] })
    expect(seen).toHaveLength(2)
    expect(sleeps).toEqual([750])
    expect(infos).toEqual([
      `App Store Connect answered ${status} while listing builds; retrying in 0.8 s (attempt 2 of 4).`
    ])
  })

  it('backs off exponentially, with jitter, and gives up after max-attempts', async () => {
    const { client, seen, sleeps } = mockApi(sequence(unavailable()))
    const error = (await get(client).catch(e => e)) as Error
    expect(seen).toHaveLength(4)
    // random() is 0.5: three quarters of 1 s, 2 s, 4 s.
    expect(sleeps).toEqual([750, 1500, 3000])
    expect(error.message).toMatch(
      /answered 503 while listing builds: SERVICE_UNAVAILABLE: Try again later\. Gave up after 4 attempts\.$/
    )
  })

  it('waits as long as Retry-After says, in seconds', async () => {
    const { client, sleeps } = mockApi(
      sequence({ ...unavailable(), status: 429, headers: { 'retry-after': '7' } }, OK)
    )
    await get(client)
    expect(sleeps).toEqual([7000])
  })

  it('without a deadline, fails at once when Retry-After asks for more than the longest single wait', async () => {
    const { client, seen, sleeps } = mockApi(
      sequence({
        status: 429,
        body: appleError(429, 'RATE_LIMIT_EXCEEDED', 'The request rate limit has been reached.'),
        headers: { 'retry-after': '3600' }
      })
    )
    const error = (await get(client).catch(e => e)) as Error
    expect(seen).toHaveLength(1)
    expect(sleeps).toEqual([])
    expect(error.message).toMatch(
      /RATE_LIMIT_EXCEEDED.*Apple asked to wait 3600 s before trying again, longer than the 60 s/
    )
  })

  it.each([400, 403, 404])('does not retry a %i', async status => {
    const { client, seen } = mockApi(sequence({ status, body: appleError(status, 'X', 'no') }, OK))
    await expect(get(client)).rejects.toBeInstanceOf(AppleApiError)
    expect(seen).toHaveLength(1)
  })

  it('retries a 401 once, with a freshly minted token, then fails with the hint', async () => {
    const unauthorized: Answer = {
      status: 401,
      body: appleError(
        401,
        'NOT_AUTHORIZED',
        'Provide a properly configured and signed bearer token'
      )
    }
    const { client, seen, sleeps, infos } = mockApi(sequence(unauthorized))
    const error = (await get(client).catch(e => e)) as Error
    expect(seen).toHaveLength(2)
    expect(seen[0]!.authorization).not.toBe(seen[1]!.authorization)
    expect(sleeps).toEqual([])
    expect(infos).toEqual([
      'App Store Connect refused the token (401) while listing builds; retrying with a new token (attempt 2 of 4).'
    ])
    expect(error.message).toMatch(
      /answered 401 .*NOT_AUTHORIZED.*issuer-id, key-id and private-key/
    )
  })

  it('recovers when the fresh token is accepted', async () => {
    const { client, seen } = mockApi(
      sequence({ status: 401, body: appleError(401, 'NOT_AUTHORIZED', 'x') }, OK)
    )
    await expect(get(client)).resolves.toEqual({ data: [] })
    expect(seen).toHaveLength(2)
  })

  it('retries a 2xx whose body is not valid JSON', async () => {
    const { client, seen } = mockApi(sequence({ body: '{"data": [{"ty' }, OK))
    await expect(get(client)).resolves.toEqual({ data: [] })
    expect(seen).toHaveLength(2)
  })

  it('counts the first try in max-attempts: 1 means no retry', async () => {
    const { client, seen } = mockApi(sequence(unavailable(), OK), { maxAttempts: 1 })
    await expect(get(client)).rejects.toThrow(/answered 503/)
    expect(seen).toHaveLength(1)
  })

  it('retries a connection error', async () => {
    const agent = new MockAgent()
    agent.disableNetConnect()
    const pool = agent.get(API)
    pool
      .intercept({ path: () => true })
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
    pool.intercept({ path: () => true }).reply(200, '{"data":[]}')
    const { client, sleeps } = clientFor(agent)
    await expect(get(client)).resolves.toEqual({ data: [] })
    expect(sleeps).toHaveLength(1)
    expect(client.requestCount).toBe(2)
  })
})

describe('waits and limits', () => {
  it('never retries a 429 at once, even when Retry-After says 0', async () => {
    const { client, sleeps } = mockApi(
      sequence(
        {
          status: 429,
          body: appleError(429, 'RATE_LIMIT_EXCEEDED', 'x'),
          headers: { 'retry-after': '0' }
        },
        OK
      )
    )
    await get(client)
    expect(sleeps).toEqual([750])
  })

  it('reads a Retry-After given as an HTTP date against the clock', async () => {
    const clock = testClock('2026-11-27T12:00:00Z')
    const agent = new MockAgent()
    agent.disableNetConnect()
    const pool = agent.get(API)
    pool
      .intercept({ path: () => true })
      .reply(503, JSON.stringify(appleError(503, 'UNAVAILABLE', 'x')), {
        headers: { 'retry-after': 'Fri, 27 Nov 2026 12:00:12 GMT' }
      })
    pool.intercept({ path: () => true }).reply(200, '{"data":[]}')
    const { client, sleeps } = clientFor(agent, { clock })
    await get(client)
    expect(sleeps).toEqual([12_000])
  })

  it('stops retrying one outage once it has lasted its retry time, naming total-timeout-minutes', async () => {
    const clock = testClock('2026-11-27T12:00:00Z')
    const { client, seen, sleeps } = mockApi(sequence(unavailable()), {
      clock,
      maxAttempts: 10,
      maxTotalRetryMs: 10_000
    })
    const error = (await get(client).catch(e => e)) as Error
    // Waits of 0.75, 1.5, 3 s; the next (6 s) would end past 10 s after the first failure.
    expect(sleeps).toEqual([750, 1500, 3000])
    expect(seen).toHaveLength(4)
    expect(error.message).toMatch(
      /answered 503 .* Gave up: retrying this outage would pass the 10 s limit, 3\/10 of total-timeout-minutes: raise total-timeout-minutes, or run the job again later\.$/
    )
  })

  it('gives each outage its own retry time: a successful answer ends the outage', async () => {
    const clock = testClock('2026-11-27T12:00:00Z')
    let calls = 0
    // Two outages of three failures each, an answer between them.
    const { client, sleeps } = mockApi(
      () => ([1, 2, 3, 5, 6, 7].includes(++calls) ? unavailable() : OK),
      { clock, maxAttempts: 10, maxTotalRetryMs: 6_000 }
    )
    await get(client)
    clock.advance(60_000)
    await expect(get(client)).resolves.toEqual({ data: [] })
    expect(sleeps).toEqual([750, 1500, 3000, 750, 1500, 3000])
  })

  it('honours a Retry-After longer than the longest backoff while the run’s deadline allows it', async () => {
    const clock = testClock('2026-11-27T12:00:00Z')
    const deadline = new Deadline(20 * 60_000, 'total-timeout-minutes plus wait-minutes (20 min)')
    const { client, sleeps } = mockApi(
      sequence({ ...unavailable(), status: 429, headers: { 'retry-after': '120' } }, OK),
      { clock, deadline }
    )
    await expect(get(client)).resolves.toEqual({ data: [] })
    expect(sleeps).toEqual([120_000])
  })

  it.each([
    ['CERT_HAS_EXPIRED', /TLS certificate could not be verified: .*NODE_EXTRA_CA_CERTS/],
    ['UND_ERR_INVALID_ARG', /Could not reach App Store Connect .*UND_ERR_INVALID_ARG/]
  ])('does not retry a permanent connection failure (%s)', async (code, message) => {
    const agent = new MockAgent()
    agent.disableNetConnect()
    agent
      .get(API)
      .intercept({ path: () => true })
      .replyWithError(Object.assign(new Error('refused'), { code }))
      .persist()
    const { client, sleeps } = clientFor(agent)
    await expect(get(client)).rejects.toThrow(message)
    expect(client.requestCount).toBe(1)
    expect(sleeps).toEqual([])
  })

  it('signs a fresh token before the old one expires during a long paged read', async () => {
    const clock = testClock('2026-11-27T12:00:00Z')
    const { client, seen } = mockApi(
      (_path, query) => {
        clock.advance(4 * 60_000) // each page takes four minutes
        const page = Number(query.get('cursor') ?? '0')
        return {
          body: buildsPage([], page < 6 ? `${API}/v1/builds?cursor=${page + 1}` : undefined)
        }
      },
      { clock }
    )
    const sentAt: number[] = []
    for await (const _page of client.pages(client.url('/v1/builds'), 'listing builds')) {
      sentAt.push(clock.now().getTime())
    }
    const tokens = seen.map(request => request.authorization!.replace('Bearer ', ''))
    expect(new Set(tokens).size).toBeGreaterThan(1)
    // Each token still had at least a minute to live when it was sent (four minutes before the answer).
    tokens.forEach((token, index) => {
      const sent = sentAt[index]! - 4 * 60_000
      expect(decodeJwt(token).exp! * 1000 - sent).toBeGreaterThanOrEqual(60_000)
    })
  })
})

describe('outageBudgetMs', () => {
  it('gives one outage 3/10 of total-timeout-minutes: 180 s of the default 10 minutes', () => {
    expect(outageBudgetMs(10 * 60_000)).toBe(180_000)
    expect(outageBudgetMs(60_000)).toBe(18_000)
  })
})

describe('retryDelayMs', () => {
  it('caps a backoff wait, but not what Retry-After asks for', () => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 20, undefined, () => 1)).toBe(
      DEFAULT_RETRY_POLICY.maxDelayMs
    )
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 1, 5000)).toBe(5000)
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 1, 120_000)).toBe(120_000)
  })

  it('spreads backoff waits between half and all of the exponential step', () => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 3, undefined, () => 0)).toBe(2000)
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 3, undefined, () => 0.999999)).toBe(4000)
  })
})

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-27T12:00:00Z')
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2000)
    expect(parseRetryAfter('Fri, 27 Nov 2026 12:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Fri, 27 Nov 2026 11:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
  })

  it('reads a number too large to be seconds as a date since 1970, in seconds or milliseconds', () => {
    const epoch = now.getTime()
    expect(parseRetryAfter(String(epoch + 30_000), now)).toBe(30_000)
    expect(parseRetryAfter(String(epoch / 1000 + 30), now)).toBe(30_000)
    expect(parseRetryAfter(String(epoch - 5_000), now)).toBe(0)
    expect(parseRetryAfter('86400', now)).toBe(86_400_000)
  })
})

describe('transportFailure of a proxy that refuses CONNECT', () => {
  const context = {
    origin: 'https://api.example.com',
    timeoutMs: 30_000,
    purpose: 'listing builds'
  }
  const refusal = (status: number): Error =>
    Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), {
      name: 'AbortError',
      code: 'UND_ERR_ABORTED'
    })

  it.each([
    [407, false, /answered 407 Proxy Authentication Required\. The proxy wants credentials/],
    [403, false, /answered 403 Forbidden\. The proxy's rules/],
    [502, true, /answered 502 Bad Gateway\.$/]
  ])('%i: a refusal naming the status, retried: %s', (status, retried, message) => {
    const error = transportFailure(refusal(status), context)
    expect(error.message).toMatch(
      /^The proxy refused to open a tunnel to https:\/\/api\.example\.com while listing builds: /
    )
    expect(error.message).toMatch(message)
    expect(error.message).not.toMatch(/did not answer/)
    expect(retryDecision(error, false).retry).toBe(retried)
  })
})

describe('transportFailure', () => {
  const context = {
    origin: 'https://api.example.com',
    timeoutMs: 30_000,
    purpose: 'listing builds'
  }
  const networkError = (code: unknown, message = 'other side closed'): Error =>
    Object.assign(new Error(message), { code })

  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_CLOSED'
  ])('retries a connection that failed with %s, saying so', code => {
    const cause = networkError(code)
    const error = transportFailure(cause, context)
    expect(error.message).toBe(
      `Could not reach App Store Connect at https://api.example.com while listing builds: ${code} other side closed.`
    )
    expect(retryDecision(error, false)).toEqual({
      retry: true,
      reason: `The connection failed (${code})`
    })
    expect(error.cause).toBe(cause)
  })

  it('does not retry what cannot pass by itself, such as a host that does not exist', () => {
    const cause = networkError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.example.com')
    const error = transportFailure(cause, context)
    expect(error.message).toBe(
      'Could not reach App Store Connect at https://api.example.com while listing builds: getaddrinfo ENOTFOUND api.example.com.'
    )
    expect(retryDecision(error, false)).toEqual({ retry: false })
    expect(error.cause).toBe(cause)
  })

  it.each([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'ERR_TLS_CERT_ALTNAME_INVALID'
  ])('points a certificate failure (%s) at NODE_EXTRA_CA_CERTS, without retrying', code => {
    const cause = networkError(code, 'certificate problem')
    const error = transportFailure(cause, context)
    expect(error.message).toMatch(
      /: [A-Z_]+ certificate problem\. The TLS certificate could not be verified: behind a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at its CA certificate\.$/
    )
    expect(retryDecision(error, false)).toEqual({ retry: false })
    expect(error.cause).toBe(cause)
  })

  it('says only what the failure said when it names no code, or names one that is not text', () => {
    expect(transportFailure(networkError(42, 'boom'), context).message).toBe(
      'Could not reach App Store Connect at https://api.example.com while listing builds: boom.'
    )
    expect(transportFailure('socket hang up', context).message).toBe(
      'Could not reach App Store Connect at https://api.example.com while listing builds: socket hang up.'
    )
  })

  it.each(['TimeoutError', 'AbortError'])('reads a %s as no answer in time, retried', name => {
    const cause = Object.assign(new Error('The operation was aborted'), { name })
    const error = transportFailure(cause, context)
    expect(error.message).toBe(
      'App Store Connect did not answer within 30 s while listing builds: raise timeout-seconds or try again.'
    )
    expect(retryDecision(error, false)).toEqual({ retry: true, reason: 'No answer within 30 s' })
    expect(error.cause).toBe(cause)
  })

  it('keeps a proxy’s refusal as the cause; retries a 502 saying so; a status without a name', () => {
    const refusal = (status: number): Error =>
      Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), {
        name: 'AbortError'
      })
    const busy = refusal(502)
    const retried = transportFailure(busy, context)
    expect(retryDecision(retried, false)).toEqual({ retry: true, reason: 'The proxy answered 502' })
    expect(retried.cause).toBe(busy)
    for (const status of [403, 407, 500]) {
      const cause = refusal(status)
      expect(transportFailure(cause, context).cause).toBe(cause)
    }
    expect(transportFailure(refusal(500), context).message).toBe(
      'The proxy refused to open a tunnel to https://api.example.com while listing builds: it answered 500 Internal Server Error.'
    )
    expect(transportFailure(refusal(599), context).message).toBe(
      'The proxy refused to open a tunnel to https://api.example.com while listing builds: it answered 599.'
    )
  })
})

describe('parseRetryAfter, read strictly', () => {
  const now = new Date('2026-11-27T12:00:00Z')

  it('reads seconds with blanks around them, and nothing with other text', () => {
    expect(parseRetryAfter(' 7 ', now)).toBe(7000)
    expect(parseRetryAfter(['3', '9'], now)).toBe(3000)
    expect(parseRetryAfter('7s', now)).toBeUndefined()
    expect(parseRetryAfter('s7', now)).toBeUndefined()
  })

  it('reads a value of up to 100 characters, and none longer', () => {
    const date = (length: number): string =>
      `Fri,${' '.repeat(length - 'Fri,27 Nov 2026 12:00:30 GMT'.length)}27 Nov 2026 12:00:30 GMT`
    expect(parseRetryAfter(date(100), now)).toBe(30_000)
    expect(parseRetryAfter(date(101), now)).toBeUndefined()
  })

  it('reads 100,000,000 as seconds, and 100,000,000,000 as milliseconds since 1970', () => {
    expect(parseRetryAfter('100000000', now)).toBe(100_000_000_000)
    // 100,000,000,001 s would be the year 5138; as milliseconds it is 1973, long past.
    expect(parseRetryAfter('100000000000', now)).toBe(0)
    expect(parseRetryAfter('100000001', now)).toBe(0)
  })
})
