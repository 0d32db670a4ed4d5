// Which of the matching builds is "the latest": pure functions, no I/O.
import { instant } from '../apple/apple-types.js'
import type { Candidate, LatestBy } from './search-types.js'
import { compare, compareVersions } from './versions.js'

/** Instants, never text; a build without a readable date counts as the oldest. */
function compareUploads(a: Candidate, b: Candidate): number {
  return compare(instant(a.uploadedDate) ?? -Infinity, instant(b.uploadedDate) ?? -Infinity)
}

type Comparison = (a: Candidate, b: Candidate) => number

const byUpload: Comparison = compareUploads
const byBuildNumber: Comparison = (a, b) => compareVersions(a.buildNumber, b.buildNumber)
/** A build without a marketing version counts as the lowest. */
const byAppVersion: Comparison = (a, b) =>
  a.appVersion === undefined || b.appVersion === undefined
    ? compare(a.appVersion === undefined ? 0 : 1, b.appVersion === undefined ? 0 : 1)
    : compareVersions(a.appVersion, b.appVersion)

/** What each rule compares, most important first; ties fall through to the next. */
const ORDER_OF_RULE: Record<LatestBy, Comparison[]> = {
  'uploaded-date': [byUpload, byBuildNumber],
  'build-number': [byBuildNumber, byUpload],
  'app-version': [byAppVersion, byBuildNumber, byUpload]
}

/**
 * Orders candidates from the least to the most wanted under a rule. Ties go to the next key
 * of the rule, then to the id, so that the answer never depends on the order Apple sent.
 */
export function compareByRule(rule: LatestBy, a: Candidate, b: Candidate): number {
  for (const comparison of ORDER_OF_RULE[rule]) {
    const difference = comparison(a, b)
    if (difference !== 0) return difference
  }
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
