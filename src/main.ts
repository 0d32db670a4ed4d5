// The action as one straight line: inputs → search → outputs → report → verdict. The one
// place that fails the step.
import * as core from '@actions/core'
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici'
import { PLATFORM_NAMES } from './apple/apple-types.js'
import { AppStoreConnectClient, type RateLimit } from './apple/asc-client.js'
import { DEFAULT_RETRY_POLICY } from './apple/retry.js'
import { TokenSource } from './apple/token.js'
import { findLatestBuild, resolveAppId } from './choose/find-build.js'
import { nextBuildNumber } from './choose/next-build-number.js'
import { describeFilters, describeRule, inputOfParameter } from './choose/filters.js'
import type { SearchRequest, SearchResult } from './choose/search.js'
import { duration, waitForBuild } from './choose/wait.js'
import { Deadline, describeDuration } from './deadline.js'
import { ActionError, errorMessage } from './errors.js'
import { isLoopbackHost, readSettings, type Settings } from './inputs.js'
import { log } from './log.js'
import { checkOutputs } from './report/output-format.js'
import { outputsFor, type Outputs } from './report/outputs.js'
import { commentMarker, postPullRequestComment } from './report/pr-comment.js'
import { composeReport } from './report/summary.js'
import { secrets } from './secrets.js'
import { secretsWithheldReason } from './secrets-withheld.js'

