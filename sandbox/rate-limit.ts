// Apple's rate limit: requests per key in a rolling hour, reported on every answer in a header
// that Apple's recorded answers spell lower-case, value ending in a semicolon:
// 'x-rate-limit: user-hour-lim:3600;user-hour-rem:3599;'.

const HOUR_MS = 3_600_000

/** Rate-limit bucket for requests without a verified key. */
export const UNAUTHENTICATED = '\u0000unauthenticated'

export class RateLimiter {
  private readonly hits = new Map<string, number[]>()
  constructor(readonly limit: number) {}

  /** Counts a request and returns how many remain in the hour (negative once over the limit). */
  hit(bucket: string, now: Date): number {
    const cutoff = now.getTime() - HOUR_MS
    const list = (this.hits.get(bucket) ?? []).filter(t => t > cutoff)
    list.push(now.getTime())
    this.hits.set(bucket, list)
    return this.limit - list.length
  }

  /** The header of an answer to a request that left `remaining` (never below 0). */
  header(remaining: number): Record<string, string> {
    return {
      'x-rate-limit': `user-hour-lim:${this.limit};user-hour-rem:${Math.max(0, remaining)};`
    }
  }
}
