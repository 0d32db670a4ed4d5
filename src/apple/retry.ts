// The one retry policy: what is worth another try, and how long to wait before it.
import { ActionError, AppleApiError } from '../errors.js'

export interface RetryPolicy {
  /** Tries per request, the first included. */
  maxAttempts: number
  /** First backoff wait; each next one doubles, with jitter. */
  baseDelayMs: number
  /** No single wait is longer; a Retry-After asking for more fails at once. */
  maxDelayMs: number
  /** From the first failure of a run, retrying stops once this much time has gone by. */
  maxTotalRetryMs: number
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
    readonly reason: string
  ) {
    super(message)
  }
}

/** Network error codes that say "the connection failed, try again", not "this cannot work". */
export const TRANSIENT_NETWORK_CODES = new Set([
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
 * and all of base * 2^(attempt-1)), or longer when Apple's Retry-After asks for it. A
 * Retry-After of 0 or in the past never makes the wait shorter than the backoff: retrying a
 * 429 at once only hammers the limit.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs)
  const backoff = Math.round(ceiling / 2 + (random() * ceiling) / 2)
  return Math.min(Math.max(backoff, retryAfterMs ?? 0), policy.maxDelayMs)
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(
  header: string | string[] | undefined,
  now: Date
): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim()
  if (!value) return undefined
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now.getTime())
}
