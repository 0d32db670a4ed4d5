// The only reader of inputs: one table of every input, its default and its parser, and the
// settings the rest of the action gets from them. Everything is checked before any request.
import {
  APP_VERSION_STATES,
  BUILD_AUDIENCE_TYPES,
  DOTTED_NUMBER,
  isOneOf,
  OLDER_APP_STORE_STATE_NAMES,
  PLATFORMS,
  platformOf,
  PROCESSING_STATES,
  type AppVersionState,
  type Platform,
  type ProcessingState
} from './apple/apple-types.js'
import { keyPieces, parsePrivateKey, type ParsedPrivateKey } from './apple/private-key.js'
import { READY_FOR_VALUES } from './choose/readiness.js'
import {
  LATEST_BY_RULES,
  type AppSelector,
  type BuildFilters,
  type LatestBy
} from './choose/search-types.js'
import { isLoopbackHost } from './dispatcher.js'
import { InputError } from './errors.js'

interface InputSpec<T> {
  /** The default action.yml declares; empty: not set. */
  default: string
  /** The value (trimmed, the default when empty) as a setting; throws InputError. */
  parse: (value: string) => T
  /** Longest value taken (trimmed); a longer one is refused unread and never echoed. */
  maxLength: number
}

/** Enough for any value of any input but the key and the URL, which say their own. */
const DEFAULT_MAX_LENGTH = 256

