// What the run comes to, in words: the step's verdict and the line that says what was chosen.
// A pure decision: the caller logs the line and fails the step.
import { PLATFORM_NAMES } from '../apple/apple-types.js'
import { appLabel } from '../choose/app-lookup.js'
import { describeFilters, describeRule } from '../choose/filters.js'
import type { SearchResult } from '../choose/search-types.js'
import { errorMessage } from '../errors.js'
import type { Settings } from '../inputs.js'
import type { SearchOutcome } from '../search-outcome.js'
import type { CheckedOutputs } from './output-format.js'
import type { Outputs } from './outputs.js'

export interface Verdict {
  /** Why the step fails, if it does. */
  failure: string | undefined
  /** What was chosen, or why the step passes without a build: a line for the log. */
  note: string | undefined
}

const PASSES_WITHOUT_BUILD = 'found=false, and fail-if-not-found is false, so the step passes.'

/** Whether the step fails, and what to log of the choice. */
export function verdict(
  settings: Settings,
  outcome: SearchOutcome,
  { outputs, problem }: Pick<CheckedOutputs, 'outputs' | 'problem'>
): Verdict {
  if (outcome.error !== undefined) {
    const failure = errorMessage(outcome.error)
    return {
      failure: outcome.cancelled ? `${failure} ${whatTheCancelLeft(outputs)}` : failure,
      note: undefined
    }
  }
  // Nothing is chosen from an answer that breaks Apple's formats.
  if (problem) return { failure: problem, note: undefined }
  const app = appLabel(settings.app, outputs['app-id'])
  const filters = describeFilters(settings.filters)
  const requests = plural(outcome.requestCount, 'request')
  if (outcome.timedOut) {
    return settings.failIfNotFound
      ? { failure: `${outcome.timedOut} Or set fail-if-not-found: false.`, note: undefined }
      : { failure: undefined, note: `${outcome.timedOut} ${PASSES_WITHOUT_BUILD}` }
  }
  if (!outcome.result?.build) {
    const message = `No build of ${app} matches ${filters} (${requests}).${whatStoodInTheWay(outcome.result)}`
    return settings.failIfNotFound
      ? {
          failure: `${message} Loosen the filters, or set fail-if-not-found: false.`,
          note: undefined
        }
      : { failure: undefined, note: `${message} ${PASSES_WITHOUT_BUILD}` }
  }
  const chosen =
    `Chose build ${outputs['build-number']} (${outputs['build-id']}, app version ${outputs['app-version'] || '?'}, ` +
    `${outputs.platform || '?'}) of ${app}`
  const expiry = `expires ${outputs['expiration-date'] || 'never'} (${outputs['expires-in-days'] || '?'} days)`
  const note = settings.filters.appStoreStates
    ? `${chosen}: the build of App Store version ${outputs['app-store-version']} (${outputs['app-store-state']}), ` +
      `the newest of ${plural(outcome.result.considered, 'version')} with ${filters}; ` +
      `in TestFlight it ${outputs.expired === 'true' ? 'has expired, which does not matter on the App Store' : expiry}; ${requests}.`
    : `${chosen}: the ${describeRule(settings.latestBy, settings.filters)} of ` +
      `${plural(outcome.result.considered, 'build')} with ${filters}; ${expiry}; ${requests}.`
  return { failure: expiryGateFailure(settings, outputs, app), note }
}

/** A cancelled job: what it had done, what it had not, and what to do. */
function whatTheCancelLeft(outputs: Outputs): string {
  if (outputs.found !== 'true') {
    return 'It stopped before a build was found, so found is false: run the job again to search.'
  }
  // Only next-build-number comes after the build is found.
  return (
    `Build ${outputs.version} (${outputs['build-id']}) had been found and its outputs are written, ` +
    'but next-build-number was not worked out and is empty: run the job again for it.'
  )
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
  const appStore = result?.appStoreVersionsSeen
  if (appStore) {
    if (appStore.inStates) {
      return ` Its App Store versions in those states ship no such build: ${appStore.versions.join(', ')}.`
    }
    return appStore.versions.length > 0
      ? ` Its App Store versions are in other states: ${appStore.versions.join(', ')}.`
      : ' It has no App Store version there yet.'
  }
  if (result && result.unknownValues.length > 0) {
    return (
      ` Builds with values this action does not know were not taken (${result.unknownValues.join(', ')}): ` +
      'Apple adds values over time; see them in App Store Connect.'
    )
  }
  return ''
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
  return `Build ${outputs['build-number']} of ${appLabel} ${when}, fewer than min-days-until-expiry (${gate}): upload a fresh build.`
}

/** "1 request", "3 requests". */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
