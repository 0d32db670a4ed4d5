import { describe, expect, it } from '@jest/globals'
import type { ExternalBuildState, InternalBuildState } from '../src/apple/apple-types.js'
import { describeReadyFor, readinessBlocker, type ReadyFor } from '../src/choose/readiness.js'

const ready = (
  readyFor: ReadyFor,
  internalBuildState?: InternalBuildState,
  externalBuildState?: ExternalBuildState,
  audience: 'APP_STORE_ELIGIBLE' | 'INTERNAL_ONLY' = 'APP_STORE_ELIGIBLE'
): boolean =>
  readinessBlocker(readyFor, audience, { internalBuildState, externalBuildState }) === undefined

describe('readiness, as the ready-for table says', () => {
  it.each<[InternalBuildState, boolean]>([
    ['READY_FOR_BETA_TESTING', true],
    ['IN_BETA_TESTING', true],
    ['PROCESSING', false],
    ['MISSING_EXPORT_COMPLIANCE', false],
    ['IN_EXPORT_COMPLIANCE_REVIEW', false],
    ['PROCESSING_EXCEPTION', false],
    ['EXPIRED', false]
  ])('internal-testing: internal state %s is ready: %s', (state, expected) => {
    expect(ready('internal-testing', state, 'BETA_APPROVED')).toBe(expected)
  })

  it.each<[ExternalBuildState, boolean]>([
    ['READY_FOR_BETA_TESTING', true],
    ['IN_BETA_TESTING', true],
    ['BETA_APPROVED', true],
    ['READY_FOR_BETA_SUBMISSION', false],
    ['WAITING_FOR_BETA_REVIEW', false],
    ['IN_BETA_REVIEW', false],
    ['BETA_REJECTED', false],
    ['NOT_APPLICABLE', false],
    ['MISSING_EXPORT_COMPLIANCE', false]
  ])('external-testing: external state %s is ready: %s', (state, expected) => {
    expect(ready('external-testing', 'IN_BETA_TESTING', state)).toBe(expected)
  })

  it.each<[InternalBuildState, boolean]>([
    ['READY_FOR_BETA_TESTING', true],
    ['IN_BETA_TESTING', true],
    ['EXPIRED', true],
    ['MISSING_EXPORT_COMPLIANCE', false],
    ['IN_EXPORT_COMPLIANCE_REVIEW', false],
    ['PROCESSING_EXCEPTION', false],
    ['PROCESSING', false]
  ])('app-store: internal state %s is ready: %s', (state, expected) => {
    expect(ready('app-store', state, 'WAITING_FOR_BETA_REVIEW')).toBe(expected)
  })

  it('app-store never takes an INTERNAL_ONLY build, and says why', () => {
    const blocker = readinessBlocker('app-store', 'INTERNAL_ONLY', {
      internalBuildState: 'IN_BETA_TESTING'
    })
    expect(blocker?.state).toBe('audience INTERNAL_ONLY')
    expect(blocker?.advice).toMatch(/can never go to the App Store/)
    expect(blocker?.resolvesByItself).toBe(false)
  })

  it('any takes every build, even one with no TestFlight state', () => {
    expect(readinessBlocker('any', 'INTERNAL_ONLY', undefined)).toBeUndefined()
  })

  it('app-store takes no build in an internal state or of an audience Apple added later', () => {
    expect(
      readinessBlocker('app-store', 'APP_STORE_ELIGIBLE', {
        internalBuildState: 'READY_FOR_TESTING_EXPRESS'
      })
    ).toEqual({
      state: 'internal state READY_FOR_TESTING_EXPRESS',
      advice:
        'App Store Connect shows READY_FOR_TESTING_EXPRESS, a state this action does not know (Apple adds states): see the build in TestFlight.',
      resolvesByItself: false
    })
    expect(
      readinessBlocker('app-store', 'ENTERPRISE_ONLY', { internalBuildState: 'IN_BETA_TESTING' })
    ).toEqual({
      state: 'audience ENTERPRISE_ONLY',
      advice:
        'App Store Connect shows ENTERPRISE_ONLY, an audience this action does not know: it is not taken for the App Store; see the build in App Store Connect.',
      resolvesByItself: false
    })
  })

  it('app-store takes no build without an internal state: nothing says export compliance is done', () => {
    const blocker = readinessBlocker('app-store', 'APP_STORE_ELIGIBLE', undefined)
    expect(blocker?.state).toBe('no internal TestFlight state')
    expect(blocker?.resolvesByItself).toBe(true)
  })

  it.each<ReadyFor>(['internal-testing', 'external-testing', 'app-store'])(
    '%s takes no build whose TestFlight details disagree, and says to run again',
    readyFor => {
      expect(readinessBlocker(readyFor, 'APP_STORE_ELIGIBLE', { conflicting: true })).toEqual({
        state: 'conflicting TestFlight states',
        advice: 'App Store Connect sent TestFlight details for it that disagree: run again later.',
        resolvesByItself: true
      })
    }
  )

  it('a build with no TestFlight state is not ready for testing', () => {
    expect(readinessBlocker('internal-testing', 'APP_STORE_ELIGIBLE', undefined)?.state).toBe(
      'no internal TestFlight state'
    )
  })

  it('tells a person what to do about missing export compliance, and that waiting will not help', () => {
    const blocker = readinessBlocker('app-store', 'APP_STORE_ELIGIBLE', {
      internalBuildState: 'MISSING_EXPORT_COMPLIANCE'
    })
    expect(blocker?.state).toBe('internal state MISSING_EXPORT_COMPLIANCE')
    expect(blocker?.advice).toMatch(/export compliance question.*ITSAppUsesNonExemptEncryption/)
    expect(blocker?.resolvesByItself).toBe(false)
  })

  it.each<ExternalBuildState>(['WAITING_FOR_BETA_REVIEW', 'IN_BETA_REVIEW', 'PROCESSING'])(
    'counts %s as a state that passes by itself',
    state => {
      expect(
        readinessBlocker('external-testing', 'APP_STORE_ELIGIBLE', { externalBuildState: state })
          ?.resolvesByItself
      ).toBe(true)
    }
  )
})

