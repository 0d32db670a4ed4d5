// Outputs reach shells (`run: echo "${{ steps.build.outputs.version }}"`), so each is checked
// against the format Apple documents for it before any is written. An answer that breaks a
// format is not used: the outputs are written as not found and the step fails, naming the
// field without echoing the value.
import { DOTTED_NUMBER, ENUM_VALUE, isIsoDate } from '../apple/apple-types.js'
import { MAX_BUILD_JSON_BYTES, type OutputName, type Outputs } from './outputs.js'

interface Format {
  /** What the value must be, for the message. */
  is: string
  test: (value: string) => boolean
}

/** An https URL with nothing a shell or HTML attribute would read specially. */
const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/[A-Za-z0-9._~/@%+=,:-]*$/

function matches(pattern: RegExp): Format['test'] {
  return value => pattern.test(value)
}
function oneOf(values: readonly string[]): Format['test'] {
  return value => values.includes(value)
}

/** Apple's enum values, open to the ones it adds later; only their form is checked. */
const ENUM = {
  is: 'an upper-case word of letters, digits and underscores',
  test: matches(ENUM_VALUE)
}
const NUMBER = { is: 'dot-separated integers', test: matches(DOTTED_NUMBER) }
const DATE = { is: 'an ISO 8601 date', test: isIsoDate }

const FORMATS: Record<OutputName, Format> = {
  found: { is: 'true or false', test: oneOf(['true', 'false']) },
  'build-id': {
    is: 'a UUID, the form of build ids',
    test: matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  },
  'build-number': NUMBER,
  version: NUMBER,
  'expiration-date': DATE,
  'uploaded-date': DATE,
  'expires-in-days': { is: 'a whole number of days', test: matches(/^-?\d{1,9}$/) },
  expired: { is: 'true or false', test: oneOf(['true', 'false']) },
  'processing-state': ENUM,
  'app-version': NUMBER,
  platform: ENUM,
  'min-os-version': {
    is: 'one to four period-separated integers',
    test: matches(/^\d{1,9}(\.\d{1,9}){0,3}$/)
  },
  'build-audience-type': ENUM,
  'internal-build-state': ENUM,
  'external-build-state': ENUM,
  'app-store-version': NUMBER,
  'app-store-state': ENUM,
  'uses-non-exempt-encryption': { is: 'true or false', test: oneOf(['true', 'false']) },
  'icon-url': { is: 'an https URL', test: value => value.length <= 2048 && HTTPS_URL.test(value) },
  'app-id': { is: 'an Apple ID (digits)', test: matches(/^\d{1,20}$/) },
  'build-json': {
    is: `JSON of at most ${MAX_BUILD_JSON_BYTES / 1024} KB`,
    test: value => Buffer.byteLength(value) <= MAX_BUILD_JSON_BYTES
  },
  'rate-limit-remaining': { is: 'a whole number', test: matches(/^\d{1,9}$/) },
  'next-build-number': NUMBER,
  'waited-seconds': { is: 'a whole number', test: matches(/^\d{1,9}$/) }
}

/** Every output, in the order of the table. */
const NAMES = Object.keys(FORMATS) as OutputName[]

/** Outputs that stand on their own: a broken one is left empty, and the build still stands. */
const OWN_OUTPUTS: readonly OutputName[] = [
  'app-id',
  'rate-limit-remaining',
  'next-build-number',
  'waited-seconds'
]

export interface CheckedOutputs {
  outputs: Outputs
  /** Why the build could not be used; undefined when every output of it is in its format. */
  problem: string | undefined
  /** Outputs of their own left empty, each with why (for a warning). */
  emptied: string[]
}

/**
 * The outputs, each empty or in its format. An output of its own that breaks its format is
 * left empty, and said; any other that does means the build cannot be used: then the outputs
 * of "not found" (those of their own kept) and why.
 */
export function checkOutputs(outputs: Outputs): CheckedOutputs {
  const broken = NAMES.filter(name => outputs[name] !== '' && !FORMATS[name].test(outputs[name]))
  const checked = { ...outputs }
  const emptied = broken
    .filter(name => OWN_OUTPUTS.includes(name))
    .map(name => {
      checked[name] = ''
      return `${name} was left empty: the value worked out is not ${FORMATS[name].is}.`
    })
  const buildFields = broken.filter(name => !OWN_OUTPUTS.includes(name))
  if (buildFields.length === 0) return { outputs: checked, problem: undefined, emptied }
  const notFound = Object.fromEntries(NAMES.map(name => [name, ''])) as Outputs
  notFound.found = 'false'
  for (const name of OWN_OUTPUTS) notFound[name] = checked[name]
  const what = buildFields.map(name => `${name} is not ${FORMATS[name].is}`).join('; ')
  return {
    outputs: notFound,
    problem:
      `App Store Connect sent a build the outputs cannot carry (${what}): found is false. ` +
      'Check that build in App Store Connect; if it looks right there, run the job again, as the answer may have been damaged on its way.',
    emptied
  }
}
