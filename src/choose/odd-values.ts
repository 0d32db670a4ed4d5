// Values in an answer that the action cannot take as they are. A value not of the form Apple's
// values have (a state of "##[warning]...", a build number with a space) leaves its build out,
// with a warning. A value of Apple's form that no list here holds is one Apple added later: the
// build stays, but counts as neither ready nor in flight, with a note. Either way one build is
// degraded, never the whole answer.
import {
  BUILD_AUDIENCE_TYPES,
  DOTTED_NUMBER,
  ENUM_VALUE,
  EXTERNAL_BUILD_STATES,
  INTERNAL_BUILD_STATES,
  isIsoDate,
  PLATFORMS,
  PROCESSING_STATES
} from '../apple/apple-types.js'
import { log } from '../log.js'
import type { FoundBuild } from './search-types.js'

export interface OddValues {
  /** Values not of Apple's form, as `name "value"`: the build is left out. */
  unreadable: string[]
  /** Values of Apple's form that the action does not know, as `name VALUE`. */
  unknown: string[]
}

/** Longest part of an odd value quoted in a message. */
const QUOTED = 64

/** The odd values of a build, by field. */
export function oddValuesOf(build: FoundBuild): OddValues {
  const attributes = build.resource.attributes ?? {}
  const odd: OddValues = { unreadable: [], unknown: [] }
  const enumField = (name: string, value: string | undefined, known: readonly string[]): void => {
    if (value === undefined || known.includes(value)) return
    if (ENUM_VALUE.test(value)) odd.unknown.push(`${name} ${value}`)
    else odd.unreadable.push(`${name} ${quoted(value)}`)
  }
  const formField = (
    name: string,
    value: string | undefined,
    test: (v: string) => boolean
  ): void => {
    if (value !== undefined && value !== '' && !test(value))
      odd.unreadable.push(`${name} ${quoted(value)}`)
  }
  formField('version', attributes.version, value => DOTTED_NUMBER.test(value))
  formField('uploadedDate', attributes.uploadedDate, isIsoDate)
  formField('expirationDate', attributes.expirationDate, isIsoDate)
  formField('app version', build.preReleaseVersion?.version, value => DOTTED_NUMBER.test(value))
  enumField('processingState', attributes.processingState, PROCESSING_STATES)
  enumField('buildAudienceType', attributes.buildAudienceType, BUILD_AUDIENCE_TYPES)
  enumField('platform', build.preReleaseVersion?.platform, PLATFORMS)
  enumField('internalBuildState', build.betaDetail?.internalBuildState, INTERNAL_BUILD_STATES)
  enumField('externalBuildState', build.betaDetail?.externalBuildState, EXTERNAL_BUILD_STATES)
  formField('App Store version', build.appStoreVersion?.versionString, value =>
    DOTTED_NUMBER.test(value)
  )
  // An App Store state Apple adds later says nothing of TestFlight: only its form is checked.
  formField('appVersionState', build.appStoreVersion?.state, value => ENUM_VALUE.test(value))
  return odd
}

function quoted(value: string): string {
  return JSON.stringify(value.length > QUOTED ? `${value.slice(0, QUOTED)}…` : value)
}

/** Builds already spoken of, so that each is named once in a run (a wait reads it often). */
const named = new Set<string>()

/**
 * The builds that can be taken, in their order: those with an unreadable value are left out
 * with a warning; those with an unknown one are kept (filters and readiness do not take them)
 * and named once. Returns what was unknown, for the not-found message.
 */
export function withoutUnreadable(builds: readonly FoundBuild[]): {
  builds: FoundBuild[]
  unknown: string[]
} {
  const kept: FoundBuild[] = []
  const unknown = new Set<string>()
  for (const build of builds) {
    const odd = oddValuesOf(build)
    odd.unknown.forEach(value => unknown.add(value))
    const first = !named.has(build.id)
    if (odd.unreadable.length > 0 || odd.unknown.length > 0) named.add(build.id)
    if (odd.unreadable.length > 0) {
      if (first) {
        log.warning(
          `Left out build ${build.id}: App Store Connect sent ${odd.unreadable.join(', ')}, not of the form Apple's values have.`
        )
      }
      continue
    }
    if (odd.unknown.length > 0 && first) {
      log.info(
        `Build ${build.buildNumber || '?'} (${build.id}) has ${odd.unknown.join(', ')}, ` +
          `which this action does not know (Apple adds values): it counts as neither ready nor in flight.`
      )
    }
    kept.push(build)
  }
  return { builds: kept, unknown: [...unknown] }
}
