import {
  BUILD_AUDIENCE_TYPES,
  PLATFORMS,
  PROCESSING_STATES,
  type Platform,
  type ProcessingState
} from './apple/apple-types.js'
import { InputError } from './errors.js'
import { keyPieces, parsePrivateKey, type ParsedPrivateKey } from './apple/private-key.js'
import { LATEST_BY_RULES, type AppSelector, type BuildFilters, type LatestBy } from './choose/search.js'

/** Every input the action reads, with the default action.yml declares (empty: not set). */
export const INPUT_DEFAULTS = {
  'issuer-id': '',
  'key-id': '',
  'private-key': '',
  'app-id': '',
  'bundle-id': '',
  platform: '',
  'app-version': '',
  'build-number': '',
  'build-audience-type': '',
  'processing-state': 'VALID',
  'include-expired': 'false',
  'latest-by': 'uploaded-date',
  'fail-if-not-found': 'true',
  'min-days-until-expiry': '0',
  'job-summary': 'true',
  'api-base-url': 'https://api.appstoreconnect.apple.com',
  'timeout-seconds': '30',
  'max-attempts': '4',
  'pr-comment': 'false',
  'github-token': ''
} as const
export type InputName = keyof typeof INPUT_DEFAULTS

export interface Settings {
  issuerId: string | undefined
  keyId: string
  privateKey: ParsedPrivateKey
  app: AppSelector
  filters: BuildFilters
  latestBy: LatestBy
  failIfNotFound: boolean
  minDaysUntilExpiry: number
  jobSummary: boolean
  /** Origin (and optional path prefix) of the API, without a trailing slash. */
  apiBaseUrl: string
  timeoutMs: number
  /** Tries per request, the first included. */
  maxAttempts: number
  prComment: boolean
  githubToken: string
}

/** Reads an input by name; empty string when unset (as `core.getInput` does). */
export type InputReader = (name: InputName) => string

