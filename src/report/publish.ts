// The report, where the user reads it: the job summary first (a local file, written even when
// the job is being cancelled), then the pull-request comment within what is left of the run's
// deadline, and the warnings about what the run leaves behind.
import * as core from '@actions/core'
import type { RateLimit } from '../apple/asc-client.js'
import { appLabel } from '../choose/app-lookup.js'
import { describeFilters, describeRule } from '../choose/filters.js'
import type { Deadline } from '../deadline.js'
import { duration } from '../duration.js'
import { errorMessage } from '../errors.js'
import type { Settings } from '../inputs.js'
import type { SearchOutcome } from '../search-outcome.js'
import { log } from '../log.js'
import type { Outputs } from './outputs.js'
import { commentMarker, postPullRequestComment } from './pr-comment.js'
import { composeReport } from './summary.js'

/** What one run publishes, and what bounds the publishing. */
export interface Publication {
  settings: Settings
  outputs: Outputs
  outcome: SearchOutcome
  /** Why the step fails, if it does. */
  failure: string | undefined
  /** Aborts when the job is cancelled: the comment stops; the summary is written already. */
  signal?: AbortSignal
  /** The run's deadline: the comment gets what is left of it, and is skipped when nothing is. */
  deadline?: Deadline
}

/** The report in the job summary and on the pull request, as asked; neither can fail the step. */
export async function publishReport({
  settings,
  outputs,
  outcome,
  failure,
  signal,
  deadline
}: Publication): Promise<void> {
  if (!settings.jobSummary && !settings.prComment) return
  // Every value is made plain, redacted, then escaped where it is placed (sanitize.ts).
  const html = composeReport(outputs, {
    appLabel: appLabel(settings.app, outputs['app-id']),
    rule: describeRule(settings.latestBy, settings.filters),
    filters: describeFilters(settings.filters),
    rateLimit: outcome.rateLimit,
    failure,
    waited: Math.round(outcome.waitedMs / 1000) > 0 ? duration(outcome.waitedMs) : undefined
  })
  if (settings.jobSummary) await writeJobSummary(html)
  if (!settings.prComment) return
  // A cancelled job has seconds to finish: the local summary file is all it writes.
  if (outcome.cancelled || signal?.aborted) {
    log.info('pr-comment: skipped, the job was cancelled.')
    return
  }
  const left = deadline ? deadline.at - Date.now() : settings.timeoutMs
  if (deadline?.passed || left <= 0) {
    log.warning(
      `pr-comment: skipped, the run reached its time limit, ${deadline?.limit}, before the comment could be posted. ` +
        'Raise total-timeout-minutes to leave the comment time.'
    )
    return
  }
  const marker = commentMarker({
    app: settings.app,
    filters: settings.filters,
    latestBy: settings.latestBy
  })
  await postPullRequestComment(html, marker, settings.githubToken, {
    timeoutMs: Math.min(settings.timeoutMs, left),
    signal,
    deadline
  })
}

async function writeJobSummary(html: string): Promise<void> {
  try {
    await core.summary.addRaw(html).write()
  } catch (error) {
    core.summary.emptyBuffer()
    log.warning(`job-summary: the job summary could not be written: ${errorMessage(error)}`)
  }
}

/** Under a tenth of the hourly budget left: the next workflows of this key may be throttled. */
export function warnIfRateLimitLow(rateLimit: RateLimit | undefined): void {
  if (rateLimit && rateLimit.remaining < rateLimit.limit / 10) {
    log.warning(
      `Only ${rateLimit.remaining} of the ${rateLimit.limit} hourly App Store Connect requests of this API key are left; ` +
        'further requests may be refused with 429 until the rolling hour frees some.'
    )
  }
}
