import { setTimeout as sleepFor } from 'node:timers/promises'
import { request, type Dispatcher } from 'undici'
import type { CollectionDocument } from './apple-types.js'
import type { Deadline } from '../deadline.js'
import { ActionError } from '../errors.js'
import { AppleApiError, hintFor, type InputBehindParameter } from './apple-error.js'
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  retryDecision,
  retryDelayMs,
  transportFailure,
  TransportError,
  type RetryPolicy
} from './retry.js'
import { readErrorEntries, ShapeError } from './shapes.js'
import type { TokenSource } from './token.js'

/** Stop paging here: 1,000 pages of 200 is 200,000 builds, far past any real app. */
export const MAX_PAGES = 1000

/** How far a list is read: a cap sized to what the list can really hold, and its unit. */
export interface PageCap {
  pages: number
  /** What a page holds, for the message: "uploads". */
  items: string
  /** Items a page holds. */
  perPage: number
}
/** No answer is read past this: a page of 200 builds is about 200 KB. */
export const MAX_BODY_BYTES = 20 * 1024 * 1024

/** Turns a parsed answer into what the caller reads, or throws a ShapeError. */
export type Reader<T> = (body: unknown) => T

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
  /** The run's deadline: requests, retries and waits stop at it. */
  deadline?: Deadline
  /** Longest answer read, in bytes; MAX_BODY_BYTES by default. */
  maxBodyBytes?: number
  /** Injected in tests so that backoff costs no real time; rejects when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Aborted when the run must stop (the job was cancelled): requests and waits end at once. */
  signal?: AbortSignal
  now?: () => Date
  random?: () => number
  /** Names the input behind a query parameter Apple refused, for the 400 hint. */
  inputBehind?: InputBehindParameter
  /** One line for each retry: why, and how long the wait is. */
  info?: (message: string) => void
  debug?: (message: string) => void
}

const realSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  sleepFor(ms, undefined, { signal })

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
   * what the action was asking, for messages ("listing the builds of app 123"); `read`
   * checks the answer's shape and keeps what the caller needs.
   */
  async get<T>(url: string, purpose: string, read: Reader<T> = body => body as T): Promise<T> {
    if (new URL(url).origin !== this.origin) {
      // The token must never go anywhere but the configured API.
      throw new ActionError(
        `App Store Connect pointed to ${new URL(url).origin} while ${purpose}, which is not ${this.origin}; the request was not sent.`
      )
    }
    const { policy } = this
    const { deadline } = this.options
    let tokenRenewed = false
    for (let tryNumber = 1; ; tryNumber++) {
      try {
        const answer = await this.getOnce(url, purpose, read)
        // The outage, if any, is over: the next failure starts a new one.
        this.retryDeadline = undefined
        return answer
      } catch (error) {
        const decision = retryDecision(error, tokenRenewed)
        if (!decision.retry) throw error
        const message = (error as Error).message
        if (tryNumber >= policy.maxAttempts) {
          throw tryNumber > 1
            ? new ActionError(`${message} Gave up after ${tryNumber} attempts.`, { cause: error })
            : error
        }
        const retryAfterMs = decision.retryAfterMs ?? 0
        if (retryAfterMs > policy.maxDelayMs && !deadline) {
          throw new ActionError(
            `${message} Apple asked to wait ${Math.ceil(retryAfterMs / 1000)} s before trying again, ` +
              `longer than the ${policy.maxDelayMs / 1000} s this action waits at once: run the job again later.`,
            { cause: error }
          )
        }
        const delay = decision.renewToken
          ? 0
          : retryDelayMs(policy, tryNumber, decision.retryAfterMs, this.options.random)
        const now = this.now()
        this.retryDeadline ??= now + policy.maxTotalRetryMs
        // Apple's own Retry-After is honoured up to the run's deadline (checked below).
        const asked = decision.retryAfterMs !== undefined && delay <= decision.retryAfterMs
        if (now + delay > this.retryDeadline && !asked) {
          throw new ActionError(
            `${message} Gave up: retrying this outage would pass the ${policy.maxTotalRetryMs / 1000} s limit, ` +
              `3/10 of total-timeout-minutes: raise total-timeout-minutes, or run the job again later.`,
            { cause: error }
          )
        }
        if (decision.renewToken) {
          await this.options.tokens.renew()
          tokenRenewed = true
        }
        if (deadline?.passesWithin(delay)) throw deadline.error(purpose, message)
        const wait = decision.renewToken ? 'with a new token' : `in ${(delay / 1000).toFixed(1)} s`
        this.options.info?.(
          `${decision.reason} while ${purpose}; retrying ${wait} (attempt ${tryNumber + 1} of ${policy.maxAttempts}).`
        )
        if (delay > 0) await this.sleep(delay, purpose, message)
      }
    }
  }

  /** One try: a 2xx body read into shape, or a typed error for the retry policy to judge. */
  private async getOnce<T>(url: string, purpose: string, read: Reader<T>): Promise<T> {
    this.throwIfStopped(purpose)
    const token = await this.options.tokens.get()
    this.requestCount++
    this.options.debug?.(`GET ${readable(url)}`)
    const timeout = AbortSignal.timeout(this.options.timeoutMs)
    let response: Dispatcher.ResponseData
    let text: string
    try {
      response = await request(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        dispatcher: this.options.dispatcher,
        signal: AbortSignal.any([timeout, ...this.stopSignals()])
      })
      this.rateLimit = parseRateLimit(response.headers['x-rate-limit']) ?? this.rateLimit
      text = await readBody(response, this.options.maxBodyBytes ?? MAX_BODY_BYTES, purpose)
    } catch (error) {
      this.throwIfStopped(purpose)
      if (error instanceof ActionError) throw error
      throw transportFailure(error, {
        origin: this.origin,
        timeoutMs: this.options.timeoutMs,
        purpose
      })
    }
    this.options.debug?.(`${response.statusCode} (${text.length} bytes)`)
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const entries = readErrorEntries(parseJson(text))
      throw new AppleApiError(
        response.statusCode,
        entries,
        purpose,
        hintFor(response.statusCode, entries[0], this.options.inputBehind),
        parseRetryAfter(response.headers['retry-after'], new Date(this.now()))
      )
    }
    const body = parseJson(text)
    if (body === undefined) {
      throw new TransportError(
        `App Store Connect sent a response that is not valid JSON while ${purpose}.`,
        'App Store Connect sent a response that is not valid JSON'
      )
    }
    try {
      return read(body)
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error
      throw new ActionError(
        `App Store Connect sent an answer the action cannot read while ${purpose}: ${error.message}.`,
        { cause: error }
      )
    }
  }

  /**
   * Every page of a collection, following `links.next` with loop and page-count guards;
   * `read` checks each page's shape.
   */
  async *pages<Page extends { links?: { next?: string } } = CollectionDocument<unknown>>(
    firstUrl: string,
    purpose: string,
    read: Reader<Page> = body => body as Page,
    cap?: PageCap
  ): AsyncGenerator<Page> {
    const maxPages = cap?.pages ?? MAX_PAGES
    const visited = new Set<string>()
    let next: string | undefined = firstUrl
    while (next !== undefined) {
      if (visited.has(next)) {
        throw new ActionError(
          `App Store Connect sent a next-page link that was already read while ${purpose}; stopped to avoid a loop.`
        )
      }
      if (visited.size >= maxPages) {
        throw new ActionError(
          cap
            ? `Stopped after ${maxPages} pages (${(maxPages * cap.perPage).toLocaleString('en-US')} ${cap.items}) while ${purpose}: ` +
                `no app has that many ${cap.items}, so App Store Connect kept sending next-page links. Run the job again later.`
            : `Stopped after ${maxPages} pages while ${purpose}: narrow the filters.`
        )
      }
      visited.add(next)
      const page: Page = await this.get(next, purpose, read)
      yield page
      // A relative link is read against the page it came from.
      next = page.links?.next ? new URL(page.links.next, next).toString() : undefined
    }
  }

  /**
   * Waits, ending early if the run must stop: with the cancellation's reason, or at the
   * deadline with what was being asked (and the last failure, when retrying).
   */
  async sleep(ms: number, purpose = 'waiting', lastFailure?: string): Promise<void> {
    const signals = this.stopSignals()
    // A wait cut short says only that it was cut: the stop itself is the news.
    await (this.options.sleep ?? realSleep)(
      ms,
      signals.length > 0 ? AbortSignal.any(signals) : undefined
    ).catch(() => undefined)
    this.throwIfStopped(purpose, lastFailure)
  }

  /** Throws when the job was cancelled (its reason) or the run's deadline has passed. */
  private throwIfStopped(purpose: string, lastFailure?: string): void {
    this.options.signal?.throwIfAborted()
    if (this.options.deadline?.passed) throw this.options.deadline.error(purpose, lastFailure)
  }

  /** What ends requests and waits early: the job's cancellation and the run's deadline. */
  private stopSignals(): AbortSignal[] {
    return [this.options.signal, this.options.deadline?.signal].filter(
      (signal): signal is AbortSignal => signal !== undefined
    )
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

/**
 * `user-hour-lim:3600;user-hour-rem:3599;` → { limit: 3600, remaining: 3599 }. Anything but
 * whole numbers is ignored, as if the header were missing.
 */
export function parseRateLimit(header: string | string[] | undefined): RateLimit | undefined {
  const text = Array.isArray(header) ? header.join(';') : header
  if (!text || text.length > 1000) return undefined
  const fields = new Map(
    text
      .split(';')
      .map(part => part.split(':').map(piece => piece.trim()))
      .filter((pair): pair is [string, string] => pair.length === 2)
  )
  const limit = fields.get('user-hour-lim') ?? ''
  const remaining = fields.get('user-hour-rem') ?? ''
  if (!/^\d{1,9}$/.test(limit) || !/^\d{1,9}$/.test(remaining)) return undefined
  return { limit: Number(limit), remaining: Number(remaining) }
}

/** Parsed JSON, or undefined when the text is not JSON (an HTML page from a proxy, say). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** The body as text, refused past `limit` bytes (declared or streamed) without reading on. */
async function readBody(
  response: Dispatcher.ResponseData,
  limit: number,
  purpose: string
): Promise<string> {
  const tooLarge = (): ActionError => {
    response.body.destroy()
    return new ActionError(
      `App Store Connect sent an answer larger than ${limit / (1024 * 1024)} MB while ${purpose}; ` +
        'the action stopped reading it (a page of 200 builds is about 200 KB).'
    )
  }
  if (Number(response.headers['content-length']) > limit) throw tooLarge()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw tooLarge()
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