function input<T>(
  defaultValue: string,
  parse: (value: string) => T,
  maxLength = DEFAULT_MAX_LENGTH
): InputSpec<T> {
  return { default: defaultValue, parse, maxLength }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Apple's limit on bundle identifiers. */
const MAX_BUNDLE_ID_LENGTH = 155
/**
 * GitHub's tokens are opaque and change shape (installation tokens became JWTs of about 520
 * characters in 2026): any length an HTTP header carries (servers refuse headers past 8 KB).
 */
const MAX_GITHUB_TOKEN_LENGTH = 8192
/** TestFlight builds expire 90 days after upload; whole days left are at most 89. */
const MAX_EXPIRY_GATE_DAYS = 89

/** Every input the action reads: action.yml declares the same names and defaults. */
export const INPUTS = {
  'issuer-id': input('', parseIssuerId),
  'key-id': input('', parseKeyId),
  'private-key': input(
    '',
    value => parsePrivateKey(required(value, 'private-key', 'the contents of the .p8 file')),
    8192
  ),
  'app-id': input('', parseAppId),
  'bundle-id': input('', parseBundleId, MAX_BUNDLE_ID_LENGTH),
  platform: input('ios', parsePlatform),
  'app-version': input('', value => parseVersion(value, 'app-version', '2.4 or 1.4.2')),
  'build-number': input('', value => parseBuildNumber(value, 'build-number') || undefined),
  'build-audience-type': input('', value =>
    optionalEnum(value, 'build-audience-type', BUILD_AUDIENCE_TYPES)
  ),
  'processing-state': input('VALID', parseProcessingStates),
  'ready-for': input('any', value => requiredEnum(value, 'ready-for', READY_FOR_VALUES)),
  // Every state, in either spelling, fits.
  'app-store-state': input('', parseAppStoreStates, 1024),
  'include-expired': input('false', boolean('include-expired')),
  'latest-by': input('uploaded-date', value => requiredEnum(value, 'latest-by', LATEST_BY_RULES)),
  'next-build-number': input('false', boolean('next-build-number')),
  'initial-build-number': input('1', value => parseBuildNumber(value, 'initial-build-number')),
  'wait-minutes': input('0', integer('wait-minutes', 0, 180)),
  'wait-interval-seconds': input('30', integer('wait-interval-seconds', 1, 600)),
  'fail-if-not-found': input('true', boolean('fail-if-not-found')),
  'min-days-until-expiry': input('0', integer('min-days-until-expiry', 0, MAX_EXPIRY_GATE_DAYS)),
  'job-summary': input('true', boolean('job-summary')),
  'api-base-url': input('https://api.appstoreconnect.apple.com', parseApiBaseUrl, 2048),
  'timeout-seconds': input('30', integer('timeout-seconds', 1, 600)),
  'total-timeout-minutes': input('10', minutes('total-timeout-minutes', 0.1, 360)),
  'max-attempts': input('4', integer('max-attempts', 1, 10)),
  'pr-comment': input('false', boolean('pr-comment')),
  'github-token': input('', value => value, MAX_GITHUB_TOKEN_LENGTH)
} as const

export type InputName = keyof typeof INPUTS
type InputValues = { [Name in InputName]: ReturnType<(typeof INPUTS)[Name]['parse']> }

/** The defaults of the table, by input name. */
export const INPUT_DEFAULTS = Object.fromEntries(
  Object.entries(INPUTS).map(([name, spec]) => [name, spec.default])
) as Record<InputName, string>

export interface Settings {
  issuerId: string | undefined
  keyId: string
  privateKey: ParsedPrivateKey
  app: AppSelector
  filters: BuildFilters
  latestBy: LatestBy
  /** The older appStoreState names given in app-store-state, each with the name it stands for. */
  appStoreStateRenames: string[]
  /** Also work out the next free build number. */
  nextBuildNumber: boolean
  /** The next build number when none is in use, and the lowest it can ever be. */
  initialBuildNumber: string
  /** How long to wait for the build to be ready; 0 answers at once. */
  waitMs: number
  waitIntervalMs: number
  failIfNotFound: boolean
  minDaysUntilExpiry: number
  jobSummary: boolean
  /** Origin (and optional path prefix) of the API, without a trailing slash. */
  apiBaseUrl: string
  timeoutMs: number
  /** The whole run's time limit (total-timeout-minutes), in milliseconds. */
  totalTimeoutMs: number
  /** Tries per request, the first included. */
  maxAttempts: number
  prComment: boolean
  githubToken: string
}

/** Reads an input by name; empty string when unset (as `core.getInput` does). */
export type InputReader = (name: InputName) => string

/**
 * Reads and checks every input, before any request is made. All problems are reported
 * together in one error, each naming its input and what to change.
 * `maskSecret` is called with the key (in every form) before anything else can log it.
 */
export function readSettings(
  read: InputReader,
  maskSecret: (secret: string) => void,
  /** Why the run got no secrets (a fork's pull request, say), if it did not. */
  secretsWithheld?: string
): Settings {
  const masked = new Set<string>()
  const mask = (secret: string): void => {
    if (secret !== '' && !masked.has(secret)) maskSecret(secret)
    masked.add(secret)
  }
  // Masked before it is parsed, in every form a log line could show it, readable or not.
  const rawKey = read('private-key')
  if (rawKey.trim() !== '') [rawKey, ...keyPieces(rawKey)].forEach(mask)
  // The GitHub token is read only for the comment, and masked whole, unparsed: it is opaque.
  const commenting = read('pr-comment').trim().toLowerCase() === 'true'
  if (commenting) mask(read('github-token').trim())

  const credentials = ['issuer-id', 'key-id', 'private-key'] as const
  if (secretsWithheld && credentials.every(name => read(name).trim() === '')) {
    throw new InputError(
      `issuer-id, key-id and private-key are all empty: this pull request is ${secretsWithheld}, and GitHub gives ` +
        'such runs no repository secrets. Skip the step there with ' +
        "if: github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'."
    )
  }
  const problems: string[] = []
  const values: Partial<InputValues> = {}
  for (const [name, spec] of Object.entries(INPUTS) as Array<[InputName, InputSpec<unknown>]>) {
    if (name === 'github-token' && !commenting) continue
    const given = read(name).trim()
    if (given.length > spec.maxLength) {
      problems.push(
        `${name} is ${given.length} characters long, more than the ${spec.maxLength} it takes (not shown).`
      )
      continue
    }
    parseOrNoteProblem(problems, () => {
      ;(values as Record<string, unknown>)[name] = spec.parse(given === '' ? spec.default : given)
    })
  }
  values['private-key']?.secretForms.forEach(mask)
  const app = parseOrNoteProblem(problems, () =>
    appSelector(values['app-id'], values['bundle-id'], problems)
  )
  if (values['app-store-state']) problems.push(...appStoreClashes(values))

  if (problems.length > 0) {
    const heading =
      problems.length === 1 ? 'Invalid input: ' : `${problems.length} invalid inputs: `
    throw new InputError(heading + problems.join(' '))
  }
  const all = values as InputValues
  return {
    issuerId: all['issuer-id'],
    keyId: all['key-id'],
    privateKey: all['private-key'],
    app: app!,
    filters: {
      platform: all.platform,
      appVersion: all['app-version'],
      buildNumber: all['build-number'],
      buildAudienceType: all['build-audience-type'],
      processingStates: all['processing-state'],
      includeExpired: all['include-expired'],
      readyFor: all['ready-for'],
      ...(all['app-store-state'] ? { appStoreStates: all['app-store-state'].states } : {})
    },
    appStoreStateRenames: all['app-store-state']?.renamed ?? [],
    nextBuildNumber: all['next-build-number'],
    initialBuildNumber: all['initial-build-number'],
    waitMs: all['wait-minutes'] * 60_000,
    waitIntervalMs: all['wait-interval-seconds'] * 1000,
    latestBy: all['latest-by'],
    failIfNotFound: all['fail-if-not-found'],
    minDaysUntilExpiry: all['min-days-until-expiry'],
    jobSummary: all['job-summary'],
    apiBaseUrl: all['api-base-url'],
    timeoutMs: all['timeout-seconds'] * 1000,
    totalTimeoutMs: Math.round(all['total-timeout-minutes'] * 60_000),
    maxAttempts: all['max-attempts'],
    prComment: all['pr-comment'],
    githubToken: all['github-token'] ?? ''
  }
}

/** Runs a parse; an InputError becomes one more problem, anything else is a bug and is thrown. */
function parseOrNoteProblem<T>(problems: string[], parse: () => T): T | undefined {
  try {
    return parse()
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    problems.push(error.message)
    return undefined
  }
}

/** Rejected values are quoted up to this many characters, never more. */
const SHOWN_PREFIX = 24

/**
 * A rejected value, quoted for the error: a short prefix at most. A value that may be a
 * secret pasted into the wrong input (long, several lines, or a key) is described instead.
 */
function rejectedValue(value: string): string {
  if (value.length > 64 || /[\r\n]|PRIVATE KEY/.test(value)) {
    return `the value given (${value.length} characters, not shown in case it is a secret)`
  }
  if (value.length > SHOWN_PREFIX) {
    return `"${value.slice(0, SHOWN_PREFIX)}…" (${value.length} characters)`
  }
  return `"${value}"`
}

function required(given: string, name: string, what: string): string {
  if (given === '') throw new InputError(`${name} is required: set it to ${what}.`)
  return given
}

function parseKeyId(given: string): string {
  required(
    given,
    'key-id',
    'the Key ID of the App Store Connect API key (10 characters, e.g. 2X9R4HXF34)'
  )
  if (UUID.test(given)) {
    throw new InputError(
      'key-id looks like an Issuer ID (a UUID): set key-id to the 10-character Key ID and issuer-id to the UUID.'
    )
  }
  if (!/^[A-Za-z0-9]{10}$/.test(given)) {
    throw new InputError(
      `key-id must be the 10-character Key ID of the API key (letters and digits, e.g. 2X9R4HXF34), not ${rejectedValue(given)}.`
    )
  }
  return given
}

function parseIssuerId(given: string): string | undefined {
  if (given === '') return undefined
  if (!UUID.test(given)) {
    throw new InputError(
      'issuer-id must be the Issuer ID shown above the team keys in App Store Connect, a UUID such as ' +
        '57246542-96fe-1a63-e053-0824d011072a; leave it empty for an individual key.'
    )
  }
  return given.toLowerCase()
}

function parseAppId(given: string): string | undefined {
  if (given === '') return undefined
  if (!/^\d{1,20}$/.test(given)) {
    throw new InputError(
      `app-id must be the numeric Apple ID of the app (App Information in App Store Connect, e.g. 1234567890), not ${rejectedValue(given)}.`
    )
  }
  return given
}

/**
 * Apple's bundle identifiers: letters, digits, hyphens and dots, at most 155 characters (the
 * input's length limit refuses a longer one before it is parsed).
 */
function parseBundleId(given: string): string | undefined {
  if (given === '') return undefined
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(given)) {
    throw new InputError(
      `bundle-id must be a bundle identifier of at most ${MAX_BUNDLE_ID_LENGTH} letters, digits, hyphens and dots (e.g. com.example.app), not ${rejectedValue(given)}.`
    )
  }
  return given
}

