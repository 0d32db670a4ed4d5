import { request, type Dispatcher } from 'undici'
import type { CollectionDocument } from './apple-types.js'
import { ActionError, AppleApiError, hintFor, type AppleErrorEntry } from './errors.js'
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  retryDecision,
  retryDelayMs,
  TransportError,
  type RetryPolicy
} from './retry.js'
import type { TokenSource } from './token.js'

/** Stop paging here: 1,000 pages of 200 is 200,000 builds, far past any real app. */
export const MAX_PAGES = 1000

export interface RateLimit {
  limit: number
  remaining: number
}

export interface ClientOptions {
  /** Origin (and optional path prefix) without a trailing slash. */
  baseUrl: string
  tokens: TokenSource
  timeoutMs: number
  /** undici dispatcher: a MockAgent in unit tests; the global one otherwise. */
  dispatcher?: Dispatcher
  retry?: RetryPolicy
  /** Injected in tests so that backoff costs no real time. */
  sleep?: (ms: number) => Promise<void>
  now?: () => Date
  random?: () => number
  /** One line for each retry: why, and how long the wait is. */
  info?: (message: string) => void
  debug?: (message: string) => void
}

const realSleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** A thin App Store Connect client: one authenticated GET, JSON errors, paging. */
export class AppStoreConnectClient {
  /** Requests sent so far, for logs and request budgets. */
  requestCount = 0
  /** The latest `X-Rate-Limit` Apple reported, if any. */
  rateLimit: RateLimit | undefined
  private readonly origin: string

  constructor(private readonly options: ClientOptions) {
    this.origin = new URL(options.baseUrl).origin
  }

