// The traps planted among the newest uploads, which break naive "latest build" logic: each one
// a slot in the upload history with what it does to its build, and a landmark naming it.
import { MAIN_BUNDLE_ID, NEWEST_UPLOAD_BUNDLE_ID, type AppPlan } from './app-plans.js'
import { BUILD_LIFETIME_DAYS } from './lifecycle.js'
import type { LandmarkName, SandboxBuild } from './records.js'
import type { ExternalBetaState, InternalBetaState, Platform } from './schema.js'
import { addPacificDays, DAY, HOUR, MINUTE, SECOND } from './time.js'

/** One upload to be numbered and described, in upload order. */
export interface Slot {
  ms: number
  platform: Platform
  /** 'forced': a hotfix of the previous marketing version; 'none': may still become one by chance */
  hotfix: 'none' | 'forced'
  trap?: (build: SandboxBuild) => void
  landmark?: LandmarkName
  /** TestFlight states planted with the trap; otherwise they follow from the build. */
  beta?: readonly [InternalBetaState, ExternalBetaState]
  /** Belongs to the train the traps open (plan.trapsOpenNewTrain). */
  newTrain?: boolean
}

/**
 * VALID iOS builds of the main app, export compliance answered, one in each TestFlight state
 * that tells readiness apart: [uploaded 3 h and this many minutes ago, landmark, internal state,
 * external state].
 */
const ANSWERED_IN_EACH_STATE: ReadonlyArray<
  readonly [number, LandmarkName, InternalBetaState, ExternalBetaState]
> = [
  [55, 'weather.ios.betaApproved', 'IN_BETA_TESTING', 'BETA_APPROVED'],
  [48, 'weather.ios.waitingForBetaReview', 'IN_BETA_TESTING', 'WAITING_FOR_BETA_REVIEW'],
  [41, 'weather.ios.inBetaReview', 'READY_FOR_BETA_TESTING', 'IN_BETA_REVIEW'],
  [34, 'weather.ios.readyForBetaSubmission', 'READY_FOR_BETA_TESTING', 'READY_FOR_BETA_SUBMISSION'],
  [27, 'weather.ios.betaRejected', 'READY_FOR_BETA_TESTING', 'BETA_REJECTED']
]

/** The planted uploads of an app, oldest first; most apps have none. */
export function trapsFor(plan: AppPlan, nowMs: number): Slot[] {
  const ago = (h: number, m: number, s = 0) => nowMs - h * HOUR - m * MINUTE - s * SECOND
  if (plan.app.bundleId === MAIN_BUNDLE_ID) {
    const ios = (
      ms: number,
      landmark: LandmarkName,
      trap: (b: SandboxBuild) => void,
      beta?: readonly [InternalBetaState, ExternalBetaState]
    ): Slot => ({ ms, platform: 'IOS', hotfix: 'none', trap, landmark, beta })
    // Oldest first. VALID iOS builds in every TestFlight state, so that "ready for internal
    // testing", "ready for external testing" and "usable for the App Store" each pick another
    // build than "latest VALID"; then a hotfix of the previous marketing version uploaded after
    // builds with higher numbers (the latest VALID iOS build, with export compliance missing), a
    // build expired by hand, a failed one and one still processing; and macOS builds newer than
    // all of them (the newest VALID build and the newest upload are not iOS).
    return [
      ...ANSWERED_IN_EACH_STATE.map(([minutes, landmark, internal, external]) =>
        ios(ago(3, minutes), landmark, answered, [internal, external])
      ),
      ios(
        ago(3, 20),
        'weather.ios.internalOnly',
        b => {
          answered(b)
          b.buildAudienceType = 'INTERNAL_ONLY'
        },
        ['READY_FOR_BETA_TESTING', 'NOT_APPLICABLE']
      ),
      ios(
        ago(3, 12),
        'weather.ios.inExportComplianceReview',
        b => {
          usable(b)
          b.usesNonExemptEncryption = true
        },
        ['IN_EXPORT_COMPLIANCE_REVIEW', 'IN_EXPORT_COMPLIANCE_REVIEW']
      ),
      {
        ms: ago(3, 4, 27),
        platform: 'IOS',
        hotfix: 'forced',
        landmark: 'weather.ios.latestValid',
        trap: b => {
          usable(b)
          b.usesNonExemptEncryption = null
        }
      },
      ios(ago(2, 9, 3), 'weather.ios.expiredByHand', b => {
        answered(b)
        b.expired = true
      }),
      ios(ago(0, 52, 41), 'weather.ios.failed', b => {
        b.processingState = 'FAILED'
        b.expired = false
      }),
      {
        ms: ago(0, 30, 8),
        platform: 'MAC_OS',
        hotfix: 'none',
        landmark: 'weather.mac.latestValid',
        trap: answered,
        beta: ['IN_BETA_TESTING', 'BETA_APPROVED']
      },
      ios(ago(0, 7, 12), 'weather.ios.processing', processing),
      {
        ms: ago(0, 4, 2),
        platform: 'MAC_OS',
        hotfix: 'none',
        landmark: 'weather.mac.processing',
        trap: processing
      }
    ]
  }
  if (plan.app.bundleId === NEWEST_UPLOAD_BUNDLE_ID) {
    // A new marketing version whose build numbers start again at 1.
    return [
      { ms: ago(1, 12, 40), platform: 'IOS', hotfix: 'none', trap: answered, newTrain: true },
      {
        ms: ago(0, 2, 5),
        platform: 'IOS',
        hotfix: 'none',
        trap: answered,
        newTrain: true,
        landmark: 'widget.ios.newest'
      }
    ]
  }
  if (plan.app.bundleId === 'com.example.news.ios') {
    // `expired` can lag `expirationDate` (reference notes, "Things that have broken in the
    // wild"): this build passed its date 40 minutes ago and Apple still says expired: false,
    // for six more hours.
    return [
      {
        ms: uploadedToExpireAt(nowMs - 40 * MINUTE),
        platform: 'IOS',
        hotfix: 'none',
        landmark: 'newsIos.ios.expiryLagging',
        trap: b => {
          answered(b)
          b.expired = false
          b.expiryLagMs = 6 * HOUR
        },
        beta: ['IN_BETA_TESTING', 'IN_BETA_TESTING']
      }
    ]
  }
  return []
}

/** The upload instant whose expiration (90 Pacific calendar days later) is `expiresMs`. */
function uploadedToExpireAt(expiresMs: number): number {
  let ms = expiresMs - BUILD_LIFETIME_DAYS * DAY
  for (let i = 0; i < 2; i++) ms += expiresMs - addPacificDays(ms, BUILD_LIFETIME_DAYS)
  return Math.floor(ms / 1000) * 1000
}

export function usable(b: SandboxBuild): void {
  b.processingState = 'VALID'
  b.expired = false
  b.buildAudienceType = 'APP_STORE_ELIGIBLE'
}

/** Usable, with the export compliance question answered (Info.plist says no non-exempt encryption). */
function answered(b: SandboxBuild): void {
  usable(b)
  b.usesNonExemptEncryption = false
}

function processing(b: SandboxBuild): void {
  b.processingState = 'PROCESSING'
  b.buildAudienceType = 'APP_STORE_ELIGIBLE'
  b.iconAssetToken = null
  b.usesNonExemptEncryption = null
  b.expired = false
}
