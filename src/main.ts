// The action as one straight line: inputs → search → outputs → report → verdict. The one
// place that fails the step.
import * as core from '@actions/core'
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici'
import { AppStoreConnectClient } from './apple/asc-client.js'
import { DEFAULT_RETRY_POLICY, outageBudgetMs } from './apple/retry.js'
import { TokenSource } from './apple/token.js'
import { findAppStoreBuild } from './choose/app-store.js'
import { findLatestBuild, resolveAppId } from './choose/find-build.js'
import { nextBuildNumber } from './choose/next-build-number.js'
import { inputOfParameter } from './choose/filters.js'
import type { SearchRequest } from './choose/search.js'
import { waitForBuild } from './choose/wait.js'
import { cancellable } from './cancellation.js'
import { runDeadline, type Deadline } from './deadline.js'
import { ActionError, errorMessage } from './errors.js'
import { isLoopbackHost, readSettings, type Settings } from './inputs.js'
import { log } from './log.js'
import { checkOutputs } from './report/output-format.js'
import { outputsFor } from './report/outputs.js'
import { publishReport, warnIfRateLimitLow } from './report/publish.js'
import { verdict, type SearchOutcome } from './report/verdict.js'
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
    const outputs = checked.outputs
    for (const emptied of checked.emptied) log.warning(emptied)
    if (checked.problem) {
      outcome.result = undefined
      outcome.error ??= new ActionError(checked.problem)
    }
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
    const failure = verdict(settings, outcome, outputs)
    warnIfRateLimitLow(outcome.rateLimit)
    await publishReport({ settings, outputs, outcome, failure, signal, deadline })
    if (failure) log.fail(failure)
  }, options.signal)
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
  let client: AppStoreConnectClient | undefined
  try {
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
      dispatcher: options.dispatcher ?? proxyAwareDispatcher(settings.apiBaseUrl),
      retry: {
        ...DEFAULT_RETRY_POLICY,
        maxAttempts: settings.maxAttempts,
        maxTotalRetryMs: outageBudgetMs(settings.totalTimeoutMs)
      },
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
    if (settings.filters.appStoreStates) {
      for (const rename of settings.appStoreStateRenames) log.info(`app-store-state: ${rename}.`)
      outcome.result = await findAppStoreBuild(client, request)
    } else if (settings.waitMs > 0) {
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
      outcome.nextBuildNumber = await nextBuildNumber(client, {
        appId: outcome.appId,
        platform: settings.filters.platform,
        appVersion: settings.filters.appVersion,
        initial: settings.initialBuildNumber
      })
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