export interface RunOptions {
  now?: () => Date
  /** Stops the run as a cancelled job would (tests); SIGINT and SIGTERM do it for the runner. */
  signal?: AbortSignal
  /** The HTTP dispatcher for App Store Connect: a MockAgent in tests; proxy-aware otherwise. */
  dispatcher?: Dispatcher
  /** Backoff and poll waits: instant in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** What the search came to: a result, or the failure that stopped it, and what it cost. */
interface SearchOutcome {
  appId: string | undefined
  result: SearchResult | undefined
  nextBuildNumber: string | undefined
  /** Time spent waiting for the build (wait-minutes). */
  waitedMs: number
  /** Set when the wait ran out of time. */
  timedOut: string | undefined
  error: unknown
  cancelled: boolean
  searchedAt: Date
  requestCount: number
  rateLimit: RateLimit | undefined
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
  const stop = new AbortController()
  const cancel = (signal: string) => (): void =>
    stop.abort(
      new ActionError(`The job was cancelled (${signal}): stopped before a build was found.`)
    )
  const onInterrupt = cancel('SIGINT')
  const onTerminate = cancel('SIGTERM')
  process.once('SIGINT', onInterrupt)
  process.once('SIGTERM', onTerminate)
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal
  const outcome = await search(
    settings,
    { ...options, signal },
    now,
    runDeadline(settings)
  ).finally(() => {
    process.off('SIGINT', onInterrupt)
    process.off('SIGTERM', onTerminate)
  })
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
  const outputs = checked.outputs
  if (checked.problem) {
    outcome.result = undefined
    outcome.error ??= new ActionError(checked.problem)
  }
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
  const failure = verdict(settings, outcome, outputs)
  warnIfRateLimitLow(outcome.rateLimit)
  await publishReport(settings, outputs, appLabel(settings, outputs['app-id']), outcome, failure)
  if (failure) log.fail(failure)
}

/** The whole run's time limit: total-timeout-minutes, plus wait-minutes when waiting. */
function runDeadline(settings: Settings): Deadline {
  const totalMs = settings.totalTimeoutMs + settings.waitMs
  const limit =
    settings.waitMs > 0
      ? `total-timeout-minutes plus wait-minutes (${describeDuration(totalMs)})`
      : `total-timeout-minutes (${describeDuration(totalMs)})`
  return new Deadline(totalMs, limit)
}

/** Resolves the app and finds the build; never throws, so outputs and report always follow. */
async function search(
  settings: Settings,
  options: RunOptions,
  now: () => Date,
  deadline: Deadline
): Promise<SearchOutcome> {
  const outcome: SearchOutcome = {
    appId: settings.app.appId,
    result: undefined,
    nextBuildNumber: undefined,
    waitedMs: 0,
    timedOut: undefined,
    error: undefined,
    cancelled: false,
    searchedAt: now(),
    requestCount: 0,
    rateLimit: undefined
  }
  let dispatcher: Dispatcher | undefined
  let client: AppStoreConnectClient | undefined
  try {
    dispatcher = options.dispatcher ?? proxyAwareDispatcher(settings.apiBaseUrl)
    client = new AppStoreConnectClient({
      baseUrl: settings.apiBaseUrl,
      tokens: new TokenSource({
        key: settings.privateKey.key,
        keyId: settings.keyId,
        issuerId: settings.issuerId,
        now,
        onToken: token => secrets.addToken(token)
      }),
      timeoutMs: settings.timeoutMs,
      deadline,
      redact: text => secrets.redact(text),
      dispatcher,
      retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: settings.maxAttempts },
      now,
      signal: options.signal,
      sleep: options.sleep,
      inputOf: inputOfParameter,
      info: log.info,
      debug: log.debug
    })
    outcome.appId = await resolveAppId(client, settings.app)
    outcome.searchedAt = now()
    const request: SearchRequest = {
      appId: outcome.appId,
      appIdGiven: settings.app.appId !== undefined,
      filters: settings.filters,
      latestBy: settings.latestBy,
      now: outcome.searchedAt
    }
    if (settings.waitMs > 0) {
      const waited = await waitForBuild(client, request, {
        waitMs: settings.waitMs,
        intervalMs: settings.waitIntervalMs,
        now,
        info: log.info
      })
      outcome.result = waited.result
      outcome.waitedMs = waited.waitedMs
      outcome.timedOut = waited.timedOut
      outcome.searchedAt = now()
    } else {
      outcome.result = await findLatestBuild(client, request)
    }
    if (settings.nextBuildNumber) {
      outcome.nextBuildNumber = await nextBuildNumber(
        client,
        {
          appId: outcome.appId,
          platform: settings.filters.platform,
          appVersion: settings.filters.appVersion
        },
        outcome.searchedAt
      )
    }
  } catch (error) {
    outcome.error = error
    outcome.cancelled = options.signal?.aborted ?? false
  } finally {
    // The sockets are left open: undici unrefs idle ones, so they never hold the process up,
    // and closing them would cost the run more time than its exit does.
    outcome.requestCount = client?.requestCount ?? 0
    outcome.rateLimit = client?.rateLimit
  }
  return outcome
}

/** Why the step fails, if it does; logs what was chosen or not found. */
function verdict(settings: Settings, outcome: SearchOutcome, outputs: Outputs): string | undefined {
  if (outcome.error !== undefined) return errorMessage(outcome.error)
  const app = appLabel(settings, outcome.appId)
  const filters = describeFilters(settings.filters)
  const requests = plural(outcome.requestCount, 'request')
  if (outcome.timedOut) {
    if (settings.failIfNotFound) return `${outcome.timedOut} Or set fail-if-not-found: false.`
    log.info(`${outcome.timedOut} found=false, and fail-if-not-found is false, so the step passes.`)
    return undefined
  }
  if (!outcome.result?.build) {
    const message = `No build of ${app} matches ${filters} (${requests}).${whatStoodInTheWay(outcome.result)}`
    if (settings.failIfNotFound) {
      return `${message} Loosen the filters, or set fail-if-not-found: false.`
    }
    log.info(`${message} found=false, and fail-if-not-found is false, so the step passes.`)
    return undefined
  }
  log.info(
    `Chose build ${outputs.version} (${outputs['build-id']}, app version ${outputs['app-version'] || '?'}, ` +
      `${outputs.platform || '?'}) of ${app}: the ${describeRule(settings.latestBy)} of ` +
      `${plural(outcome.result.considered, 'build')} with ${filters}; ` +
      `expires ${outputs['expiration-date'] || 'never'} (${outputs['expires-in-days'] || '?'} days); ${requests}.`
  )
  return expiryGateFailure(settings, outputs, app)
}

