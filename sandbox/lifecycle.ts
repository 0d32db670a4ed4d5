// What happens to a build after an upload, as Apple shows it: the TestFlight states that go
// with a processing state (buildBetaDetails), the beta review state they imply, and the
// StateDetail messages of uploads. Shared by the seeded catalogue and the live timeline, so
// both tell the same story.
import type {
  BuildAudienceType,
  ExternalBetaState,
  InternalBetaState,
  ProcessingState
} from './schema.js'

/** How long TestFlight keeps a build, in calendar days. */
export const BUILD_LIFETIME_DAYS = 90

export interface StateDetail {
  code: string
  description: string
}

export interface BetaStates {
  internalBuildState: InternalBetaState
  externalBuildState: ExternalBetaState
}

interface BuildFacts {
  processingState: ProcessingState
  buildAudienceType: BuildAudienceType
  usesNonExemptEncryption: boolean | null
}

/**
 * The states a build settles in without anyone acting on it (reference notes, "From upload to
 * usable"): PROCESSING while processing; PROCESSING_EXCEPTION when processing ended INVALID or
 * FAILED; EXPIRED once expired; MISSING_EXPORT_COMPLIANCE while the encryption question is
 * unanswered (usesNonExemptEncryption null), otherwise ready for internal testing and ready to be
 * submitted for external review. An INTERNAL_ONLY build can never go outside the team, so its
 * external state is NOT_APPLICABLE whatever happens.
 */
export function settledBetaStates(build: BuildFacts, expired: boolean): BetaStates {
  const [internal, external] = ((): [InternalBetaState, ExternalBetaState] => {
    if (expired) return ['EXPIRED', 'EXPIRED']
    switch (build.processingState) {
      case 'PROCESSING':
        return ['PROCESSING', 'PROCESSING']
      case 'FAILED':
      case 'INVALID':
        return ['PROCESSING_EXCEPTION', 'PROCESSING_EXCEPTION']
      case 'VALID':
        return build.usesNonExemptEncryption === null
          ? ['MISSING_EXPORT_COMPLIANCE', 'MISSING_EXPORT_COMPLIANCE']
          : ['READY_FOR_BETA_TESTING', 'READY_FOR_BETA_SUBMISSION']
    }
  })()
  return {
    internalBuildState: internal,
    externalBuildState: forAudience(build.buildAudienceType, external)
  }
}

/** INTERNAL_ONLY builds have no external life: NOT_APPLICABLE. */
export function forAudience(
  audience: BuildAudienceType,
  external: ExternalBetaState
): ExternalBetaState {
  return audience === 'INTERNAL_ONLY' ? 'NOT_APPLICABLE' : external
}

/**
 * The beta review state behind `filter[betaAppReviewSubmission.betaReviewState]` on /v1/builds
 * (WAITING_FOR_REVIEW, IN_REVIEW, REJECTED, APPROVED), read off the external state: a build is
 * in external testing only once its review was approved. Builds never submitted have none.
 */
export function betaReviewStateOf(external: ExternalBetaState): string | undefined {
  switch (external) {
    case 'WAITING_FOR_BETA_REVIEW':
      return 'WAITING_FOR_REVIEW'
    case 'IN_BETA_REVIEW':
      return 'IN_REVIEW'
    case 'BETA_REJECTED':
      return 'REJECTED'
    case 'BETA_APPROVED':
    case 'IN_BETA_TESTING':
      return 'APPROVED'
    default:
      return undefined
  }
}

// StateDetail entries (code, description) of build uploads. Apple's schema gives only the two
// fields; the codes and texts below are those of the upload errors and warnings Apple's tools
// print (ITMS-xxxxx), chosen as typical examples.

export const UPLOAD_ERRORS = {
  invalidSignature: {
    code: 'ITMS-90035',
    description:
      'Invalid Signature. A sealed resource is missing or invalid. Make sure you have signed your application with a distribution certificate, not an ad hoc certificate or a development certificate.'
  },
  missingIcon: {
    code: 'ITMS-90022',
    description:
      "Missing required icon file. The bundle does not contain an app icon for iPhone / iPod Touch of exactly '120x120' pixels, in .png format."
  },
  invalidBundle: {
    code: 'ITMS-90062',
    description:
      'This bundle is invalid. The value for key CFBundleShortVersionString in the Info.plist file must contain a higher version than that of the previously approved version.'
  }
} as const satisfies Record<string, StateDetail>

export const UPLOAD_WARNINGS = {
  pushEntitlement: {
    code: 'ITMS-90078',
    description:
      "Missing Push Notification Entitlement. Your app appears to register with the Apple Push Notification service, but the app signature's entitlements do not include the 'aps-environment' entitlement."
  },
  privacyManifest: {
    code: 'ITMS-91053',
    description:
      'Missing API declaration. Your app’s code references one or more APIs that require reasons, but the privacy manifest does not declare a reason for them.'
  }
} as const satisfies Record<string, StateDetail>

/** Why Apple rejects a second upload of a build number its train already has. */
export function redundantBinary(buildNumber: string, version: string): StateDetail {
  return {
    code: 'ITMS-90189',
    description: `Redundant Binary Upload. You've already uploaded a build with build number '${buildNumber}' for version number '${version}'. Make sure you increment the build string before you upload your app to App Store Connect.`
  }
}

/** A failed upload's errors: Apple explains why in state.errors. */
export function failureDetails(index: number): StateDetail[] {
  const list = Object.values(UPLOAD_ERRORS)
  return [{ ...list[index % list.length]! }]
}
