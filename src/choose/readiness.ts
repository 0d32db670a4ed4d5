// "Usable" as Apple means it: VALID is not yet testable. TestFlight readiness lives on the
// build's buildBetaDetail; the App Store also refuses INTERNAL_ONLY builds. Apple cannot
// filter on these, so they are checked here, on what the builds query included.
import type {
  BuildAudienceType,
  ExternalBuildState,
  InternalBuildState,
  Open
} from '../apple/apple-types.js'

export const READY_FOR_VALUES = [
  'any',
  'internal-testing',
  'external-testing',
  'app-store'
] as const
export type ReadyFor = (typeof READY_FOR_VALUES)[number]

/** The TestFlight side of a build, as `include=buildBetaDetail` returns it. */
export interface BetaDetail {
  internalBuildState?: Open<InternalBuildState>
  externalBuildState?: Open<ExternalBuildState>
  /** Set when App Store Connect sent details for the build that disagree: none is trusted. */
  conflicting?: true
}

/** What keeps a build from being ready: the state, and what a person does about it. */
export interface Blocker {
  /** "internal state MISSING_EXPORT_COMPLIANCE" */
  state: string
  advice: string
  /** The state passes by itself (processing, a review): worth waiting for. */
  resolvesByItself: boolean
}

const INTERNAL_READY = new Set<string>(['READY_FOR_BETA_TESTING', 'IN_BETA_TESTING'])
const EXTERNAL_READY = new Set<string>([
  'READY_FOR_BETA_TESTING',
  'IN_BETA_TESTING',
  'BETA_APPROVED'
])
/**
 * Internal states past processing and export compliance: such a build can be submitted to the
 * App Store (an expired one is left to include-expired). A state Apple adds later is not one.
 */
const APP_STORE_READY = new Set<string>(['READY_FOR_BETA_TESTING', 'IN_BETA_TESTING', 'EXPIRED'])

/** What a person does about each state that is not ready; waiting states say so. */
const ADVICE: Record<string, { advice: string; resolvesByItself: boolean }> = {
  PROCESSING: {
    advice: 'TestFlight is still processing it: wait (wait-minutes), then run again.',
    resolvesByItself: true
  },
  PROCESSING_EXCEPTION: {
    advice: 'TestFlight could not process it: upload a new build.',
    resolvesByItself: false
  },
  MISSING_EXPORT_COMPLIANCE: {
    advice:
      'answer the export compliance question for this build in App Store Connect (TestFlight), or set ITSAppUsesNonExemptEncryption in Info.plist for the next upload.',
    resolvesByItself: false
  },
  IN_EXPORT_COMPLIANCE_REVIEW: {
    advice: 'Apple is reviewing its export compliance documentation: wait, then run again.',
    resolvesByItself: true
  },
  EXPIRED: { advice: 'it has expired in TestFlight: upload a new build.', resolvesByItself: false },
  READY_FOR_BETA_SUBMISSION: {
    advice: 'submit it for TestFlight Beta App Review (add it to an external group).',
    resolvesByItself: false
  },
  WAITING_FOR_BETA_REVIEW: {
    advice: 'it waits for Beta App Review: wait, then run again.',
    resolvesByItself: true
  },
  IN_BETA_REVIEW: {
    advice: 'Beta App Review is in progress: wait, then run again.',
    resolvesByItself: true
  },
  BETA_REJECTED: {
    advice: 'Beta App Review rejected it: fix what the review reported and upload a new build.',
    resolvesByItself: false
  },
  NOT_APPLICABLE: {
    advice:
      'it cannot be tested externally (an internal-only build?): upload a build for external testing.',
    resolvesByItself: false
  }
}

/**
 * Why a build is not ready for `readyFor`, or undefined when it is. Missing TestFlight
 * details count as not ready: nothing says the build can be tested.
 */
export function readinessBlocker(
  readyFor: ReadyFor,
  audience: Open<BuildAudienceType> | undefined,
  beta: BetaDetail | undefined
): Blocker | undefined {
  const internal = beta?.internalBuildState
  const external = beta?.externalBuildState
  if (readyFor === 'any') return undefined
  if (beta?.conflicting) {
    return {
      state: 'conflicting TestFlight states',
      advice: 'App Store Connect sent TestFlight details for it that disagree: run again later.',
      resolvesByItself: true
    }
  }
  switch (readyFor) {
    case 'internal-testing':
      return internal && INTERNAL_READY.has(internal) ? undefined : blocker('internal', internal)
    case 'external-testing':
      return external && EXTERNAL_READY.has(external) ? undefined : blocker('external', external)
    case 'app-store':
      if (audience === 'INTERNAL_ONLY') {
        return {
          state: 'audience INTERNAL_ONLY',
          advice:
            'it was uploaded for internal testing only and can never go to the App Store: upload a build without "TestFlight Internal Only".',
          resolvesByItself: false
        }
      }
      if (audience !== undefined && audience !== 'APP_STORE_ELIGIBLE') {
        return {
          state: `audience ${audience}`,
          advice: `App Store Connect shows ${audience}, an audience this action does not know: it is not taken for the App Store; see the build in App Store Connect.`,
          resolvesByItself: false
        }
      }
      // Without a state nothing says export compliance or processing is done.
      return internal && APP_STORE_READY.has(internal) ? undefined : blocker('internal', internal)
  }
}

function blocker(side: 'internal' | 'external', state: string | undefined): Blocker {
  if (state === undefined) {
    return {
      state: `no ${side} TestFlight state`,
      advice: 'App Store Connect sent no TestFlight state for it: run again later.',
      resolvesByItself: true
    }
  }
  const known = ADVICE[state] ?? {
    advice: `App Store Connect shows ${state}, a state this action does not know (Apple adds states): see the build in TestFlight.`,
    resolvesByItself: false
  }
  return { state: `${side} state ${state}`, ...known }
}

/** "ready for external testing", for logs and errors; empty for `any`. */
export function describeReadyFor(readyFor: ReadyFor): string {
  return readyFor === 'any' ? '' : `ready for ${readyFor.replace('-', ' ')}`
}
