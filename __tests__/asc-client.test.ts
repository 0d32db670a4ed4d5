import { describe, expect, it } from '@jest/globals'
import { MockAgent } from 'undici'
import { AppStoreConnectClient } from '../src/apple/asc-client.js'
import { parsePrivateKey } from '../src/apple/private-key.js'
import { DEFAULT_RETRY_POLICY } from '../src/apple/retry.js'
import { TokenSource } from '../src/apple/token.js'
import { parseRateLimit } from '../src/apple/asc-client.js'
import { ActionError } from '../src/errors.js'
import { AppleApiError } from '../src/apple/apple-error.js'
import { ShapeError } from '../src/apple/shapes.js'
import type { CollectionDocument } from '../src/apple/apple-types.js'
import { Deadline, DeadlineError } from '../src/deadline.js'
import { appleError, buildsPage } from './support/documents.js'
import { makeTestKey } from './support/keys.js'
import { API, clientFor, mockAgent, mockApi, type Answer } from './support/mock-api.js'

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('the request succeeded')
}

describe('AppStoreConnectClient.get', () => {
  it('sends the bearer token and reads the rate limit', async () => {
    const { client, seen } = mockApi(() => ({
      body: { data: [] },
      headers: { 'x-rate-limit': 'user-hour-lim:3600;user-hour-rem:3541;' }
    }))
    await client.get(client.url('/v1/apps/1'), 'looking up app 1')
    expect(seen[0]?.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/)
    expect(seen[0]?.accept).toBe('application/json')
    expect(client.rateLimit).toEqual({ limit: 3600, remaining: 3541 })
    expect(client.requestCount).toBe(1)
  })

  it.each<[number, string, string, RegExp]>([
    [
      401,
      'NOT_AUTHORIZED',
      'Provide a properly configured and signed bearer token',
      /issuer-id, key-id and private-key belong to the same/
    ],
    [403, 'FORBIDDEN_ERROR', 'This request is forbidden for security reasons', /role/],
    [
      403,
      'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED',
      'A required agreement is missing or has expired.',
      /accept the latest agreements/
    ],
    [404, 'NOT_FOUND', "There is no resource of type 'apps' with id '42'", /Check app-id/],
    [
      400,
      'PARAMETER_ERROR.INVALID',
      "'ANDROID' is not a valid value for filter",
      /App Store Connect answered 400/
    ],
    [429, 'RATE_LIMIT_EXCEEDED', 'The request rate limit has been reached.', /hourly request limit/]
  ])(
    'turns a %i %s into an error with Apple’s code, detail, what was asked, and a hint',
    async (status, code, detail, hint) => {
      const { client } = mockApi(() => ({ status, body: appleError(status, code, detail) }), {
        maxAttempts: 1
      })
      const error = await failure(client.get(client.url('/v1/apps/42'), 'looking up app 42'))
      expect(error).toBeInstanceOf(AppleApiError)
      expect((error as AppleApiError).code).toBe(code)
      expect(error.message).toContain(
        `App Store Connect answered ${status} while looking up app 42: ${code}: ${detail}`
      )
      expect(error.message).toMatch(hint)
    }
  )

  it('reports an HTML error page by its status alone', async () => {
    const { client } = mockApi(
      () => ({
        status: 502,
        body: '<html><body>Bad Gateway</body></html>'
      }),
      { maxAttempts: 1 }
    )
    const error = await failure(client.get(client.url('/v1/builds'), 'listing builds'))
    expect(error.message).toBe(
      'App Store Connect answered 502 while listing builds: no error details in the response.'
    )
  })

  it('rejects a 200 whose body is not JSON', async () => {
    const { client } = mockApi(() => ({ body: '{"data": [' }), { maxAttempts: 1 })
    const error = await failure(client.get(client.url('/v1/builds'), 'listing builds'))
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toMatch(/not valid JSON while listing builds/)
  })

  it('retries a body that is not JSON, saying so in short', async () => {
    let calls = 0
    const { client, infos, debugs } = mockApi(() =>
      calls++ === 0 ? { body: '{"data": [' } : { body: { data: [] } }
    )
    await client.get(client.url('/v1/builds'), 'listing builds')
    expect(infos).toEqual([
      expect.stringMatching(
        /^App Store Connect sent a response that is not valid JSON while listing builds; retrying in /
      )
    ])
    expect(debugs.filter(line => !line.startsWith('GET '))).toEqual([
      '200 (10 bytes)',
      '200 (11 bytes)'
    ])
  })

  it('gives up after timeout-seconds with a message that says so', async () => {
    const agent = new MockAgent()
    agent.disableNetConnect()
    agent
      .get(API)
      .intercept({ path: () => true })
      .reply(200, '{}')
      .delay(500)
    const { client } = clientFor(agent, { timeoutMs: 50, maxAttempts: 1 })
    const error = await failure(client.get(client.url('/v1/builds'), 'listing builds'))
    expect(error.message).toMatch(/did not answer within 0.05 s while listing builds/)
  })

  it('refuses to send the token to another origin', async () => {
    const { client, seen } = mockApi(() => ({ body: {} }))
    const error = await failure(client.get('https://evil.example.com/v1/builds', 'listing builds'))
    expect(error.message).toMatch(
      /pointed to https:\/\/evil.example.com .* the request was not sent/
    )
    expect(seen).toHaveLength(0)
  })
})

