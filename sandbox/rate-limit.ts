// Apple's rate limit: requests per key in a rolling hour, reported on every answer in a header
// that Apple's recorded answers spell lower-case, value ending in a semicolon:
// 'x-rate-limit: user-hour-lim:3600;user-hour-rem:3599;'.

const HOUR_MS = 3_600_000

/** Rate-limit bucket for requests without a verified key. */
export const UNAUTHENTICATED = '\u0000unauthenticated'

/**
 * Requests each key made in the hour before the sandbox started, e.g. by another pipeline that
 * shares the key: all at the start instant (none comes back for an hour), or spread evenly over
 * that hour (one comes back every hour / count), as a key used at a steady pace.
 */
export interface EarlierUse {
  count: number
  spreadOverHour?: boolean
}

export class RateLimiter {
  private readonly hits = new Map<string, number[]>()
  constructor(
    readonly limit: number,
    private readonly earlier?: EarlierUse & { startMs: number }
  ) {}

  /** Counts a request and returns how many remain in the hour; -1 when over the limit (not counted). */
  hit(bucket: string, now: Date): number {
    const cutoff = now.getTime() - HOUR_MS
    const list = (this.hits.get(bucket) ?? this.earlierHits(bucket)).filter(t => t > cutoff)
    this.hits.set(bucket, list)
    // A refused request is not counted: the quota is what the key was served, so retrying a
    // 429 does not push the next request back further (the remaining count never goes below 0).
    if (list.length >= this.limit) return -1
    list.push(now.getTime())
    return this.limit - list.length
  }

  /** A key's requests from before the start (none for requests without a verified key). */
  private earlierHits(bucket: string): number[] {
    const earlier = this.earlier
    if (!earlier || bucket === UNAUTHENTICATED) return []
    const step = HOUR_MS / Math.max(1, earlier.count)
    return Array.from({ length: earlier.count }, (_, index) =>
      earlier.spreadOverHour ? earlier.startMs - HOUR_MS + (index + 1) * step : earlier.startMs
    )
  }

  /** The header of an answer to a request that left `remaining` (never below 0). */
  header(remaining: number): Record<string, string> {
    return {
      'x-rate-limit': `user-hour-lim:${this.limit};user-hour-rem:${Math.max(0, remaining)};`
    }
  }
}
