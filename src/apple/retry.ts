// The one retry policy: how each failure is classified, what is worth another try, and how
// long to wait before it.
import { STATUS_CODES } from 'node:http'
import { ActionError } from '../errors.js'
import { AppleApiError } from './apple-error.js'

export interface RetryPolicy {
  /** Tries per request, the first included. */
  maxAttempts: number
  /** First backoff wait; each next one doubles, with jitter. */
  baseDelayMs: number
  /**
   * No backoff wait is longer. A Retry-After asking for more is honoured while it ends before
   * the run's deadline; without a deadline, it fails at once.
   */
  maxDelayMs: number
  /**
   * One outage is retried this long at most, from its first failure; a successful answer ends
   * the outage, and the next failure starts a new one.
   */
  maxTotalRetryMs: number
}

/** The share of total-timeout-minutes one outage may be retried for: 180 s of the default 10 min. */
export const OUTAGE_SHARE = 0.3

/** How long one outage is retried in a run limited to `totalTimeoutMs` (total-timeout-minutes). */
export function outageBudgetMs(totalTimeoutMs: number): number {
  return Math.round(totalTimeoutMs * OUTAGE_SHARE)
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxTotalRetryMs: 180_000
}

/**
 * A try that got no answer worth reading, for a reason that may pass: a dropped connection,
 * no answer in time, a body cut short. `reason` is the short form for retry log lines.
 */
export class TransportError extends ActionError {
  override name = 'TransportError'
  constructor(
    message: string,
    readonly reason: string,
    options?: ErrorOptions
  ) {
    super(message, options)
  }
}

/** Network error codes that say "the connection failed, try again", not "this cannot work". */
const TRANSIENT_NETWORK_CODES = new Set([
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
])

const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504])

export type RetryDecision =
  | { retry: false }
  /** `renewToken`: Apple refused the token; one fresh token may fix a clock or expiry problem. */
  | { retry: true; reason: string; retryAfterMs?: number; renewToken?: boolean }

/** Whether a failed try is worth another, and why. A 401 is retried only once, with a new token. */
export function retryDecision(error: unknown, tokenRenewed: boolean): RetryDecision {
  if (error instanceof TransportError) return { retry: true, reason: error.reason }
  if (error instanceof AppleApiError) {
    if (RETRIED_STATUSES.has(error.status)) {
      return {
        retry: true,
        reason: `App Store Connect answered ${error.status}`,
        retryAfterMs: error.retryAfterMs
      }
    }
    if (error.status === 401 && !tokenRenewed) {
      return { retry: true, reason: 'App Store Connect refused the token (401)', renewToken: true }
    }
  }
  return { retry: false }
}

/**
 * How long to wait before try `attempt + 1`: exponential backoff with jitter (between half
 * and all of base * 2^(attempt-1), at most maxDelayMs), or longer when Apple's Retry-After asks
 * for it. A Retry-After of 0 or in the past never makes the wait shorter than the backoff:
 * retrying a 429 at once only hammers the limit.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs)
  const backoff = Math.round(ceiling / 2 + (random() * ceiling) / 2)
  return Math.max(backoff, retryAfterMs ?? 0)
}

/**
 * Whether a failure came from trouble that may pass (a dropped connection, a 429 or 5xx), even
 * after its retries ran out: a wait with time left tries again at its next check.
 */
export function isTransient(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 4; depth++) {
    if (cause instanceof TransportError) return true
    if (cause instanceof AppleApiError) return RETRIED_STATUSES.has(cause.status)
    cause = (cause as { cause?: unknown }).cause
  }
  return false
}

/** Larger than this, a number cannot be a wait in seconds (over three years): it is a date. */
const MAX_RETRY_AFTER_SECONDS = 100_000_000
/** From here on, a date as a number is in milliseconds since 1970 (the year 5138 in seconds). */
const EPOCH_MILLISECONDS_FROM = 100_000_000_000

/**
 * `Retry-After` in milliseconds from now: seconds, or an HTTP date. A number too large to be
 * seconds is a date since 1970, in seconds or, as another Apple API sends it, milliseconds.
 */
export function parseRetryAfter(
  header: string | string[] | undefined,
  now: Date
): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim()
  if (!value || value.length > 100) return undefined
  const untilDate = (date: number): number => Math.max(0, date - now.getTime())
  if (/^\d+$/.test(value)) {
    const number = Number(value)
    if (number <= MAX_RETRY_AFTER_SECONDS) return number * 1000
    return untilDate(number >= EPOCH_MILLISECONDS_FROM ? number : number * 1000)
  }
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return untilDate(date)
}

export interface TransportContext {
  /** The API's origin, for the message. */
  origin: string
  timeoutMs: number
  /** What the action was asking, e.g. "listing the builds of app 123". */
  purpose: string
}

/**
 * A try that got no HTTP answer, classified: a `TransportError` (retried) when the network
 * may recover, a final `ActionError` otherwise. The original error is kept as `cause`.
 */
export function transportFailure(error: unknown, context: TransportContext): ActionError {
  // Duck-typed: undici's errors and DOMExceptions may come from another realm.
  const { name, code, message } = (error ?? {}) as {
    name?: string
    code?: unknown
    message?: string
  }
  const { origin, timeoutMs, purpose } = context
  // undici reports a proxy's refusal of CONNECT as an abort: it is an answer, not a timeout.
  const proxyStatus = /Proxy response \((\d{3})\) !== 200/.exec(message ?? '')?.[1]
  if (proxyStatus) return proxyRefusal(Number(proxyStatus), context, error)
  if (name === 'TimeoutError' || name === 'AbortError') {
    const seconds = timeoutMs / 1000
    return new TransportError(
      `App Store Connect did not answer within ${seconds} s while ${purpose}: raise timeout-seconds or try again.`,
      `No answer within ${seconds} s`,
      { cause: error }
    )
  }
  const text = message ?? String(error)
  const codeText = typeof code === 'string' ? code : ''
  const reason = codeText && !text.includes(codeText) ? `${codeText} ${text}` : text
  const failure = `Could not reach App Store Connect at ${origin} while ${purpose}: ${reason}.`
  if (TRANSIENT_NETWORK_CODES.has(codeText)) {
    return new TransportError(failure, `The connection failed (${codeText})`, { cause: error })
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(codeText)) {
    return new ActionError(
      `${failure} The TLS certificate could not be verified: behind a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at its CA certificate.`,
      { cause: error }
    )
  }
  return new ActionError(failure, { cause: error })
}

/** Proxy answers to CONNECT worth another try: the proxy's own upstream had a bad moment. */
const RETRIED_PROXY_STATUSES = new Set([502, 503, 504])

/** The proxy (HTTPS_PROXY / HTTP_PROXY) answered CONNECT with something other than 200. */
function proxyRefusal(status: number, context: TransportContext, cause: unknown): ActionError {
  const { origin, purpose } = context
  const answered = `${status} ${STATUS_CODES[status] ?? ''}`.trim()
  const said = `The proxy refused to open a tunnel to ${origin} while ${purpose}: it answered ${answered}.`
  if (RETRIED_PROXY_STATUSES.has(status)) {
    return new TransportError(said, `The proxy answered ${status}`, { cause })
  }
  const fix =
    status === 407
      ? ' The proxy wants credentials: put them in the proxy URL (http://user:password@proxy.example.com:8080), or ask for the runner to be let through.'
      : status === 403
        ? ` The proxy's rules do not let this runner reach ${origin}: ask whoever runs the proxy to allow it.`
        : ''
  return new ActionError(said + fix, { cause })
}
