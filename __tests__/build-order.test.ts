import { describe, expect, it } from '@jest/globals'
import { pickLatest } from '../src/choose/build-order.js'
import { compareVersions } from '../src/choose/versions.js'
import type { Candidate } from '../src/choose/search-types.js'

const sign = (n: number): number => Math.sign(n)

describe('compareVersions', () => {
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
    ['512', '512', 0],
    ['1.2', '1.2.1', -1],
    // A part that is not all digits (Apple refuses them, but they are seen) compares as text.
    ['1.a', '1.10', 1],
    ['1.9x', '1.100', 1],
    ['1.x9', '1.100', 1]
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(sign(compareVersions(a, b))).toBe(expected)
    expect(sign(compareVersions(b, a))).toBe(0 - expected || 0)
  })

  it('orders a list numerically where a text sort would not', () => {
    const numbers = ['9', '10', '1.10', '1.9', '100', '2']
    expect([...numbers].sort(compareVersions)).toEqual(['1.9', '1.10', '2', '9', '10', '100'])
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

  it('by upload date ranks a build without a readable date below every other', () => {
    const undated = build('undated', '99', 'yesterday')
    const dated = build('dated', '1', '2020-01-01T00:00:00Z')
    expect(pickLatest('uploaded-date', [undated, dated])?.id).toBe('dated')
    expect(pickLatest('uploaded-date', [dated, undated])?.id).toBe('dated')
  })

  it('returns nothing for no builds', () => {
    expect(pickLatest('uploaded-date', [])).toBeUndefined()
  })
})

describe('pickLatest by app version', () => {
  const build = (id: string, appVersion: string, buildNumber: string, uploadedDate: string) => ({
    id,
    appVersion,
    buildNumber,
    uploadedDate
  })

  it('takes the highest marketing version, then the highest build number within it', () => {
    // A team that resets build numbers per version: 1.9's build 40 is older than 2.0's build 3.
    const builds = [
      build('old-high', '1.9', '40', '2026-10-01T00:00:00Z'),
      build('new-low', '2.0', '3', '2026-11-01T00:00:00Z'),
      build('new-lower', '2.0', '2', '2026-11-20T00:00:00Z'),
      build('text-trap', '10.0', '1', '2026-09-01T00:00:00Z')
    ]
    expect(pickLatest('app-version', builds)?.id).toBe('text-trap')
    expect(pickLatest('app-version', builds.slice(0, 3))?.id).toBe('new-low')
    expect(pickLatest('build-number', builds.slice(0, 3))?.id).toBe('old-high')
  })

  it('ranks a build without a marketing version below every other', () => {
    const unknown = { id: 'x', buildNumber: '999', uploadedDate: '2026-11-26T00:00:00Z' }
    const known = build('y', '0.1', '1', '2026-01-01T00:00:00Z')
    expect(pickLatest('app-version', [unknown, known])?.id).toBe('y')
    expect(pickLatest('app-version', [known, unknown])?.id).toBe('y')
  })
})

describe('pickLatest on a full tie', () => {
  it('falls back to the id, whatever order the builds came in', () => {
    const a = {
      id: 'aaa',
      buildNumber: '5',
      uploadedDate: '2026-11-01T00:00:00Z',
      appVersion: '2.4'
    }
    const b = {
      id: 'bbb',
      buildNumber: '5',
      uploadedDate: '2026-11-01T00:00:00Z',
      appVersion: '2.4'
    }
    for (const rule of ['uploaded-date', 'build-number', 'app-version'] as const) {
      expect(pickLatest(rule, [a, b])?.id).toBe('bbb')
      expect(pickLatest(rule, [b, a])?.id).toBe('bbb')
    }
  })
})