describe('AppStoreConnectClient.pages', () => {
  it('follows links.next to the last page', async () => {
    const { client, seen } = mockApi((_path, query) => {
      const cursor = Number(query.get('cursor') ?? '0')
      const next = cursor < 2 ? `${API}/v1/builds?limit=1&cursor=${cursor + 1}` : undefined
      return {
        body: buildsPage(
          [{ id: `b${cursor}`, version: String(cursor), uploaded: '2026-10-31T17:00:00-07:00' }],
          next
        )
      }
    })
    const ids: string[] = []
    for await (const page of client.pages<CollectionDocument<{ id: string }>>(
      client.url('/v1/builds', { limit: '1' }),
      'listing'
    )) {
      ids.push(...page.data.map(build => build.id))
    }
    expect(ids).toEqual(['b0', 'b1', 'b2'])
    expect(seen.map(request => request.query.get('cursor'))).toEqual([null, '1', '2'])
  })

  it('stops on a links.next it has already followed', async () => {
    const { client, seen } = mockApi(() => ({
      body: buildsPage([], `${API}/v1/builds?cursor=same`)
    }))
    const walk = async (): Promise<void> => {
      for await (const _page of client.pages(client.url('/v1/builds'), 'listing builds')) {
        // read every page
      }
    }
    const error = await failure(walk())
    expect(error.message).toMatch(/next-page link that was already read while listing builds/)
    expect(seen).toHaveLength(2)
  })

  it('never follows a links.next to another origin', async () => {
    const { client, seen } = mockApi(() => ({
      body: buildsPage([], 'https://evil.example.com/v1/builds?cursor=x')
    }))
    const walk = async (): Promise<void> => {
      for await (const _page of client.pages(client.url('/v1/builds'), 'listing builds')) {
        // read every page
      }
    }
    const error = await failure(walk())
    expect(error.message).toMatch(/pointed to https:\/\/evil.example.com/)
    expect(seen).toHaveLength(1)
  })
})

describe('parseRateLimit', () => {
  it('reads Apple’s header and ignores anything else', () => {
    expect(parseRateLimit('user-hour-lim:3600;user-hour-rem:0;')).toEqual({
      limit: 3600,
      remaining: 0
    })
    expect(parseRateLimit(undefined)).toBeUndefined()
    expect(parseRateLimit('garbage')).toBeUndefined()
  })
})

