// Loaded with `node --import` into the action under test: Date runs FAST_CLOCK_SPEED times
// faster than real time from the instant FAST_CLOCK_START (ms since the epoch), so that a wait
// of minutes, and the tokens it spans, take seconds. Timers keep real time, except, with
// FAST_CLOCK_SLEEPS, the promise-based sleeps (node:timers/promises), which the action's polls
// and backoff use: those then last their time on the fast clock.
import { createRequire, syncBuiltinESMExports } from 'node:module'

const speed = Number(process.env.FAST_CLOCK_SPEED)
const start = Number(process.env.FAST_CLOCK_START)

if (speed > 0 && Number.isFinite(start)) {
  const RealDate = Date
  const realNow = RealDate.now.bind(RealDate)
  const now = () => start + (realNow() - start) * speed
  globalThis.Date = class FastDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(now())
      else super(...args)
    }

    static now() {
      return now()
    }
  }
  if (process.env.FAST_CLOCK_SLEEPS) {
    const timers = createRequire(import.meta.url)('node:timers/promises')
    const realSleep = timers.setTimeout
    timers.setTimeout = (ms, value, options) => realSleep((ms ?? 0) / speed, value, options)
    syncBuiltinESMExports()
  }
}
