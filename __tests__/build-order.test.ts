import { describe, expect, it } from '@jest/globals'
import { compareBuildNumbers, pickLatest } from '../src/choose/build-order.js'
import type { Candidate } from '../src/choose/search.js'

const sign = (n: number): number => Math.sign(n)

describe('compareBuildNumbers', () => {
  it.each([
    ['10', '9', 1],
    ['9', '10', -1],
    ['100', '99', 1],
    ['20302', '4.69.0', 1],
    ['1.10', '1.9', 1],
    ['1.4.0.7', '1.4.0.12', -1],
    ['1.2', '1.2.0', 0],
    ['007', '7', 0],
    ['12345678901234567890', '12345678901234567891', -1],
    ['512', '512', 0]
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(sign(compareBuildNumbers(a, b))).toBe(expected)
    expect(sign(compareBuildNumbers(b, a))).toBe(0 - expected || 0)
  })

  it('orders a list numerically where a text sort would not', () => {
    const numbers = ['9', '10', '1.10', '1.9', '100', '2']
    expect([...numbers].sort(compareBuildNumbers)).toEqual(['1.9', '1.10', '2', '9', '10', '100'])
  })
})

describe('pickLatest', () => {
  const build = (id: string, buildNumber: string, uploadedDate: string): Candidate => ({
    id,
    buildNumber,
    uploadedDate
  })

  it('by upload date compares instants, not text, across offsets', () => {
    // 10:30-08:00 is 18:30Z, later than 11:00-07:00 (18:00Z), though it reads earlier.
    const winter = build('a', '1', '2026-11-02T10:30:00-08:00')
    const summer = build('b', '2', '2026-11-02T11:00:00-07:00')
    expect(pickLatest('uploaded-date', [summer, winter])?.id).toBe('a')
  })

  it('by upload date breaks a tie with the higher build number', () => {
    const low = build('a', '9', '2026-11-02T10:00:00-08:00')
    const high = build('b', '10', '2026-11-02T10:00:00-08:00')
    expect(pickLatest('uploaded-date', [high, low])?.id).toBe('b')
    expect(pickLatest('uploaded-date', [low, high])?.id).toBe('b')
  })

  it('by build number takes the highest number even when uploaded earlier', () => {
    const hotfix = build('hotfix', '99', '2026-11-20T10:00:00-08:00')
    const highest = build('main', '100', '2026-11-01T10:00:00-07:00')
    expect(pickLatest('build-number', [hotfix, highest])?.id).toBe('main')
    expect(pickLatest('uploaded-date', [hotfix, highest])?.id).toBe('hotfix')
  })

  it('by build number breaks a tie with the later upload', () => {
    const earlier = build('ios', '42', '2026-11-01T10:00:00-07:00')
    const later = build('mac', '42', '2026-11-03T10:00:00-08:00')
    expect(pickLatest('build-number', [later, earlier])?.id).toBe('mac')
    expect(pickLatest('build-number', [earlier, later])?.id).toBe('mac')
  })

  it('gives the same answer whatever order the builds came in', () => {
    const builds = [
      build('a', '3', '2026-10-01T00:00:00Z'),
      build('b', '11', '2026-09-01T00:00:00Z'),
      build('c', '2', '2026-10-05T00:00:00Z')
    ]
    for (const order of [builds, [...builds].reverse(), [builds[1]!, builds[2]!, builds[0]!]]) {
      expect(pickLatest('uploaded-date', order)?.id).toBe('c')
      expect(pickLatest('build-number', order)?.id).toBe('b')
    }
  })

  it('returns nothing for no builds', () => {
    expect(pickLatest('uploaded-date', [])).toBeUndefined()
  })
})
