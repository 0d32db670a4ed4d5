import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { Deadline, DeadlineError, runDeadline } from '../src/deadline.js'

describe('Deadline', () => {
  // A still clock: Date.now() stays at 18:00, so the instant of the deadline can be pinned.
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-27T18:00:00Z'), doNotFake: ['nextTick'] })
  })
  afterEach(() => {
    jest.useRealTimers()
  })

  it('has passed from its instant on, and not before', () => {
    expect(new Deadline(1000, 'total-timeout-minutes (1 s)').passed).toBe(false)
    expect(new Deadline(0, 'total-timeout-minutes (0 s)').passed).toBe(true)
  })

  it('says whether a wait would reach it, a wait ending at its instant included', () => {
    const deadline = new Deadline(60_000, 'total-timeout-minutes (1 min)')
    expect(deadline.passesWithin(59_999)).toBe(false)
    expect(deadline.passesWithin(60_000)).toBe(true)
  })

  it('stops the run naming what it was doing, and the limit', () => {
    const deadline = new Deadline(60_000, 'total-timeout-minutes (1 min)')
    const reached = deadline.error('listing the builds of app 1600000001')
    expect(reached).toBeInstanceOf(DeadlineError)
    expect(reached.message).toBe(
      'Stopped while listing the builds of app 1600000001: the run reached its time limit, ' +
        'total-timeout-minutes (1 min). Raise total-timeout-minutes, or run the job again later.'
    )
    expect(deadline.error('listing the builds of app 1', 'answered 503.').message).toBe(
      "Stopped while listing the builds of app 1: waiting to try again would pass the run's time limit, " +
        'total-timeout-minutes (1 min). The last try: answered 503. Raise total-timeout-minutes, or run the job again later.'
    )
  })
})

describe('runDeadline', () => {
  it('is total-timeout-minutes, plus wait-minutes when waiting, and says which', () => {
    const plain = runDeadline(600_000, 0)
    expect([plain.totalMs, plain.limit]).toEqual([600_000, 'total-timeout-minutes (10 min)'])
    const waiting = runDeadline(600_000, 300_000)
    expect([waiting.totalMs, waiting.limit]).toEqual([
      900_000,
      'total-timeout-minutes plus wait-minutes (15 min)'
    ])
  })
})