const PLATFORM_ALIASES: Record<string, Platform> = {
  IOS: 'IOS',
  MAC_OS: 'MAC_OS',
  MACOS: 'MAC_OS',
  TV_OS: 'TV_OS',
  TVOS: 'TV_OS',
  VISION_OS: 'VISION_OS',
  VISIONOS: 'VISION_OS'
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_TIMEOUT_SECONDS = 600
const MAX_ATTEMPTS = 10
/** TestFlight builds expire 90 days after upload; whole days left are at most 89. */
const MAX_EXPIRY_GATE_DAYS = 89

/**
 * Reads and checks every input, before any request is made. All problems are reported
 * together in one error, each naming its input and what to change.
 * `maskSecret` is called with the key (in every form) before anything else can log it.
 */
export function readSettings(read: InputReader, maskSecret: (secret: string) => void): Settings {
  const value = (name: InputName): string => {
    const given = read(name).trim()
    return given === '' ? INPUT_DEFAULTS[name] : given
  }
  const problems: string[] = []
  const masked = new Set<string>()
  const mask = (secret: string): void => {
    if (!masked.has(secret)) maskSecret(secret)
    masked.add(secret)
  }
  const check = <T>(parse: () => T): T | undefined => {
    try {
      return parse()
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      problems.push(error.message)
      return undefined
    }
  }

  // Masked before it is parsed, in every form a log line could show it, readable or not.
  const rawKey = read('private-key')
  if (rawKey.trim() !== '') [rawKey, ...keyPieces(rawKey)].forEach(mask)
  const privateKey = check(() => {
    const parsed = parsePrivateKey(
      required(value('private-key'), 'private-key', 'the contents of the .p8 file')
    )
    parsed.secretForms.forEach(mask)
    return parsed
  })
  const keyId = check(() => parseKeyId(value('key-id')))
  const issuerId = check(() => parseIssuerId(value('issuer-id')))
  const app = check(() => parseApp(value('app-id'), value('bundle-id')))
  const platform = check(() => parsePlatform(value('platform')))
  const appVersion = check(() => parseVersionFilter(value('app-version'), 'app-version'))
  const buildNumber = check(() => parseVersionFilter(value('build-number'), 'build-number'))
  const buildAudienceType = check(() =>
    optionalEnum(value('build-audience-type'), 'build-audience-type', BUILD_AUDIENCE_TYPES)
  )
  const processingStates = check(() => parseProcessingStates(value('processing-state')))
  const includeExpired = check(() => parseBoolean(value('include-expired'), 'include-expired'))
  const latestBy = check(() => parseLatestBy(value('latest-by')))
  const failIfNotFound = check(() => parseBoolean(value('fail-if-not-found'), 'fail-if-not-found'))
  const minDaysUntilExpiry = check(() =>
    parseInteger(value('min-days-until-expiry'), 'min-days-until-expiry', 0, MAX_EXPIRY_GATE_DAYS)
  )
  const jobSummary = check(() => parseBoolean(value('job-summary'), 'job-summary'))
  const apiBaseUrl = check(() => parseApiBaseUrl(value('api-base-url')))
  const timeoutSeconds = check(() =>
    parseInteger(value('timeout-seconds'), 'timeout-seconds', 1, MAX_TIMEOUT_SECONDS)
  )
  const maxAttempts = check(() =>
    parseInteger(value('max-attempts'), 'max-attempts', 1, MAX_ATTEMPTS)
  )

  const prComment = check(() => parseBoolean(value('pr-comment'), 'pr-comment'))
  const githubToken = value('github-token')
  if (githubToken !== '') mask(githubToken)

  if (problems.length > 0) {
    const heading =
      problems.length === 1 ? 'Invalid input: ' : `${problems.length} invalid inputs: `
    throw new InputError(heading + problems.join(' '))
  }
  return {
    issuerId,
    keyId: keyId!,
    privateKey: privateKey!,
    app: app!,
    filters: {
      platform,
      appVersion,
      buildNumber,
      buildAudienceType,
      processingStates: processingStates!,
      includeExpired: includeExpired!
    },
    latestBy: latestBy!,
    failIfNotFound: failIfNotFound!,
    minDaysUntilExpiry: minDaysUntilExpiry!,
    jobSummary: jobSummary!,
    apiBaseUrl: apiBaseUrl!,
    timeoutMs: timeoutSeconds! * 1000,
    maxAttempts: maxAttempts!,
    prComment: prComment!,
    githubToken
  }
}

/**
 * A rejected value, quoted for the error. A value that may be a secret pasted into the wrong
 * input (long, several lines, or a key) is described instead of shown.
 */
function shown(value: string): string {
  if (value.length > 64 || /[\r\n]|PRIVATE KEY/.test(value)) {
    return `the value given (${value.length} characters, not shown in case it is a secret)`
  }
  return `"${value}"`
}

function required(given: string, name: InputName, what: string): string {
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
  if (!/^[A-Za-z0-9]{1,64}$/.test(given)) {
    throw new InputError(
      'key-id must be the Key ID of the API key: letters and digits only, e.g. 2X9R4HXF34.'
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

function parseApp(appId: string, bundleId: string): AppSelector {
  if (appId !== '' && bundleId !== '') {
    throw new InputError('app-id and bundle-id are both set: set only one of them.')
  }
  if (appId === '' && bundleId === '') {
    throw new InputError(
      'Neither app-id nor bundle-id is set: set app-id to the numeric Apple ID of the app, or bundle-id to its bundle identifier.'
    )
  }
  if (appId !== '') {
    if (!/^\d{1,20}$/.test(appId)) {
      throw new InputError(
        `app-id must be the numeric Apple ID of the app (App Information in App Store Connect, e.g. 1234567890), not ${shown(appId)}.`
      )
    }
    return { appId }
  }
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(bundleId)) {
    throw new InputError(
      `bundle-id must be a bundle identifier made of letters, digits, hyphens and dots (e.g. com.example.app), not ${shown(bundleId)}.`
    )
  }
  return { bundleId }
}

function parsePlatform(given: string): Platform | undefined {
  if (given === '') return undefined
  const platform = PLATFORM_ALIASES[given.toUpperCase().replace(/-/g, '_')]
  if (!platform) {
    throw new InputError(
      `platform must be one of ${PLATFORMS.join(', ')} (or ios, macos, tvos, visionos), not ${shown(given)}.`
    )
  }
  return platform
}

function parseVersionFilter(given: string, name: InputName): string | undefined {
  if (given === '') return undefined
  // Apple reads a comma as "or" and would widen the filter silently.
  if (!/^[0-9A-Za-z._-]+$/.test(given)) {
    throw new InputError(
      `${name} must be a single version such as 1.4.2 (digits and dots), not ${shown(given)}.`
    )
  }
  return given
}

function optionalEnum<T extends string>(
  given: string,
  name: InputName,
  allowed: readonly T[]
): T | undefined {
  if (given === '') return undefined
  const match = allowed.find(option => option === given.toUpperCase())
  if (!match)
    throw new InputError(`${name} must be one of ${allowed.join(', ')}, not ${shown(given)}.`)
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

function parseBoolean(given: string, name: InputName): boolean {
  const lower = given.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  throw new InputError(`${name} must be true or false, not ${shown(given)}.`)
}

function parseLatestBy(given: string): LatestBy {
  const rule = LATEST_BY_RULES.find(option => option === given.toLowerCase())
  if (!rule) {
    throw new InputError(`latest-by must be ${LATEST_BY_RULES.join(' or ')}, not ${shown(given)}.`)
  }
  return rule
}

function parseInteger(given: string, name: InputName, min: number, max: number): number {
  if (!/^\d+$/.test(given) || Number(given) < min || Number(given) > max) {
    throw new InputError(
      `${name} must be a whole number from ${min} to ${max}, not ${shown(given)}.`
    )
  }
  return Number(given)
}

function parseApiBaseUrl(given: string): string {
  let url: URL
  try {
    url = new URL(given)
  } catch {
    throw new InputError(
      `api-base-url must be an absolute URL such as https://api.appstoreconnect.apple.com, not ${shown(given)}.`
    )
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError('api-base-url must not carry credentials, a query or a fragment.')
  }
  const loopback = isLoopbackHost(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new InputError(
      `api-base-url must use https (plain http is allowed only for loopback hosts such as 127.0.0.1), not ${shown(given)}.`
    )
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}