function appSelector(
  appId: string | undefined,
  bundleId: string | undefined,
  problems: string[]
): AppSelector | undefined {
  if (appId !== undefined && bundleId !== undefined) {
    throw new InputError('app-id and bundle-id are both set: set only one of them.')
  }
  if (appId !== undefined) return { appId }
  if (bundleId !== undefined) return { bundleId }
  // A malformed app-id or bundle-id has been reported already.
  if (problems.some(problem => /^(app-id|bundle-id) /.test(problem))) return undefined
  throw new InputError(
    'Neither app-id nor bundle-id is set: set app-id to the numeric Apple ID of the app, or bundle-id to its bundle identifier.'
  )
}

/**
 * App Store version states (AppVersionState), comma-separated. The older appStoreState names
 * Apple still documents are taken for the state they stand for.
 */
function parseAppStoreStates(
  given: string
): { states: AppVersionState[]; renamed: string[] } | undefined {
  if (given === '') return undefined
  const names = given
    .split(',')
    .map(part => part.trim().toUpperCase())
    .filter(part => part !== '')
  const states: AppVersionState[] = []
  const renamed: string[] = []
  const unknown: string[] = []
  for (const name of names) {
    const newer = OLDER_APP_STORE_STATE_NAMES[name]
    if (newer) renamed.push(`${name} is the older name of ${newer}`)
    const state = newer ?? name
    if (isOneOf(APP_VERSION_STATES, state)) states.push(state)
    else unknown.push(name)
  }
  if (unknown.length > 0 || states.length === 0) {
    throw new InputError(
      `app-store-state must list App Store version states from ${APP_VERSION_STATES.join(', ')} ` +
        `(or READY_FOR_SALE, PROCESSING_FOR_APP_STORE, their older names), not ${rejectedValue(unknown.join(',') || given)}.`
    )
  }
  return { states: [...new Set(states)], renamed }
}

