import { MockAgent } from 'undici'
import { AppStoreConnectClient } from '../../src/asc-client.js'
import { parsePrivateKey } from '../../src/private-key.js'
import { DEFAULT_RETRY_POLICY } from '../../src/retry.js'
import { TokenSource } from '../../src/token.js'
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
}

/**
 * A client wired to undici's MockAgent. `answer` decides each reply from the request path;
 * every request is recorded, and anything unanswered fails the test.
 */
export function mockApi(
  answer: (path: string, query: URLSearchParams) => Answer | undefined,
  options: { maxAttempts?: number; timeoutMs?: number } = {}
): {
  client: AppStoreConnectClient
  seen: SeenRequest[]
  agent: MockAgent
  /** Every backoff wait asked for, in ms (the sleep itself is instant). */
  sleeps: number[]
  /** Every info line the client logged. */
  infos: string[]
} {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const seen: SeenRequest[] = []
  const pool = agent.get(API)
  pool
    .intercept({ path: () => true, method: 'GET' })
    .reply(request => {
      const url = new URL(request.path, API)
      const headers = request.headers as Record<string, string> | undefined
      seen.push({
        path: url.pathname,
        query: url.searchParams,
        authorization: headers?.authorization
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
  const { client, sleeps, infos } = clientFor(agent, options)
  return { client, seen, agent, sleeps, infos }
}

export interface TestClient {
  client: AppStoreConnectClient
  /** Every backoff wait asked for, in ms (the sleep itself is instant). */
  sleeps: number[]
  /** Every info line the client logged. */
  infos: string[]
}

/** A client on any dispatcher, with instant sleeps and a fixed jitter, as the unit tests want it. */
export function clientFor(
  dispatcher: MockAgent,
  options: { maxAttempts?: number; timeoutMs?: number } = {}
): TestClient {
  const tokens = new TokenSource({
    key,
    keyId: '2X9R4HXF34',
    issuerId: '57246542-96fe-1a63-e053-0824d011072a'
  })
  const sleeps: number[] = []
  const infos: string[] = []
  const client = new AppStoreConnectClient({
    baseUrl: API,
    tokens,
    timeoutMs: options.timeoutMs ?? 2000,
    dispatcher,
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: options.maxAttempts ?? 4 },
    sleep: async ms => void sleeps.push(ms),
    random: () => 0.5,
    info: line => infos.push(line)
  })
  return { client, sleeps, infos }
}
