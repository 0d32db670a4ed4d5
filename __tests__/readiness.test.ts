import { describe, expect, it } from '@jest/globals'
import type { ExternalBuildState, InternalBuildState } from '../src/apple/apple-types.js'
import { readinessBlocker, type ReadyFor } from '../src/choose/readiness.js'

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