/** What app-store-state cannot go with: TestFlight readiness, and waiting for processing. */
function appStoreClashes(values: Partial<InputValues>): string[] {
  const clashes: string[] = []
  if (values['ready-for'] !== undefined && values['ready-for'] !== 'any') {
    clashes.push(
      'ready-for is a TestFlight check, which means nothing for the build of an App Store version (app-store-state): ' +
        'leave ready-for unset with app-store-state, or check TestFlight readiness in a step of its own.'
    )
  }
  if (values['wait-minutes']) {
    clashes.push(
      'wait-minutes waits for TestFlight processing, which the build of an App Store version (app-store-state) is past: ' +
        'leave wait-minutes unset with app-store-state.'
    )
  }
  return clashes
}

/** A platform, or undefined for `any`: every platform. */
function parsePlatform(given: string): Platform | undefined {
  if (given.toLowerCase() === 'any') return undefined
  const platform = platformOf(given)
  if (!platform) {
    throw new InputError(
      `platform must be one of ${PLATFORMS.join(', ')} (or ios, macos, tvos, visionos), or any, not ${rejectedValue(given)}.`
    )
  }
  return platform
}

/**
 * A marketing version: one to three period-separated integers, as Apple requires of
 * CFBundleShortVersionString. A comma would read as "or".
 */