describe('the page cap', () => {
  it('reads 1000 pages at most, then stops, saying so', async () => {
    // Every page says there is another: the 1001st must never be asked for.
    const { client, seen } = mockApi((_path, query) => ({
      body: buildsPage([], `${API}/v1/builds?cursor=${Number(query.get('cursor') ?? '0') + 1}`)
    }))
    let pages = 0
    const walk = async (): Promise<void> => {
      for await (const _page of client.pages(client.url('/v1/builds'), 'listing builds')) {
        pages++
      }
    }
    await expect(walk()).rejects.toThrow(
      'Stopped after 1000 pages while listing builds: narrow the filters.'
    )
    expect(pages).toBe(1000)
    expect(seen).toHaveLength(1000)
    expect(seen.at(-1)?.query.get('cursor')).toBe('999')
  })

  it('reads a capped list to its cap, then says what no app has', async () => {
    const { client, seen } = mockApi((_path, query) => ({
      body: buildsPage([], `${API}/v1/builds?cursor=${Number(query.get('cursor') ?? '0') + 1}`)
    }))
    const walk = async (): Promise<void> => {
      const cap = { pages: 3, items: 'things', perPage: 200 }
      for await (const _page of client.pages(
        client.url('/v1/builds'),
        'listing things',
        undefined,
        cap
      )) {
        // read on
      }
    }
    await expect(walk()).rejects.toThrow(
      'Stopped after 3 pages (600 things) while listing things: no app has that many things, ' +
        'so App Store Connect kept sending next-page links. Run the job again later.'
    )
    expect(seen).toHaveLength(3)
  })
})

describe('a 400 names the input behind the refused parameter', () => {
  it.each([
    [
      'filter[preReleaseVersion.version]',
      /\(filter\[preReleaseVersion\.version\]\): .*Apple refused the value of app-version/
    ],
    ['filter[version]', /Apple refused the value of build-number/],
    ['fields[builds]', /Apple refused a parameter the action sent: please report this/]
  ])('%s', async (parameter, message) => {
    const body = {
      errors: [
        {
          status: '400',
          code: 'PARAMETER_ERROR.INVALID',
          title: 'A parameter has an invalid value',
          detail: "'9.9 beta' is not a valid value.",
          source: { parameter }
        }
      ]
    }
    const { client } = mockApi(() => ({ status: 400, body }))
    await expect(client.get(client.url('/v1/builds'), 'listing builds')).rejects.toThrow(message)
  })
})

describe('odd next-page links', () => {
  it('follows a relative links.next on the same origin', async () => {
    const { client, seen } = mockApi((_path, query) => ({
      body: buildsPage([], query.get('cursor') ? undefined : '/v1/builds?cursor=2')
    }))
    for await (const _page of client.pages(client.url('/v1/builds'), 'listing builds')) {
      // read every page
    }
    expect(seen.map(request => request.query.get('cursor'))).toEqual([null, '2'])
  })

  it('logs a link that does not decode as it is', async () => {
    const { client, seen, debugs } = mockApi((_path, query) => ({
      body: buildsPage([], query.get('cursor') ? undefined : `${API}/v1/builds?cursor=50%`)
    }))
    for await (const _page of client.pages(client.url('/v1/builds'), 'listing builds')) {
      // read every page
    }
    expect(seen).toHaveLength(2)
    expect(debugs).toContain(`GET ${API}/v1/builds?cursor=50%`)
  })
})

