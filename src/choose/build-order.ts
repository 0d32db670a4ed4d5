// Which of the matching builds is "the latest": pure functions, no I/O.
import { instant } from '../apple/apple-types.js'
import type { Candidate, LatestBy } from './search.js'

/**
 * Compares build numbers (CFBundleVersion) numerically by dot-separated parts, so that
 * "10" > "9" and "1.10" > "1.9". Missing parts count as zero ("1.2" equals "1.2.0").
 * A part that is not all digits (not allowed by Apple, but seen) compares as text.
 */
export function compareBuildNumbers(a: string, b: string): number {
  const left = a.split('.')
  const right = b.split('.')
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = comparePart(left[index] ?? '0', right[index] ?? '0')
    if (difference !== 0) return difference
  }
  return 0
}

function comparePart(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    // Digit strings of any length, without the precision loss of parseInt.
    const left = a.replace(/^0+(?=\d)/, '')
    const right = b.replace(/^0+(?=\d)/, '')
    if (left.length !== right.length) return left.length - right.length
    return compare(left, right)
  }
  return compare(a, b)
}

/** Instants, never text; a build without a readable date counts as the oldest. */
function compareUploads(a: Candidate, b: Candidate): number {
  return compare(instant(a.uploadedDate) ?? -Infinity, instant(b.uploadedDate) ?? -Infinity)
}

/** -1, 0 or 1, as sort comparators want. */
function compare<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Orders candidates from the least to the most wanted under a rule. Ties go to the other
 * key (by upload date: the higher build number; by build number: the later upload), then
 * to the id, so that the answer never depends on the order Apple sent.
 */
export function compareByRule(rule: LatestBy, a: Candidate, b: Candidate): number {
  const [first, second] =
    rule === 'uploaded-date'
      ? [compareUploads(a, b), compareBuildNumbers(a.buildNumber, b.buildNumber)]
      : [compareBuildNumbers(a.buildNumber, b.buildNumber), compareUploads(a, b)]
  if (first !== 0) return first
  if (second !== 0) return second
  return compare(a.id, b.id)
}

/** The most wanted candidate under the rule, whatever order the list is in. */
export function pickLatest<T extends Candidate>(
  rule: LatestBy,
  candidates: readonly T[]
): T | undefined {
  let best: T | undefined
  for (const candidate of candidates) {
    if (best === undefined || compareByRule(rule, candidate, best) > 0) best = candidate
  }
  return best
}