function parseVersion(given: string, name: string, example: string): string | undefined {
  if (given === '') return undefined
  if (!/^\d{1,18}(\.\d{1,18}){0,2}$/.test(given)) {
    throw new InputError(
      `${name} must be one version of one to three period-separated integers, such as ${example}, not ${rejectedValue(given)}.`
    )
  }
  return given
}

/**
 * A build number (CFBundleVersion) as Apple accepts it: dot-separated integers, as many parts
 * as it has (Apple took 2.0.67.745, though its documentation says three at most). A comma
 * would read as "or".
 */
function parseBuildNumber(given: string, name: string): string {
  if (given !== '' && !DOTTED_NUMBER.test(given)) {
    throw new InputError(
      `${name} must be one build number of period-separated integers, such as 512, 1.4.7 or 2.0.67.745, not ${rejectedValue(given)}.`
    )
  }
  return given
}

function optionalEnum<T extends string>(
  given: string,
  name: string,
  allowed: readonly T[]
): T | undefined {
  if (given === '') return undefined
  const match = allowed.find(option => option === given.toUpperCase())
  if (!match)
    throw new InputError(
      `${name} must be one of ${allowed.join(', ')}, not ${rejectedValue(given)}.`
    )
  return match
}

function parseProcessingStates(given: string): ProcessingState[] {
  const names = given
    .split(',')
    .map(part => part.trim())
    .filter(part => part !== '')
  if (names.length === 0) {
    throw new InputError(
      `processing-state must list one or more of ${PROCESSING_STATES.join(', ')}.`
    )
  }
  const states = names.map(name => optionalEnum(name, 'processing-state', PROCESSING_STATES)!)
  return [...new Set(states)]
}

function boolean(name: string): (given: string) => boolean {
  return given => {
    const lower = given.toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
    throw new InputError(`${name} must be true or false, not ${rejectedValue(given)}.`)
  }
}

/** One of a few lower-case words, case-insensitively. */
function requiredEnum<T extends string>(given: string, name: string, allowed: readonly T[]): T {
  const match = allowed.find(option => option === given.toLowerCase())
  if (!match) {
    const options = `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`
    throw new InputError(`${name} must be ${options}, not ${rejectedValue(given)}.`)
  }
  return match
}

function integer(name: string, min: number, max: number): (given: string) => number {
  return given => {
    if (!/^\d+$/.test(given) || Number(given) < min || Number(given) > max) {
      throw new InputError(
        `${name} must be a whole number from ${min} to ${max}, not ${rejectedValue(given)}.`
      )
    }
    return Number(given)
  }
}

/** Minutes, fractions allowed ("0.5" is 30 s). */
function minutes(name: string, min: number, max: number): (given: string) => number {
  return given => {
    const value = Number(given)
    if (!/^\d{1,4}(\.\d{1,3})?$/.test(given) || value < min || value > max) {
      throw new InputError(
        `${name} must be a number of minutes from ${min} to ${max} (fractions allowed, e.g. 2.5), not ${rejectedValue(given)}.`
      )
    }
    return value
  }
}

function parseApiBaseUrl(given: string): string {
  let url: URL
  try {
    url = new URL(given)
  } catch {
    throw new InputError(
      `api-base-url must be an absolute URL such as https://api.appstoreconnect.apple.com, not ${rejectedValue(given)}.`
    )
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError('api-base-url must not carry credentials, a query or a fragment.')
  }
  const loopback = isLoopbackHost(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new InputError(
      `api-base-url must use https (plain http is allowed only for loopback hosts such as 127.0.0.1), not ${rejectedValue(given)}.`
    )
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}
