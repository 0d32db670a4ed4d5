// Which of the matching builds is "the latest": pure functions, no I/O.
import type { LatestBy } from './search.js'

/** A build as the selection needs it. */
export interface Candidate {
  id: string
  buildNumber: string
  uploadedDate: string
}

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
    return left < right ? -1 : left > right ? 1 : 0
  }
  return a < b ? -1 : a > b ? 1 : 0
}

function compareUploads(a: Candidate, b: Candidate): number {
  const left = uploadTime(a)
  const right = uploadTime(b)
  return left < right ? -1 : left > right ? 1 : 0
}

/** Apple's dates carry varying offsets (-07:00, -08:00), so compare instants, never text. */
function uploadTime(candidate: Candidate): number {
  const time = Date.parse(candidate.uploadedDate)
  return Number.isNaN(time) ? -Infinity : time
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
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
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
