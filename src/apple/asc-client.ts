import { setTimeout as delay } from 'node:timers/promises'
import { request, type Dispatcher } from 'undici'
import type { CollectionDocument } from './apple-types.js'
import { ActionError } from '../errors.js'
import {
  AppleApiError,
  hintFor,
  type AppleErrorEntry,
  type ParameterInputs
} from './apple-error.js'
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  retryDecision,
  retryDelayMs,
  transportFailure,
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
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Aborted when the run must stop (the job was cancelled): requests and waits end at once. */
  signal?: AbortSignal
  now?: () => Date
  random?: () => number
  /** Names the input behind a query parameter Apple refused, for the 400 hint. */
  inputOf?: ParameterInputs
  /** One line for each retry: why, and how long the wait is. */
  info?: (message: string) => void
  debug?: (message: string) => void
}

/** A wait that ends early, with the signal's reason, when the signal aborts. */
export const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal })

/** A thin App Store Connect client: one authenticated GET, JSON errors, retries, paging. */
export class AppStoreConnectClient {
  /** Requests sent so far, for logs and request budgets. */
  requestCount = 0
  /** The latest `X-Rate-Limit` Apple reported, if any. */
  rateLimit: RateLimit | undefined
  private readonly origin: string
  private readonly policy: RetryPolicy
  /** When retrying must stop: set by the first failure, shared by every request of the run. */
  private retryDeadline: number | undefined

  constructor(private readonly options: ClientOptions) {
    this.origin = new URL(options.baseUrl).origin
    this.policy = options.retry ?? DEFAULT_RETRY_POLICY
  }

  /** URL of an API path with query parameters. */
  url(path: string, query: Record<string, string> = {}): string {
    const url = new URL(this.options.baseUrl + path)
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value)
    return url.toString()
  }

  /**
   * GETs a JSON document, retrying what the retry policy says is transient. `purpose` says
   * what the action was asking, for messages ("listing the builds of app 123").
   */
  async get<T>(url: string, purpose: string): Promise<T> {
    if (new URL(url).origin !== this.origin) {
      // The token must never go anywhere but the configured API.
      throw new ActionError(
        `App Store Connect pointed to ${new URL(url).origin} while ${purpose}, which is not ${this.origin}; the request was not sent.`
      )
    }
    const { policy } = this
    let tokenRenewed = false
    for (let tryNumber = 1; ; tryNumber++) {
      try {
        return await this.getOnce<T>(url, purpose)
      } catch (error) {
        const decision = retryDecision(error, tokenRenewed)
        if (!decision.retry) throw error
        const message = (error as Error).message
        if (tryNumber >= policy.maxAttempts) {
          throw tryNumber > 1
            ? new ActionError(`${message} Gave up after ${tryNumber} attempts.`, { cause: error })
            : error
        }
        if (decision.retryAfterMs !== undefined && decision.retryAfterMs > policy.maxDelayMs) {
          throw new ActionError(
            `${message} Apple asked to wait ${Math.ceil(decision.retryAfterMs / 1000)} s before trying again, ` +
              `longer than the ${policy.maxDelayMs / 1000} s this action waits at once: run the job again later.`,
            { cause: error }
          )
        }
        const delay = decision.renewToken
          ? 0
          : retryDelayMs(policy, tryNumber, decision.retryAfterMs, this.options.random)
        const now = this.now()
        this.retryDeadline ??= now + policy.maxTotalRetryMs
        if (now + delay > this.retryDeadline) {
          throw new ActionError(
            `${message} Gave up: retrying in this run would pass the ${policy.maxTotalRetryMs / 1000} s limit.`,
            { cause: error }
          )
        }
        if (decision.renewToken) {
          await this.options.tokens.renew()
          tokenRenewed = true
        }
        const wait = decision.renewToken ? 'with a new token' : `in ${(delay / 1000).toFixed(1)} s`
        this.options.info?.(
          `${decision.reason} while ${purpose}; retrying ${wait} (attempt ${tryNumber + 1} of ${policy.maxAttempts}).`
        )
        if (delay > 0) await this.sleep(delay)
      }
    }
  }

  /** One try: a 2xx body as JSON, or a typed error for the retry policy to judge. */
  private async getOnce<T>(url: string, purpose: string): Promise<T> {
    const token = await this.options.tokens.get()
    this.requestCount++
    this.options.debug?.(`GET ${readable(url)}`)
    let response: Dispatcher.ResponseData
    let text: string
    try {
      response = await request(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        dispatcher: this.options.dispatcher,
        signal: this.options.signal
          ? AbortSignal.any([this.options.signal, AbortSignal.timeout(this.options.timeoutMs)])
          : AbortSignal.timeout(this.options.timeoutMs)
      })
      this.rateLimit = parseRateLimit(response.headers['x-rate-limit']) ?? this.rateLimit
      text = await response.body.text()
    } catch (error) {
      throw transportFailure(error, {
        origin: this.origin,
        timeoutMs: this.options.timeoutMs,
        purpose
      })
    }
    this.options.debug?.(`${response.statusCode} (${text.length} bytes)`)
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const entries = parseErrorEntries(text)
      throw new AppleApiError(
        response.statusCode,
        entries,
        purpose,
        hintFor(response.statusCode, entries[0], this.options.inputOf),
        parseRetryAfter(response.headers['retry-after'], new Date(this.now()))
      )
    }
    try {
      return JSON.parse(text) as T
    } catch {
      throw new TransportError(
        `App Store Connect sent a response that is not valid JSON while ${purpose}.`,
        'App Store Connect sent a response that is not valid JSON'
      )
    }
  }

  /** Every page of a collection, following `links.next` with loop and page-count guards. */
  async *pages<T>(firstUrl: string, purpose: string): AsyncGenerator<CollectionDocument<T>> {
    const visited = new Set<string>()
    let next: string | undefined = firstUrl
    while (next !== undefined) {
      if (visited.has(next)) {
        throw new ActionError(
          `App Store Connect sent a next-page link that was already read while ${purpose}; stopped to avoid a loop.`
        )
      }
      if (visited.size >= MAX_PAGES) {
        throw new ActionError(
          `Stopped after ${MAX_PAGES} pages while ${purpose}: narrow the filters.`
        )
      }
      visited.add(next)
      const page: CollectionDocument<T> = await this.get<CollectionDocument<T>>(next, purpose)
      yield page
      // A relative link is read against the page it came from.
      next = page.links?.next ? new URL(page.links.next, next).toString() : undefined
    }
  }

  /** Waits, ending early (with the stop reason) if the run must stop. */
  async sleep(ms: number): Promise<void> {
    try {
      await (this.options.sleep ?? abortableSleep)(ms, this.options.signal)
    } finally {
      // The stop reason, not the timer's own AbortError.
      this.options.signal?.throwIfAborted()
    }
  }

  private now(): number {
    return (this.options.now?.() ?? new Date()).getTime()
  }
}

/** A URL for the debug log, with its query readable where it decodes. */
function readable(url: string): string {
  try {
    return decodeURIComponent(url)
  } catch {
    return url
  }
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
