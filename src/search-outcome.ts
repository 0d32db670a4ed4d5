// The search as the run makes it: the client, the app, then the build by the inputs' route
// (App Store versions, a wait, or one search) and the next build number, gathered into one
// outcome that says what was found, what stopped it, and what it cost.
import type { Dispatcher } from 'undici'
import { AppStoreConnectClient, type RateLimit } from './apple/asc-client.js'
import { DEFAULT_RETRY_POLICY, outageBudgetMs } from './apple/retry.js'
import { TokenSource } from './apple/token.js'
import { resolveAppId } from './choose/app-lookup.js'
import { findAppStoreBuild } from './choose/app-store.js'
import { inputBehindParameter } from './choose/filters.js'
import { findLatestBuild } from './choose/find-build.js'
import { nextBuildNumber } from './choose/next-build-number.js'
import type { SearchRequest, SearchResult } from './choose/search-types.js'
import { waitForBuild } from './choose/wait.js'
import type { Deadline } from './deadline.js'
import { proxyAwareDispatcher } from './dispatcher.js'
import type { Settings } from './inputs.js'
import { log } from './log.js'
import { secrets } from './secrets.js'

/** What the search came to: a result, or the failure that stopped it, and what it cost. */
export interface SearchOutcome {
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

export interface SearchOptions {
  /** Stops the run as a cancelled job would (tests); SIGINT and SIGTERM do it for the runner. */
  signal?: AbortSignal
  /** The HTTP dispatcher for App Store Connect: a MockAgent in tests; proxy-aware otherwise. */
  dispatcher?: Dispatcher
  /** Backoff and poll waits: instant in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** Resolves the app and finds the build; never throws, so outputs and report always follow. */
export async function search(
  settings: Settings,
  options: SearchOptions,
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
      inputBehind: inputBehindParameter,
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