describe('limits on what a server can make the client do', () => {
  it('refuses an answer larger than the body limit, without retrying', async () => {
    const { client, seen } = mockApi(() => ({ body: { data: [], padding: 'x'.repeat(5000) } }), {
      maxBodyBytes: 1000
    })
    const error = await failure(client.get(client.url('/v1/builds'), 'listing builds'))
    expect(error.message).toMatch(
      /^App Store Connect sent an answer larger than .* MB while listing builds; the action stopped reading it/
    )
    expect(seen).toHaveLength(1)
  })

  it('sends nothing once the deadline has passed', async () => {
    const { client, seen } = mockApi(() => ({ body: { data: [] } }), {
      deadline: new Deadline(0, 'total-timeout-minutes (6 s)')
    })
    const error = await failure(client.get(client.url('/v1/builds'), 'listing builds'))
    expect(error).toBeInstanceOf(DeadlineError)
    expect(error.message).toBe(
      'Stopped while listing builds: the run reached its time limit, total-timeout-minutes (6 s). Raise total-timeout-minutes, or run the job again later.'
    )
    expect(seen).toHaveLength(0)
  })

  it('does not wait for a retry that would pass the deadline', async () => {
    const { client, seen, sleeps } = mockApi(
      () => ({
        status: 503,
        body: appleError(503, 'UNAVAILABLE', 'Later'),
        headers: { 'retry-after': '30' }
      }),
      { deadline: new Deadline(10_000, 'total-timeout-minutes (10 s)') }
    )
    const error = await failure(client.get(client.url('/v1/builds'), 'listing builds'))
    expect(error).toBeInstanceOf(DeadlineError)
    expect(error.message).toMatch(
      /^Stopped while listing builds: waiting to try again would pass the run's time limit, total-timeout-minutes \(10 s\)\. The last try: App Store Connect answered 503/
    )
    expect(seen).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it('says what it cannot read in an answer of the wrong shape, without retrying', async () => {
    const { client, seen } = mockApi(() => ({ body: { data: 'x' } }))
    const read = (body: unknown): unknown => {
      throw new ShapeError('data', `is ${typeof (body as { data: unknown }).data}, not a list`)
    }
    const error = await failure(client.get(client.url('/v1/builds'), 'listing builds', read))
    expect(error.message).toBe(
      'App Store Connect sent an answer the action cannot read while listing builds: data is string, not a list.'
    )
    expect(seen).toHaveLength(1)
  })

  it('ignores a rate-limit header that is not whole numbers', () => {
    expect(parseRateLimit('user-hour-lim:3600;user-hour-rem:1e3;')).toBeUndefined()
    expect(parseRateLimit('user-hour-lim:3600;user-hour-rem:-1;')).toBeUndefined()
    expect(parseRateLimit('user-hour-lim:3600;user-hour-rem:12;')).toEqual({
      limit: 3600,
      remaining: 12
    })
  })
})

/**
 * A client as main.ts makes it: real sleeps (short backoff here), no log callbacks, the
 * job's cancellation and the run's deadline as given.
 */
function plainClient(
  answer: (path: string, query: URLSearchParams) => Answer | undefined,
  options: { signal?: AbortSignal; deadline?: Deadline; delay?: number; infos?: string[] } = {}
): { client: AppStoreConnectClient; seen: Array<{ path: string }> } {
  let { agent, seen } = mockAgent(answer)
  if (options.delay !== undefined) {
    // One answer only, after `delay` ms.
    agent = new MockAgent()
    agent.disableNetConnect()
    agent
      .get(API)
      .intercept({ path: () => true })
      .reply(200, '{"data":[]}')
      .delay(options.delay)
    seen = []
  }
  const client = new AppStoreConnectClient({
    baseUrl: API,
    tokens: new TokenSource({
      key: parsePrivateKey(makeTestKey().pem).key,
      keyId: '2X9R4HXF34',
      issuerId: undefined
    }),
    timeoutMs: 5000,
    dispatcher: agent,
    retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 20 },
    signal: options.signal,
    deadline: options.deadline,
    info: options.infos && (line => options.infos!.push(line))
  })
  return { client, seen }
}

const unavailable: Answer = { status: 503, body: appleError(503, 'UNAVAILABLE', 'Later') }

describe('the client as the action runs it', () => {
  it('retries after a real wait, with no log callbacks given', async () => {
    let calls = 0
    const { client, seen } = plainClient(() =>
      calls++ === 0 ? unavailable : { body: { data: [] } }
    )
    const started = Date.now()
    await expect(client.get(client.url('/v1/builds'), 'listing builds')).resolves.toEqual({
      data: []
    })
    expect(Date.now() - started).toBeGreaterThanOrEqual(10)
    expect(seen).toHaveLength(2)
  })

  it('sends nothing, mints nothing, counts nothing once the job is cancelled', async () => {
    const stop = new AbortController()
    stop.abort(new ActionError('The job was cancelled (SIGTERM).'))
    const { client, seen } = plainClient(() => ({ body: { data: [] } }), { signal: stop.signal })
    await expect(client.get(client.url('/v1/builds'), 'listing builds')).rejects.toThrow(
      'The job was cancelled (SIGTERM).'
    )
    expect(seen).toHaveLength(0)
    expect(client.requestCount).toBe(0)
  })

  it('ends a request in flight at once when the job is cancelled, without retrying it', async () => {
    const stop = new AbortController()
    const infos: string[] = []
    const { client } = plainClient(() => undefined, { signal: stop.signal, delay: 2000, infos })
    setTimeout(() => stop.abort(new ActionError('The job was cancelled (SIGINT).')), 20)
    const started = Date.now()
    const error = await failure(client.get(client.url('/v1/builds'), 'listing builds'))
    expect(error.message).toBe('The job was cancelled (SIGINT).')
    expect(Date.now() - started).toBeLessThan(1500)
    expect(client.requestCount).toBe(1)
    expect(infos).toEqual([])
  })

  it('ends a request in flight at the deadline, saying the time limit was reached', async () => {
    const infos: string[] = []
    const { client } = plainClient(() => undefined, {
      deadline: new Deadline(30, 'total-timeout-minutes (6 s)'),
      delay: 2000,
      infos
    })
    const error = await failure(client.get(client.url('/v1/builds'), 'listing builds'))
    expect(error).toBeInstanceOf(DeadlineError)
    expect(error.message).toBe(
      'Stopped while listing builds: the run reached its time limit, total-timeout-minutes (6 s). Raise total-timeout-minutes, or run the job again later.'
    )
    expect(infos).toEqual([])
  })

  it('ends a wait at once when the job is cancelled', async () => {
    const stop = new AbortController()
    const { client } = plainClient(() => undefined, { signal: stop.signal })
    setTimeout(() => stop.abort(new ActionError('The job was cancelled (SIGINT).')), 20)
    const started = Date.now()
    await expect(client.sleep(10_000)).rejects.toThrow('The job was cancelled (SIGINT).')
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('a wait cut by the deadline says it was waiting', async () => {
    const { client } = plainClient(() => undefined, {
      deadline: new Deadline(30, 'total-timeout-minutes plus wait-minutes (1 min)')
    })
    await expect(client.sleep(10_000)).rejects.toThrow(
      'Stopped while waiting: the run reached its time limit, total-timeout-minutes plus wait-minutes (1 min). Raise total-timeout-minutes, or run the job again later.'
    )
  })
})

describe('how the client gives up keeps what Apple said', () => {
  it('keeps the last failure as the cause after the last attempt', async () => {
    const { client } = mockApi(() => unavailable, { maxAttempts: 2 })
    const error = await failure(client.get(client.url('/v1/builds'), 'listing builds'))
    expect(error.message).toMatch(/Gave up after 2 attempts\.$/)
    expect(error.cause).toBeInstanceOf(AppleApiError)
  })

  it('waits a Retry-After of exactly the longest single wait, and fails past it, keeping the cause', async () => {
    const at = (seconds: string): Answer => ({
      ...unavailable,
      status: 429,
      headers: { 'retry-after': seconds }
    })
    let calls = 0
    const waited = mockApi(() => (calls++ === 0 ? at('60') : { body: { data: [] } }))
    await waited.client.get(waited.client.url('/v1/builds'), 'listing builds')
    expect(waited.sleeps).toEqual([60_000])
    const refused = mockApi(() => at('61'))
    const error = await failure(
      refused.client.get(refused.client.url('/v1/builds'), 'listing builds')
    )
    expect(error.message).toMatch(
      /Apple asked to wait 61 s before trying again, longer than the 60 s/
    )
    expect(error.cause).toBeInstanceOf(AppleApiError)
  })

  it('retries a wait that ends exactly at the retry limit, and keeps the cause past it', async () => {
    let calls = 0
    const exact = mockApi(() => (calls++ === 0 ? unavailable : { body: { data: [] } }), {
      maxTotalRetryMs: 750
    })
    await expect(
      exact.client.get(exact.client.url('/v1/builds'), 'listing builds')
    ).resolves.toEqual({ data: [] })
    expect(exact.sleeps).toEqual([750])
    const short = mockApi(() => unavailable, { maxTotalRetryMs: 749 })
    const error = await failure(short.client.get(short.client.url('/v1/builds'), 'listing builds'))
    expect(error.message).toMatch(
      /Gave up: retrying this outage would pass the 0.749 s limit, 3\/10 of total-timeout-minutes: raise total-timeout-minutes, or run the job again later\.$/
    )
    expect(error.cause).toBeInstanceOf(AppleApiError)
  })

  it('keeps its token across retries that are not about the token', async () => {
    let calls = 0
    const { client, seen } = mockApi(() => (calls++ === 0 ? unavailable : { body: { data: [] } }))
    await client.get(client.url('/v1/builds'), 'listing builds')
    expect(seen[1]!.authorization).toBe(seen[0]!.authorization)
  })

  it('keeps the shape problem as the cause, and a reader’s own bug as it is', async () => {
    const { client } = mockApi(() => ({ body: { data: [] } }))
    const shape = new ShapeError('data', 'is a list')
    const error = await failure(
      client.get(client.url('/v1/builds'), 'listing builds', () => {
        throw shape
      })
    )
    expect(error.cause).toBe(shape)
    const bug = new TypeError('x is not a function')
    await expect(
      client.get(client.url('/v1/builds'), 'listing builds', () => {
        throw bug
      })
    ).rejects.toBe(bug)
  })

  it('treats a 300 as a refusal, not as an answer', async () => {
    const { client } = mockApi(() => ({ status: 300, body: { data: [] } }), { maxAttempts: 1 })
    const error = await failure(client.get(client.url('/v1/builds'), 'listing builds'))
    expect(error).toBeInstanceOf(AppleApiError)
    expect(error.message).toMatch(/^App Store Connect answered 300 while listing builds/)
  })

  it('reads a page without links as the last', async () => {
    const { client, seen } = mockApi(() => ({ body: { data: [] } }))
    for await (const _page of client.pages(client.url('/v1/builds'), 'listing builds')) {
      // read every page
    }
    expect(seen).toHaveLength(1)
  })
})

describe('the body limit', () => {
  const sized = (bytes: number): string => {
    const head = '{"data":[],"padding":"'
    return `${head}${'x'.repeat(bytes - head.length - 2)}"}`
  }

  it('reads an answer of exactly the limit, declared or not', async () => {
    const streamed = mockApi(() => ({ body: sized(1000) }), { maxBodyBytes: 1000 })
    await expect(
      streamed.client.get(streamed.client.url('/v1/builds'), 'x')
    ).resolves.toMatchObject({
      data: []
    })
    const declared = mockApi(() => ({ body: sized(1000), headers: { 'content-length': '1000' } }), {
      maxBodyBytes: 1000
    })
    await expect(
      declared.client.get(declared.client.url('/v1/builds'), 'x')
    ).resolves.toMatchObject({
      data: []
    })
  })

  it('refuses an answer declared larger than the limit before reading it, in MB', async () => {
    const { client } = mockApi(
      () => ({ body: '{"data":[]}', headers: { 'content-length': String(20 * 1024 * 1024 + 1) } }),
      { maxAttempts: 1 }
    )
    const error = await failure(client.get(client.url('/v1/builds'), 'listing builds'))
    expect(error.message).toBe(
      'App Store Connect sent an answer larger than 20 MB while listing builds; the action stopped reading it (a page of 200 builds is about 200 KB).'
    )
  })

  it('does not mistake a small declared length for a large one', async () => {
    const { client } = mockApi(
      () => ({ body: '{"data":[]}', headers: { 'content-length': '11' } }),
      {
        maxBodyBytes: 1000
      }
    )
    await expect(client.get(client.url('/v1/builds'), 'x')).resolves.toEqual({ data: [] })
  })
})

describe('parseRateLimit, strictly', () => {
  it('reads the header split over several values, and blanks around the numbers', () => {
    expect(parseRateLimit(['user-hour-lim:3600', 'user-hour-rem:10'])).toEqual({
      limit: 3600,
      remaining: 10
    })
    expect(parseRateLimit('user-hour-lim: 3600 ; user-hour-rem : 10')).toEqual({
      limit: 3600,
      remaining: 10
    })
  })

  it('ignores a field with more than one value, or numbers with anything around them', () => {
    expect(parseRateLimit('user-hour-lim:3600:1;user-hour-rem:10')).toBeUndefined()
    expect(parseRateLimit('user-hour-lim:x3600;user-hour-rem:10')).toBeUndefined()
    expect(parseRateLimit('user-hour-lim:3600x;user-hour-rem:10')).toBeUndefined()
  })

  it('reads a header of up to 1000 characters, and none longer', () => {
    const header = (length: number): string => {
      const fields = 'user-hour-lim:3600;user-hour-rem:10'
      return fields + ';'.repeat(length - fields.length)
    }
    expect(parseRateLimit(header(1000))).toEqual({ limit: 3600, remaining: 10 })
    expect(parseRateLimit(header(1001))).toBeUndefined()
  })
})
