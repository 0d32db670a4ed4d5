// Outputs reach shells (`run: echo "${{ steps.build.outputs.version }}"`), so each is checked
// against the format Apple documents for it before any is written. An answer that breaks a
// format is not used: the outputs are written as not found and the step fails, naming the
// field without echoing the value.
import {
  BUILD_AUDIENCE_TYPES,
  EXTERNAL_BUILD_STATES,
  INTERNAL_BUILD_STATES,
  PLATFORMS,
  PROCESSING_STATES
} from '../apple/apple-types.js'
import type { BuildResource } from '../apple/apple-types.js'
import type { OutputName, Outputs } from './outputs.js'

/** Longest `build-json` written; a longer one is left empty (the other outputs still hold it). */
export const MAX_BUILD_JSON_BYTES = 64 * 1024

const VERSION = /^\d{1,18}(\.\d{1,18}){0,2}$/
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/
/** An https URL with nothing a shell or HTML attribute would read specially. */
const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/[A-Za-z0-9._~/@%+=,:-]*$/

interface Format {
  /** What the value must be, for the message. */
  is: string
  test: (value: string) => boolean
}

const matches =
  (pattern: RegExp): Format['test'] =>
  value =>
    pattern.test(value)
const oneOf =
  (values: readonly string[]): Format['test'] =>
  value =>
    values.includes(value)

const FORMATS: Record<OutputName, Format> = {
  found: { is: 'true or false', test: oneOf(['true', 'false']) },
  'build-id': {
    is: 'a UUID, the form of build ids',
    test: matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  },
  version: { is: 'one to three period-separated integers', test: matches(VERSION) },
  'expiration-date': { is: 'an ISO 8601 date', test: isoDate },
  'uploaded-date': { is: 'an ISO 8601 date', test: isoDate },
  'expires-in-days': { is: 'a whole number of days', test: matches(/^-?\d{1,9}$/) },
  expired: { is: 'true or false', test: oneOf(['true', 'false']) },
  'processing-state': {
    is: `one of ${PROCESSING_STATES.join(', ')}`,
    test: oneOf(PROCESSING_STATES)
  },
  'app-version': { is: 'one to three period-separated integers', test: matches(VERSION) },
  platform: { is: `one of ${PLATFORMS.join(', ')}`, test: oneOf(PLATFORMS) },
  'min-os-version': {
    is: 'one to four period-separated integers',
    test: matches(/^\d{1,9}(\.\d{1,9}){0,3}$/)
  },
  'build-audience-type': {
    is: `one of ${BUILD_AUDIENCE_TYPES.join(', ')}`,
    test: oneOf(BUILD_AUDIENCE_TYPES)
  },
  'internal-build-state': {
    is: `one of ${INTERNAL_BUILD_STATES.join(', ')}`,
    test: oneOf(INTERNAL_BUILD_STATES)
  },
  'external-build-state': {
    is: `one of ${EXTERNAL_BUILD_STATES.join(', ')}`,
    test: oneOf(EXTERNAL_BUILD_STATES)
  },
  'uses-non-exempt-encryption': { is: 'true or false', test: oneOf(['true', 'false']) },
  'icon-url': { is: 'an https URL', test: value => value.length <= 2048 && HTTPS_URL.test(value) },
  'app-id': { is: 'an Apple ID (digits)', test: matches(/^\d{1,20}$/) },
  'build-json': {
    is: `JSON of at most ${MAX_BUILD_JSON_BYTES / 1024} KB`,
    test: value => Buffer.byteLength(value) <= MAX_BUILD_JSON_BYTES
  },
  'rate-limit-remaining': { is: 'a whole number', test: matches(/^\d{1,9}$/) },
  'next-build-number': { is: 'one to three period-separated integers', test: matches(VERSION) },
  'waited-seconds': { is: 'a whole number', test: matches(/^\d{1,9}$/) }
}

/** Every output, in the order of the table (outputs.ts is imported for its types only). */
const NAMES = Object.keys(FORMATS) as OutputName[]

function isoDate(value: string): boolean {
  return ISO_8601.test(value) && !Number.isNaN(Date.parse(value))
}

export interface CheckedOutputs {
  outputs: Outputs
  /** Why the answer could not be used; undefined when every output is in its format. */
  problem: string | undefined
}

/**
 * The outputs if every one is empty or in its format. Otherwise the outputs of "not found"
 * (keeping `app-id`, `rate-limit-remaining`, `next-build-number` and `waited-seconds` only
 * if they are in theirs) and why.
 */
export function checkOutputs(outputs: Outputs): CheckedOutputs {
  const broken = NAMES.filter(name => outputs[name] !== '' && !FORMATS[name].test(outputs[name]))
  if (broken.length === 0) return { outputs, problem: undefined }
  const notFound = Object.fromEntries(NAMES.map(name => [name, ''])) as Outputs
  notFound.found = 'false'
  for (const kept of [
    'app-id',
    'rate-limit-remaining',
    'next-build-number',
    'waited-seconds'
  ] as const) {
    if (!broken.includes(kept)) notFound[kept] = outputs[kept]
  }
  const what = broken.map(name => `${name} is not ${FORMATS[name].is}`).join('; ')
  return {
    outputs: notFound,
    problem:
      `App Store Connect's answer broke the format Apple documents for its values (${what}), ` +
      'so it was not used: no output was written as found. The API, or something between it and the runner, sent a malformed answer.'
  }
}

/** The chosen build as compact JSON, or empty when it would be longer than MAX_BUILD_JSON_BYTES. */
export function buildJson(resource: BuildResource): string {
  const json = JSON.stringify(resource)
  return Buffer.byteLength(json) <= MAX_BUILD_JSON_BYTES ? json : ''
}
