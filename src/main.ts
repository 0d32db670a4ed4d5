import * as core from '@actions/core'
import { EnvHttpProxyAgent, type Dispatcher } from 'undici'
import { AppStoreConnectClient, type RateLimit } from './asc-client.js'
import { errorMessage } from './errors.js'
import { describeFilters, describeRule } from './filters.js'
import { findLatestBuild, resolveAppId } from './find-build.js'
import { readSettings, type Settings } from './inputs.js'
import { buildOutputs, type Outputs } from './outputs.js'
import { commentMarker, postPullRequestComment } from './pr-comment.js'
import { composeReport, type ReportContext } from './report.js'
import { DEFAULT_RETRY_POLICY } from './retry.js'
import { TokenSource } from './token.js'

export interface RunOptions {
  now?: () => Date
  dispatcher?: Dispatcher
}

/** The action: read inputs, ask App Store Connect, write outputs. The one place that fails the step. */
export async function run(options: RunOptions = {}): Promise<void> {
  const now = options.now ?? (() => new Date())
  let settings: Settings
  try {
    settings = readSettings(name => core.getInput(name), core.setSecret)
  } catch (error) {
    core.setFailed(errorMessage(error))
    return
  }

  let appId = settings.app.appId
  let client: AppStoreConnectClient | undefined
  let written = false
  const writeOutputs = (outputs: Outputs): void => {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
    written = true
  }
  // Self-hosted runners behind a proxy set HTTPS_PROXY / NO_PROXY.
  const dispatcher = options.dispatcher ?? new EnvHttpProxyAgent()
  try {
    const tokens = new TokenSource({
      key: settings.privateKey.key,
      keyId: settings.keyId,
      issuerId: settings.issuerId,
      now,
      onToken: core.setSecret
    })
    client = new AppStoreConnectClient({
      baseUrl: settings.apiBaseUrl,
      tokens,
      timeoutMs: settings.timeoutMs,
      dispatcher,
      retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: settings.maxAttempts },
      now,
      info: core.info,
      debug: core.debug
    })
    appId = await resolveAppId(client, settings.app)
    const searchedAt = now()
    const result = await findLatestBuild(client, {
      appId,
      appIdGiven: settings.app.appId !== undefined,
      filters: settings.filters,
      latestBy: settings.latestBy,
      now: searchedAt
    })
    const outputs = buildOutputs(appId, result.build, searchedAt, client.rateLimit)
    writeOutputs(outputs)
    warnIfRateLimitLow(client.rateLimit)

    const appLabel = settings.app.bundleId
      ? `app ${appId} (${settings.app.bundleId})`
      : `app ${appId}`
    const rule = describeRule(settings.latestBy)
    const filters = describeFilters(settings.filters)
    await publishReport(settings, outputs, { appLabel, rule, filters, rateLimit: client.rateLimit })

    if (!result.build) {
      const message = `No build of ${appLabel} matches ${filters} (${client.requestCount} requests).`
      if (settings.failIfNotFound) {
        core.setFailed(`${message} Loosen the filters, or set fail-if-not-found: false.`)
        return
      }
      core.info(`${message} found=false, and fail-if-not-found is false, so the step passes.`)
      return
    }
    core.info(
      `Chose build ${outputs.version} (${outputs['build-id']}, app version ${outputs['app-version'] || '?'}, ` +
        `${outputs.platform || '?'}) of ${appLabel}: the ${rule} of ${result.considered} builds with ${filters}; ` +
        `expires ${outputs['expiration-date']} (${outputs['expires-in-days']} days); ${client.requestCount} requests.`
    )
    const daysLeft = Number(outputs['expires-in-days'])
    if (settings.minDaysUntilExpiry > 0 && !(daysLeft >= settings.minDaysUntilExpiry)) {
      core.setFailed(
        `Build ${outputs.version} of ${appLabel} expires in ${outputs['expires-in-days']} days ` +
          `(${outputs['expiration-date']}), fewer than min-days-until-expiry (${settings.minDaysUntilExpiry}): upload a fresh build.`
      )
    }
  } catch (error) {
    if (!written) writeOutputs(buildOutputs(appId, undefined, now(), client?.rateLimit))
    core.setFailed(errorMessage(error))
  } finally {
    if (!options.dispatcher) await dispatcher.destroy()
  }
}

/** The report in the job summary and on the pull request, as asked. */
async function publishReport(
  settings: Settings,
  outputs: Outputs,
  context: ReportContext
): Promise<void> {
  if (!settings.jobSummary && !settings.prComment) return
  const html = composeReport(outputs, context)
  if (settings.prComment) {
    const marker = commentMarker({
      app: settings.app,
      filters: settings.filters,
      latestBy: settings.latestBy
    })
    await postPullRequestComment(html, marker, settings.githubToken)
  }
  if (settings.jobSummary) await core.summary.write()
  else core.summary.emptyBuffer()
}

/** Under a tenth of the hourly budget left: the next workflows of this key may be throttled. */
function warnIfRateLimitLow(rateLimit: RateLimit | undefined): void {
  if (rateLimit && rateLimit.remaining < rateLimit.limit / 10) {
    core.warning(
      `Only ${rateLimit.remaining} of the ${rateLimit.limit} hourly App Store Connect requests of this API key are left; ` +
        'further requests may be refused with 429 until the rolling hour frees some.'
    )
  }
}
