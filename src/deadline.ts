// One deadline for the whole run: every request, retry and backoff wait stops at it, so a
// slow or endless server cannot hold the step past the time the user allowed.
import { duration } from './duration.js'
import { ActionError } from './errors.js'

/** The run reached its deadline. Never retried. */
export class DeadlineError extends ActionError {
  override name = 'DeadlineError'
}

export class Deadline {
  /** When the run must stop, in epoch milliseconds. */
  readonly at: number
  /** Aborts at the deadline: given to every request and every wait. */
  readonly signal: AbortSignal

  /**
   * @param totalMs how long the run may take from now
   * @param limit what set it, for messages: "total-timeout-minutes (10 min)"
   */
  constructor(
    readonly totalMs: number,
    readonly limit: string,
    now: number = Date.now()
  ) {
    this.at = now + totalMs
    this.signal = AbortSignal.timeout(totalMs)
  }

  /** Whether the deadline has passed. */
  get passed(): boolean {
    return this.signal.aborted || Date.now() >= this.at
  }

  /** Whether waiting `ms` from now would pass the deadline. */
  passesWithin(ms: number): boolean {
    return Date.now() + ms >= this.at
  }

  /**
   * The failure that stops the run, naming what was being asked. With `lastFailure`, the run
   * stops early: waiting for another try would pass the deadline.
   */
  error(purpose: string, lastFailure?: string): DeadlineError {
    const why = lastFailure
      ? `waiting to try again would pass the run's time limit, ${this.limit}. The last try: ${lastFailure}`
      : `the run reached its time limit, ${this.limit}.`
    return new DeadlineError(
      `Stopped while ${purpose}: ${why} Raise total-timeout-minutes, or run the job again later.`
    )
  }
}

/** The whole run's time limit: total-timeout-minutes, plus wait-minutes when waiting. */
export function runDeadline(totalTimeoutMs: number, waitMs: number): Deadline {
  const totalMs = totalTimeoutMs + waitMs
  const limit =
    waitMs > 0
      ? `total-timeout-minutes plus wait-minutes (${duration(totalMs)})`
      : `total-timeout-minutes (${duration(totalMs)})`
  return new Deadline(totalMs, limit)
}