/** With no build: the newest build that was not ready, or the platforms that have builds. */
function whatStoodInTheWay(result: SearchResult | undefined): string {
  if (result?.blocked) {
    const { blocked } = result
    const version = blocked.appVersion ? `, app version ${blocked.appVersion}` : ''
    return (
      ` The latest candidate, build ${blocked.buildNumber} (${blocked.id}${version}), is not ready: ` +
      `${blocked.blocker.state}; ${blocked.blocker.advice}`
    )
  }
  if (result && result.otherPlatforms.length > 0) {
    const names = result.otherPlatforms.map(platform => PLATFORM_NAMES[platform].slug)
    return (
      ` It has matching builds for ${result.otherPlatforms.join(', ')}: ` +
      `set platform to ${names.join(' or ')} (or any).`
    )
  }
  return ''
}

/** "app 1600000001 (com.example.weather)", or as much of it as is known. */
function appLabel(settings: Settings, appId: string | undefined): string {
  const id = appId ? `app ${appId}` : 'the app'
  return settings.app.bundleId ? `${id} (${settings.app.bundleId})` : id
}

/**
 * Self-hosted runners behind a proxy set HTTPS_PROXY / NO_PROXY; a malformed one is the user's
 * to fix. A loopback API (a local sandbox) is never reached through a proxy: the token would
 * travel to the proxy, in clear text over http.
 */
function proxyAwareDispatcher(apiBaseUrl: string): Dispatcher {
  if (isLoopbackHost(new URL(apiBaseUrl).hostname)) return new Agent()
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

/** The report in the job summary and on the pull request, as asked; neither can fail the step. */
async function publishReport(
  settings: Settings,
  outputs: Outputs,
  app: string,
  outcome: SearchOutcome,
  failure: string | undefined
): Promise<void> {
  if (!settings.jobSummary && !settings.prComment) return
  // Published text is beyond the runner's masking: secrets are replaced before escaping.
  const redacted = Object.fromEntries(
    Object.entries(outputs).map(([name, value]) => [name, secrets.redact(value)])
  ) as Outputs
  const html = secrets.redact(
    composeReport(redacted, {
      appLabel: secrets.redact(app),
      rule: describeRule(settings.latestBy),
      filters: describeFilters(settings.filters),
      rateLimit: outcome.rateLimit,
      failure: failure === undefined ? undefined : secrets.redact(failure),
      waited: outcome.waitedMs > 0 ? duration(outcome.waitedMs) : undefined
    })
  )
  // A cancelled job has seconds to finish: no comment, only the local summary file.
  if (settings.prComment && !outcome.cancelled) {
    const marker = commentMarker({
      app: settings.app,
      filters: settings.filters,
      latestBy: settings.latestBy
    })
    await postPullRequestComment(html, marker, settings.githubToken, {
      timeoutMs: settings.timeoutMs
    })
  }
  if (settings.jobSummary) {
    try {
      await core.summary.addRaw(html).write()
    } catch (error) {
      core.summary.emptyBuffer()
      log.warning(`job-summary: the job summary could not be written: ${errorMessage(error)}`)
    }
  }
}

/** Under a tenth of the hourly budget left: the next workflows of this key may be throttled. */
function warnIfRateLimitLow(rateLimit: RateLimit | undefined): void {
  if (rateLimit && rateLimit.remaining < rateLimit.limit / 10) {
    log.warning(
      `Only ${rateLimit.remaining} of the ${rateLimit.limit} hourly App Store Connect requests of this API key are left; ` +
        'further requests may be refused with 429 until the rolling hour frees some.'
    )
  }
}

/** "1 request", "3 requests". */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
