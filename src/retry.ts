// The one retry policy: what is worth another try, and how long to wait before it.
import { ActionError, AppleApiError } from './errors.js'

export interface RetryPolicy {
  /** Tries in all, the first included. */
  maxAttempts: number
  /** First backoff wait; each next one doubles, with jitter. */
  baseDelayMs: number
  /** No single wait is longer, whatever Retry-After asks. */
  maxDelayMs: number
  /** Waits in one request never add up to more than this. */
  maxTotalWaitMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxTotalWaitMs: 180_000
}

/** A request that did not get an answer worth reading: the connection failed, timed out, or the body was cut. */
export class TransportError extends ActionError {
  override name = 'TransportError'
}

const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504])

export type RetryDecision =
  | { retry: false }
  /** `renewToken`: Apple refused the token; one fresh token may fix a clock or expiry problem. */
  | { retry: true; reason: string; retryAfterMs?: number; renewToken?: boolean }

/** Whether a failed try is worth another, and why. A 401 is retried only once, with a new token. */
export function retryDecision(error: unknown, tokenRenewed: boolean): RetryDecision {
  if (error instanceof TransportError) return { retry: true, reason: error.message }
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
 * How long to wait before try `attempt + 1`: Apple's Retry-After when it sent one,
 * otherwise exponential backoff with jitter (between half and all of base * 2^(attempt-1)).
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs)
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs)
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
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
