// A cancelled job: the runner sends SIGINT, then SIGTERM, and kills the step soon after. The
// run stops what it is doing at once (requests, waits), and still writes its outputs.
import { ActionError } from './errors.js'

/** Why the work stopped; the verdict adds what the run had done by then. */
export function jobCancelled(signalName: string): ActionError {
  return new ActionError(`The job was cancelled (${signalName}).`)
}

/**
 * Runs `work` with a signal that aborts on SIGINT or SIGTERM (or when `callerSignal` aborts),
 * with a reason that says the job was cancelled. The handlers are removed once `work` settles.
 */
export async function cancellable<T>(
  work: (signal: AbortSignal) => Promise<T>,
  callerSignal?: AbortSignal
): Promise<T> {
  const stop = new AbortController()
  const handlers = (['SIGINT', 'SIGTERM'] as const).map(name => {
    const handler = (): void => stop.abort(jobCancelled(name))
    process.once(name, handler)
    return [name, handler] as const
  })
  try {
    return await work(callerSignal ? AbortSignal.any([callerSignal, stop.signal]) : stop.signal)
  } finally {
    for (const [name, handler] of handlers) process.off(name, handler)
  }
}
