import * as core from '@actions/core'
import { EnvHttpProxyAgent, type Dispatcher } from 'undici'
import { AppStoreConnectClient, type RateLimit } from './apple/asc-client.js'
import { ActionError, errorMessage } from './errors.js'
import { describeFilters, describeRule } from './choose/filters.js'
import { findLatestBuild, resolveAppId } from './choose/find-build.js'
import { readSettings, type Settings } from './inputs.js'
import { buildOutputs, type Outputs } from './report/outputs.js'
import { commentMarker, postPullRequestComment } from './report/pr-comment.js'
import { composeReport, type ReportContext } from './report/summary.js'
import { DEFAULT_RETRY_POLICY } from './apple/retry.js'
import { TokenSource } from './apple/token.js'

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
  let outputs: Outputs | undefined
  let dispatcher: Dispatcher | undefined
  const rule = describeRule(settings.latestBy)
  const filters = describeFilters(settings.filters)
  const appLabel = (): string => {
    const id = appId ? `app ${appId}` : 'the app'
    return settings.app.bundleId ? `${id} (${settings.app.bundleId})` : id
  }
  try {
    dispatcher = options.dispatcher ?? proxyAwareDispatcher()
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
    outputs = buildOutputs(appId, result.build, searchedAt, client.rateLimit)
    writeOutputs(outputs)

    let failure: string | undefined
    if (!result.build) {
      const message = `No build of ${appLabel()} matches ${filters} (${client.requestCount} requests).`
      if (settings.failIfNotFound) {
        failure = `${message} Loosen the filters, or set fail-if-not-found: false.`
      } else {
        core.info(`${message} found=false, and fail-if-not-found is false, so the step passes.`)
      }
    } else {
      core.info(
        oneLine(
          `Chose build ${outputs.version} (${outputs['build-id']}, app version ${outputs['app-version'] || '?'}, ` +
            `${outputs.platform || '?'}) of ${appLabel()}: the ${rule} of ${result.considered} builds with ${filters}; ` +
            `expires ${outputs['expiration-date'] || 'never'} (${outputs['expires-in-days'] || '?'} days); ${client.requestCount} requests.`
        )
      )
      failure = expiryGateFailure(settings, outputs, appLabel())
    }
    await finish(settings, outputs, {
      appLabel: appLabel(),
      rule,
      filters,
      rateLimit: client.rateLimit,
      failure
    })
  } catch (error) {
    const message = errorMessage(error)
    outputs ??= writeOutputs(buildOutputs(appId, undefined, now(), client?.rateLimit))
    await finish(settings, outputs, {
      appLabel: appLabel(),
      rule,
      filters,
      rateLimit: client?.rateLimit,
      failure: message
    })
  } finally {
    if (!options.dispatcher) await dispatcher?.destroy()
  }
}

function writeOutputs(outputs: Outputs): Outputs {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
  return outputs
}

/** Self-hosted runners behind a proxy set HTTPS_PROXY / NO_PROXY; a malformed one is the user's to fix. */
function proxyAwareDispatcher(): Dispatcher {
  try {
    return new EnvHttpProxyAgent()
  } catch (error) {
    throw new ActionError(
      `The proxy settings of the runner cannot be used (${errorMessage(error)}): HTTPS_PROXY, HTTP_PROXY and NO_PROXY ` +
        'must be URLs such as http://proxy.example.com:8080, or unset.'
    )
  }
}

/** The gate: a build that expires in fewer whole days than asked fails the step. */
function expiryGateFailure(
  settings: Settings,
  outputs: Outputs,
  appLabel: string
): string | undefined {
  const gate = settings.minDaysUntilExpiry
  if (gate === 0) return undefined
  const days = outputs['expires-in-days']
  if (days !== '' && Number(days) >= gate) return undefined
  const when =
    days === ''
      ? 'has no expiration date'
      : `expires in ${days} days (${outputs['expiration-date']})`
  return `Build ${outputs.version} of ${appLabel} ${when}, fewer than min-days-until-expiry (${gate}): upload a fresh build.`
}

/** Warnings, the report, then the verdict: the step fails last, after everything is written. */
async function finish(settings: Settings, outputs: Outputs, context: ReportContext): Promise<void> {
  warnIfRateLimitLow(context.rateLimit)
  await publishReport(settings, outputs, context)
  if (context.failure) core.setFailed(context.failure)
}

/** The report in the job summary and on the pull request, as asked; neither can fail the step. */
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
  if (settings.jobSummary) {
    try {
      await core.summary.addRaw(html).write()
    } catch (error) {
      core.summary.emptyBuffer()
      core.warning(`job-summary: the job summary could not be written: ${errorMessage(error)}`)
    }
  }
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

/** Text from the API in a log line: line breaks could start workflow commands of their own. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ')
}
