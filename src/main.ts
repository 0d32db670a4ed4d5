// The action as one straight line: inputs → search → outputs → report → verdict. The one
// place that fails the step.
import * as core from '@actions/core'
import { cancellable } from './cancellation.js'
import { runDeadline } from './deadline.js'
import { errorMessage } from './errors.js'
import { readSettings, type Settings } from './inputs.js'
import { log } from './log.js'
import { checkOutputs } from './report/output-format.js'
import { outputsFor } from './report/outputs.js'
import { publishReport, warnIfRateLimitLow } from './report/publish.js'
import { verdict } from './report/verdict.js'
import { search, type SearchOptions } from './search-outcome.js'
import { secrets } from './secrets.js'
import { secretsWithheldReason } from './secrets-withheld.js'

export interface RunOptions extends SearchOptions {
  now?: () => Date
}

/** The action: read inputs, ask App Store Connect, write outputs, report, then the verdict. */
export async function run(options: RunOptions = {}): Promise<void> {
  const now = options.now ?? (() => new Date())
  let settings: Settings
  try {
    settings = readSettings(
      name => core.getInput(name),
      secret => secrets.add(secret),
      secretsWithheldReason()
    )
  } catch (error) {
    log.fail(errorMessage(error))
    return
  }
  const deadline = runDeadline(settings.totalTimeoutMs, settings.waitMs)
  // One cancellation for the whole run: the search stops at once, the outputs and the job
  // summary are still written, and a comment being posted is given up.
  await cancellable(async signal => {
    const outcome = await search(settings, { ...options, signal }, now, deadline)
    // Nothing is written as found from an answer that breaks Apple's formats.
    const checked = checkOutputs(
      outputsFor({
        appId: outcome.appId,
        build: outcome.result?.build,
        now: outcome.searchedAt,
        rateLimit: outcome.rateLimit,
        nextBuildNumber: outcome.nextBuildNumber,
        waitedMs: outcome.waitedMs
      })
    )
    const { outputs } = checked
    for (const emptied of checked.emptied) log.warning(emptied)
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
    const { failure, note } = verdict(settings, outcome, checked)
    if (note) log.info(note)
    warnIfRateLimitLow(outcome.rateLimit)
    await publishReport({ settings, outputs, outcome, failure, signal, deadline })
    if (failure) log.fail(failure)
  }, options.signal)
}
