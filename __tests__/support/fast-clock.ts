import { pathToFileURL } from 'node:url'

/**
 * A clock running `speed` times faster than real time from now, for the sandbox, and the
 * environment that gives the action under test the same clock (fast-clock-preload.mjs). With
 * `sleeps`, the action's polls and backoff waits last their time on that clock too.
 */
export function fastClock(
  speed: number,
  { sleeps = false }: { sleeps?: boolean } = {}
): { now: () => Date; env: Record<string, string> } {
  const start = Date.now()
  const preload = pathToFileURL(`${import.meta.dirname}/fast-clock-preload.mjs`).href
  return {
    now: () => new Date(start + (Date.now() - start) * speed),
    env: {
      NODE_OPTIONS: `--import ${preload}`,
      FAST_CLOCK_SPEED: String(speed),
      FAST_CLOCK_START: String(start),
      ...(sleeps ? { FAST_CLOCK_SLEEPS: '1' } : {})
    }
  }
}
