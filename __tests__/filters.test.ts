// The client-side re-check of what Apple returned, and the words logs and errors use for it.
import { describe, expect, it } from '@jest/globals'
import {
  describeFilters,
  describeRule,
  filterQuery,
  inputBehindParameter,
  isExpired,
  matchesFilters
} from '../src/choose/filters.js'
import type { BuildFilters } from '../src/choose/search-types.js'
import { buildResource, type BuildSpec } from './support/documents.js'

const NOW = new Date('2026-11-27T12:00:00Z')
const ANY: BuildFilters = { processingStates: ['VALID'], includeExpired: false, readyFor: 'any' }
const IOS_24 = { version: '2.4.0', platform: 'IOS' as const }
const spec = (overrides: Partial<BuildSpec> = {}): BuildSpec => ({
  id: 'b',
  version: '631',
  uploaded: '2026-11-26T10:00:00-08:00',
  audience: 'APP_STORE_ELIGIBLE',
  ...overrides
})
const matches = (
  overrides: Partial<BuildSpec>,
  filters: Partial<BuildFilters>,
  preRelease: { version?: string; platform?: 'IOS' | 'MAC_OS' } | 'none' = IOS_24
): boolean =>
  matchesFilters(
    buildResource(spec(overrides)),
    preRelease === 'none' ? undefined : preRelease,
    { ...ANY, ...filters },
    NOW
  )

describe('matchesFilters re-checks each filter Apple may have ignored', () => {
  it('build-number: only the build with that exact number', () => {
    expect(matches({ version: '631' }, { buildNumber: '631' })).toBe(true)
    expect(matches({ version: '632' }, { buildNumber: '631' })).toBe(false)
    expect(matches({ version: '632' }, {})).toBe(true)
  })

  it('build-audience-type: only builds of that audience', () => {
    expect(matches({ audience: 'INTERNAL_ONLY' }, { buildAudienceType: 'INTERNAL_ONLY' })).toBe(
      true
    )
    expect(
      matches({ audience: 'APP_STORE_ELIGIBLE' }, { buildAudienceType: 'INTERNAL_ONLY' })
    ).toBe(false)
    expect(matches({ audience: 'INTERNAL_ONLY' }, {})).toBe(true)
  })

  it('app-version: the same train in any spelling, nothing else, nor a build without one', () => {
    expect(matches({}, { appVersion: '2.4' })).toBe(true)
    expect(matches({}, { appVersion: '2.4.1' })).toBe(false)
    expect(matches({}, { appVersion: '2.4' }, { platform: 'IOS' })).toBe(false)
    expect(matches({}, { appVersion: '2.4' }, 'none')).toBe(false)
    expect(matches({}, {}, 'none')).toBe(true)
  })

  it('platform: only builds of that platform', () => {
    expect(matches({}, { platform: 'IOS' })).toBe(true)
    expect(matches({}, { platform: 'MAC_OS' })).toBe(false)
    expect(matches({}, { platform: 'IOS' }, 'none')).toBe(false)
  })

  it('processing-state: one of the states asked for, and a build that says none never matches', () => {
    expect(matches({ state: 'PROCESSING' }, {})).toBe(false)
    expect(matches({ state: 'PROCESSING' }, { processingStates: ['VALID', 'PROCESSING'] })).toBe(
      true
    )
    const stateless = buildResource(spec())
    delete stateless.attributes!.processingState
    expect(matchesFilters(stateless, IOS_24, ANY, NOW)).toBe(false)
    expect(matchesFilters({ type: 'builds', id: 'bare' }, IOS_24, ANY, NOW)).toBe(false)
  })

  it('include-expired: expired builds only when asked for', () => {
    expect(matches({ expired: true }, {})).toBe(false)
    expect(matches({ expired: true }, { includeExpired: true })).toBe(true)
    expect(matches({ expires: '2026-11-27T03:59:59-08:00' }, {})).toBe(false)
    expect(matches({ expires: '2026-11-27T03:59:59-08:00' }, { includeExpired: true })).toBe(true)
  })
})

describe('isExpired', () => {
  const expiringAt = (expires: string, expired = false): boolean =>
    isExpired(buildResource(spec({ expires, expired })), NOW)

  it('is expired from the very instant of its expiration date, in any offset', () => {
    expect(expiringAt('2026-11-27T12:00:00Z')).toBe(true)
    expect(expiringAt('2026-11-27T04:00:00-08:00')).toBe(true)
    expect(expiringAt('2026-11-27T12:00:00.001Z')).toBe(false)
    expect(expiringAt('2026-11-27T11:59:59.999Z')).toBe(true)
  })

  it('believes Apple’s flag before the date, and a build without a readable date is not expired', () => {
    expect(expiringAt('2099-01-01T00:00:00Z', true)).toBe(true)
    expect(expiringAt('not a date')).toBe(false)
    expect(isExpired({ type: 'builds', id: 'bare' }, NOW)).toBe(false)
  })
})

describe('filterQuery', () => {
  it('sends only the filters that were set', () => {
    expect(filterQuery('1600000001', ANY)).toEqual({
      'filter[app]': '1600000001',
      'filter[processingState]': 'VALID',
      'filter[expired]': 'false'
    })
    expect(filterQuery('1600000001', { ...ANY, includeExpired: true })).toEqual({
      'filter[app]': '1600000001',
      'filter[processingState]': 'VALID'
    })
  })
})

describe('inputBehindParameter', () => {
  it('names the input behind each query parameter, and none for others', () => {
    expect(inputBehindParameter('filter[version]')).toBe('build-number')
    expect(inputBehindParameter('filter[buildAudienceType]')).toBe('build-audience-type')
    expect(inputBehindParameter('filter[bundleId]')).toBe('bundle-id')
    expect(inputBehindParameter('sort')).toBeUndefined()
  })
})

describe('describeFilters and describeRule', () => {
  it('says every filter that was set, in words', () => {
    expect(describeFilters(ANY)).toBe('processing state VALID, not expired')
    expect(
      describeFilters({
        processingStates: ['VALID', 'PROCESSING'],
        includeExpired: true,
        readyFor: 'any',
        platform: 'TV_OS',
        appVersion: '2.4',
        buildNumber: '631',
        buildAudienceType: 'INTERNAL_ONLY'
      })
    ).toBe(
      'processing state VALID or PROCESSING, expired or not, platform TV_OS, app version 2.4, build number 631, audience INTERNAL_ONLY'
    )
    expect(describeFilters({ ...ANY, readyFor: 'external-testing' })).toBe(
      'processing state VALID, not expired, ready for external testing'
    )
  })

  it('names each rule, and the App Store version’s build with app-store-state', () => {
    expect(describeRule('uploaded-date', ANY)).toBe('most recently uploaded')
    expect(describeRule('build-number', ANY)).toBe('highest-numbered')
    expect(describeRule('app-version', ANY)).toBe('highest-numbered of the highest app version')
    const appStore = { ...ANY, appStoreStates: ['READY_FOR_DISTRIBUTION' as const] }
    expect(describeRule('uploaded-date', appStore)).toBe("newest App Store version's")
  })

  it('describes an App Store search without TestFlight’s filters', () => {
    expect(
      describeFilters({
        ...ANY,
        platform: 'IOS',
        appStoreStates: ['WAITING_FOR_REVIEW', 'IN_REVIEW']
      })
    ).toBe('App Store state WAITING_FOR_REVIEW or IN_REVIEW, platform IOS')
  })
})