describe('what a person is told about each state that is not ready', () => {
  const WAIT = true
  const ACT = false
  it.each<[InternalBuildState, string, boolean]>([
    ['PROCESSING', 'TestFlight is still processing it: wait (wait-minutes), then run again.', WAIT],
    ['PROCESSING_EXCEPTION', 'TestFlight could not process it: upload a new build.', ACT],
    [
      'MISSING_EXPORT_COMPLIANCE',
      'answer the export compliance question for this build in App Store Connect (TestFlight), or set ITSAppUsesNonExemptEncryption in Info.plist for the next upload.',
      ACT
    ],
    [
      'IN_EXPORT_COMPLIANCE_REVIEW',
      'Apple is reviewing its export compliance documentation: wait, then run again.',
      WAIT
    ],
    ['EXPIRED', 'it has expired in TestFlight: upload a new build.', ACT]
  ])('internal state %s: %s', (state, advice, resolvesByItself) => {
    expect(
      readinessBlocker('internal-testing', 'APP_STORE_ELIGIBLE', { internalBuildState: state })
    ).toEqual({ state: `internal state ${state}`, advice, resolvesByItself })
  })

  it.each<[ExternalBuildState, string, boolean]>([
    [
      'READY_FOR_BETA_SUBMISSION',
      'submit it for TestFlight Beta App Review (add it to an external group).',
      ACT
    ],
    ['WAITING_FOR_BETA_REVIEW', 'it waits for Beta App Review: wait, then run again.', WAIT],
    ['IN_BETA_REVIEW', 'Beta App Review is in progress: wait, then run again.', WAIT],
    [
      'BETA_REJECTED',
      'Beta App Review rejected it: fix what the review reported and upload a new build.',
      ACT
    ],
    [
      'NOT_APPLICABLE',
      'it cannot be tested externally (an internal-only build?): upload a build for external testing.',
      ACT
    ]
  ])('external state %s: %s', (state, advice, resolvesByItself) => {
    expect(
      readinessBlocker('external-testing', 'APP_STORE_ELIGIBLE', { externalBuildState: state })
    ).toEqual({ state: `external state ${state}`, advice, resolvesByItself })
  })

  it('a state Apple added later: shown as it is, not waited for', () => {
    expect(
      readinessBlocker('external-testing', 'APP_STORE_ELIGIBLE', {
        externalBuildState: 'IN_SOME_NEW_STATE'
      })
    ).toEqual({
      state: 'external state IN_SOME_NEW_STATE',
      advice:
        'App Store Connect shows IN_SOME_NEW_STATE, a state this action does not know (Apple adds states): see the build in TestFlight.',
      resolvesByItself: false
    })
  })

  it('no TestFlight state at all: worth waiting for', () => {
    expect(readinessBlocker('external-testing', 'APP_STORE_ELIGIBLE', {})).toEqual({
      state: 'no external TestFlight state',
      advice: 'App Store Connect sent no TestFlight state for it: run again later.',
      resolvesByItself: true
    })
  })
})

describe('describeReadyFor', () => {
  it('says what the build must be ready for, and nothing for any', () => {
    expect(describeReadyFor('any')).toBe('')
    expect(describeReadyFor('internal-testing')).toBe('ready for internal testing')
    expect(describeReadyFor('external-testing')).toBe('ready for external testing')
    expect(describeReadyFor('app-store')).toBe('ready for app store')
  })
})
