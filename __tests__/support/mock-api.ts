import { MockAgent } from 'undici'
import { AppStoreConnectClient } from '../../src/apple/asc-client.js'
import { parsePrivateKey } from '../../src/apple/private-key.js'
import { DEFAULT_RETRY_POLICY } from '../../src/apple/retry.js'
import { TokenSource } from '../../src/apple/token.js'
import { inputBehindParameter } from '../../src/choose/filters.js'
import type { Deadline } from '../../src/deadline.js'
import { makeTestKey } from './keys.js'

export const API = 'https://api.appstoreconnect.apple.com'
const key = parsePrivateKey(makeTestKey().pem).key

export interface Answer {
  status?: number
  body: object | string
  headers?: Record<string, string>
}

export interface SeenRequest {
  path: string
  query: URLSearchParams
  authorization: string | undefined
  accept: string | undefined
}

/**
 * undici's MockAgent answering every GET to the API from `answer`; every request is
 * recorded, and anything unanswered gets a 500 that fails the test.
 */
export function mockAgent(answer: (path: string, query: URLSearchParams) => Answer | undefined): {
  agent: MockAgent
  seen: SeenRequest[]
} {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const seen: SeenRequest[] = []
  agent
    .get(API)
    .intercept({ path: () => true, method: 'GET' })
    .reply(request => {
      const url = new URL(request.path, API)
      const headers = request.headers as Record<string, string> | undefined
      seen.push({
        path: url.pathname,
        query: url.searchParams,
        authorization: headers?.authorization,
        accept: headers?.accept
      })
      const reply = answer(url.pathname, url.searchParams)
      if (!reply) return { statusCode: 500, data: `unexpected request ${request.path}` }
      const data = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)
      return {
        statusCode: reply.status ?? 200,
        data,
        responseOptions: { headers: { 'content-type': 'application/json', ...reply.headers } }
      }
    })
    .persist()
  return { agent, seen }
}

/** A client wired to `mockAgent(answer)`. */
export function mockApi(
  answer: (path: string, query: URLSearchParams) => Answer | undefined,
  options: ClientSettings = {}
): TestClient & { seen: SeenRequest[]; agent: MockAgent } {
  const { agent, seen } = mockAgent(answer)
  const { client, sleeps, infos, debugs } = clientFor(agent, options)
  return { client, seen, agent, sleeps, infos, debugs }
}

export interface TestClient {
  client: AppStoreConnectClient
  /** Every backoff wait asked for, in ms (the sleep itself is instant). */
  sleeps: number[]
  /** Every info line the client logged. */
  infos: string[]
  /** Every debug line the client logged. */
  debugs: string[]
}

/** A client on any dispatcher, with instant sleeps and a fixed jitter, as the unit tests want it. */
export interface ClientSettings {
  maxAttempts?: number
  timeoutMs?: number
  maxTotalRetryMs?: number
  /** A test clock for tokens, Retry-After and the retry limit; each sleep moves it on. */
  clock?: TestClock
  /** The run's deadline, if the test sets one. */
  deadline?: Deadline
  maxBodyBytes?: number
  /** The job's cancellation, if the test cancels. */
  signal?: AbortSignal
}

export interface TestClock {
  now: () => Date
  advance: (ms: number) => void
}

export function testClock(start: string): TestClock {
  let time = Date.parse(start)
  return { now: () => new Date(time), advance: ms => void (time += ms) }
}

export function clientFor(dispatcher: MockAgent, options: ClientSettings = {}): TestClient {
  const { clock } = options
  const tokens = new TokenSource({
    key,
    keyId: '2X9R4HXF34',
    issuerId: '57246542-96fe-1a63-e053-0824d011072a',
    now: clock?.now
  })
  const sleeps: number[] = []
  const infos: string[] = []
  const debugs: string[] = []
  const client = new AppStoreConnectClient({
    baseUrl: API,
    tokens,
    timeoutMs: options.timeoutMs ?? 2000,
    deadline: options.deadline,
    maxBodyBytes: options.maxBodyBytes,
    signal: options.signal,
    dispatcher,
    retry: {
      ...DEFAULT_RETRY_POLICY,
      maxAttempts: options.maxAttempts ?? 4,
      maxTotalRetryMs: options.maxTotalRetryMs ?? DEFAULT_RETRY_POLICY.maxTotalRetryMs
    },
    now: clock?.now,
    sleep: async ms => {
      sleeps.push(ms)
      clock?.advance(ms)
    },
    random: () => 0.5,
    inputBehind: inputBehindParameter,
    info: line => infos.push(line),
    debug: line => debugs.push(line)
  })
  return { client, sleeps, infos, debugs }
}
