import { describe, expect, it } from '@jest/globals'
import { duration } from '../src/duration.js'

describe('duration', () => {
  it.each([
    [0, '0 s'],
    [45_400, '45 s'],
    [45_000, '45 s'],
    [60_000, '1 min'],
    [120_000, '2 min'],
    [130_000, '2 min 10 s'],
    [3_600_000, '1 h'],
    [3_720_000, '1 h 2 min'],
    [3_725_000, '1 h 2 min'],
    [10_800_000, '3 h']
  ])('writes %d ms as %s', (ms, text) => {
    expect(duration(ms)).toBe(text)
  })
})
