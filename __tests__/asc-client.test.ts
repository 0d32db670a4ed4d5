import { describe, expect, it } from '@jest/globals'
import { MockAgent } from 'undici'
import { parseRateLimit } from '../src/apple/asc-client.js'
import { ActionError } from '../src/errors.js'
import { AppleApiError } from '../src/apple/apple-error.js'
import { ShapeError } from '../src/apple/shapes.js'
import { Deadline, DeadlineError } from '../src/deadline.js'
import { appleError, buildsPage } from './support/documents.js'
import { API, clientFor, mockApi } from './support/mock-api.js'

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
          [{ id: `b${cursor}`, version: String(cursor), uploaded: '2026-11-01T00:00:00Z' }],
          next
        )
      }
    })
    const ids: string[] = []
    for await (const page of client.pages<{ id: string }>(
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