  /** URL of an API path with query parameters. */
  url(path: string, query: Record<string, string> = {}): string {
    const url = new URL(this.options.baseUrl + path)
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value)
    return url.toString()
  }

  /**
   * GETs a JSON document, retrying what the retry policy says is transient. `attempt` says
   * what the action was asking, for messages ("listing the builds of app 123").
   */
  async get<T>(url: string, attempt: string): Promise<T> {
    if (new URL(url).origin !== this.origin) {
      // The token must never go anywhere but the configured API.
      throw new ActionError(
        `App Store Connect pointed to ${new URL(url).origin} while ${attempt}, which is not ${this.origin}; the request was not sent.`
      )
    }
    const policy = this.options.retry ?? DEFAULT_RETRY_POLICY
    const sleep = this.options.sleep ?? realSleep
    let tokenRenewed = false
    let waitedMs = 0
    for (let tryNumber = 1; ; tryNumber++) {
      try {
        return await this.getOnce<T>(url, attempt)
      } catch (error) {
        const decision = retryDecision(error, tokenRenewed)
        if (!decision.retry) throw error
        if (tryNumber >= policy.maxAttempts) throw gaveUp(error, tryNumber)
        if (decision.retryAfterMs !== undefined && decision.retryAfterMs > policy.maxDelayMs) {
          throw new ActionError(
            `${(error as Error).message} Apple asked to wait ${Math.ceil(decision.retryAfterMs / 1000)} s before trying again, ` +
              `longer than the ${policy.maxDelayMs / 1000} s this action waits at once: run the job again later.`
          )
        }
        const delay = decision.renewToken
          ? 0
          : retryDelayMs(policy, tryNumber, decision.retryAfterMs, this.options.random)
        if (waitedMs + delay > policy.maxTotalWaitMs) throw gaveUp(error, tryNumber)
        if (decision.renewToken) {
          await this.options.tokens.renew()
          tokenRenewed = true
        }
        this.options.info?.(
          `${decision.reason} while ${attempt}; retrying ${decision.renewToken ? 'with a new token' : `in ${(delay / 1000).toFixed(1)} s`} ` +
            `(attempt ${tryNumber + 1} of ${policy.maxAttempts}).`
        )
        if (delay > 0) await sleep(delay)
        waitedMs += delay
      }
    }
  }

  /** One try: a 2xx body as JSON, or a typed error for the retry policy to judge. */
  private async getOnce<T>(url: string, attempt: string): Promise<T> {
    const token = await this.options.tokens.get()
    this.requestCount++
    this.options.debug?.(`GET ${decodeURIComponent(url)}`)
    let response: Dispatcher.ResponseData
    try {
      response = await request(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        dispatcher: this.options.dispatcher,
        signal: AbortSignal.timeout(this.options.timeoutMs)
      })
    } catch (error) {
      throw this.transportError(error, attempt)
    }
    this.rateLimit = parseRateLimit(response.headers['x-rate-limit']) ?? this.rateLimit
    let text: string
    try {
      text = await response.body.text()
    } catch (error) {
      throw this.transportError(error, attempt)
    }
    this.options.debug?.(`${response.statusCode} (${text.length} bytes)`)
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const entries = parseErrorEntries(text)
      const now = this.options.now?.() ?? new Date()
      throw new AppleApiError(
        response.statusCode,
        entries,
        attempt,
        hintFor(response.statusCode, entries[0]?.code),
        parseRetryAfter(response.headers['retry-after'], now)
      )
    }
    try {
      return JSON.parse(text) as T
    } catch {
      throw new TransportError(
        `App Store Connect sent a response that is not valid JSON while ${attempt}.`
      )
    }
  }

  /** Every page of a collection, following `links.next` with loop and page-count guards. */
  async *pages<T>(firstUrl: string, attempt: string): AsyncGenerator<CollectionDocument<T>> {
    const visited = new Set<string>()
    let next: string | undefined = firstUrl
    while (next !== undefined) {
      if (visited.has(next)) {
        throw new ActionError(
          `App Store Connect sent a next-page link that was already read while ${attempt}; stopped to avoid a loop.`
        )
      }
      if (visited.size >= MAX_PAGES) {
        throw new ActionError(
          `Stopped after ${MAX_PAGES} pages while ${attempt}: narrow the filters.`
        )
      }
      visited.add(next)
      const page: CollectionDocument<T> = await this.get<CollectionDocument<T>>(next, attempt)
      yield page
      next = page.links?.next || undefined
    }
  }

  private transportError(error: unknown, attempt: string): TransportError {
    // Duck-typed: undici's errors and DOMExceptions may come from another realm.
    const { name, code, message } = (error ?? {}) as {
      name?: string
      code?: unknown
      message?: string
    }
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new TransportError(
        `App Store Connect did not answer within ${this.options.timeoutMs / 1000} s while ${attempt}: raise timeout-seconds or try again.`
      )
    }
    const text = message ?? String(error)
    const reason = typeof code === 'string' && !text.includes(code) ? `${code} ${text}` : text
    return new TransportError(
      `Could not reach App Store Connect at ${this.origin} while ${attempt}: ${reason}.`
    )
  }
}

/** The last error of a request that used up its tries, saying so. */
function gaveUp(error: unknown, tries: number): unknown {
  if (error instanceof Error && tries > 1) error.message += ` Gave up after ${tries} attempts.`
  return error
}

/** `user-hour-lim:3600;user-hour-rem:3599;` → { limit: 3600, remaining: 3599 }. */
export function parseRateLimit(header: string | string[] | undefined): RateLimit | undefined {
  const text = Array.isArray(header) ? header.join(';') : header
  if (!text) return undefined
  const fields = new Map(
    text
      .split(';')
      .map(part => part.split(':').map(piece => piece.trim()))
      .filter((pair): pair is [string, string] => pair.length === 2)
  )
  const limit = Number(fields.get('user-hour-lim'))
  const remaining = Number(fields.get('user-hour-rem'))
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !fields.has('user-hour-rem'))
    return undefined
  return { limit, remaining }
}

function parseErrorEntries(text: string): AppleErrorEntry[] {
  try {
    const body = JSON.parse(text) as { errors?: unknown }
    if (Array.isArray(body.errors)) return body.errors as AppleErrorEntry[]
  } catch {
    // Not Apple's JSON (an HTML page from a proxy, say): the status alone has to do.
  }
  return []
}
