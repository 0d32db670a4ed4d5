import { describe, expect, it } from '@jest/globals'
import type { FoundBuild } from '../src/choose/search-types.js'
import { outputsFor } from '../src/report/outputs.js'
import { buildResource, NOT_FOUND_OUTPUTS } from './support/documents.js'

const NOW = new Date('2026-11-27T12:00:00Z')

function found(expires: string, overrides: { expired?: boolean; icon?: null } = {}): FoundBuild {
  const resource = buildResource({
    id: 'b-1',
    version: '512',
    uploaded: '2026-11-20T10:42:15-08:00',
    expires
  })
  resource.attributes!.expired = overrides.expired ?? false
  if (overrides.icon === null) resource.attributes!.iconAssetToken = null
  resource.attributes!.usesNonExemptEncryption = false
  return {
    id: 'b-1',
    buildNumber: '512',
    uploadedDate: '2026-11-20T10:42:15-08:00',
    resource,
    preReleaseVersion: { version: '2.4.0', platform: 'IOS' },
    betaDetail: { internalBuildState: 'IN_BETA_TESTING', externalBuildState: 'BETA_APPROVED' }
  }
}

describe('outputsFor', () => {
  it('fills every output for a found build, dates exactly as Apple wrote them', () => {
    const build = found('2027-02-18T10:42:15-08:00')
    const outputs = outputsFor({ appId: '1600000001', build: build, now: NOW })
    expect(outputs).toEqual({
      found: 'true',
      'build-id': 'b-1',
      // The build number under its own name, and under Apple's.
      'build-number': '512',
      version: '512',
      'expiration-date': '2027-02-18T10:42:15-08:00',
      'uploaded-date': '2026-11-20T10:42:15-08:00',
      'expires-in-days': '83',
      expired: 'false',
      'processing-state': 'VALID',
      'app-version': '2.4.0',
      platform: 'IOS',
      'min-os-version': '17.0',
      'build-audience-type': 'APP_STORE_ELIGIBLE',
      'internal-build-state': 'IN_BETA_TESTING',
      'external-build-state': 'BETA_APPROVED',
      'app-store-version': '',
      'app-store-state': '',
      'uses-non-exempt-encryption': 'false',
      'icon-url': 'https://is1-ssl.mzstatic.com/image/thumb/Purple/v4/ab/Icon.png/1024x1024bb.png',
      'app-id': '1600000001',
      'build-json': expect.any(String),
      'rate-limit-remaining': '',
      'next-build-number': '',
      'waited-seconds': '0'
    })
    // The resource exactly as Apple sent it, on one line.
    expect(JSON.parse(outputs['build-json'])).toEqual(build.resource)
    expect(outputs['build-json']).not.toMatch(/\n|": /)
  })

  it('reports the remaining hourly requests Apple last announced', () => {
    const rateLimit = { limit: 3600, remaining: 3412 }
    expect(
      outputsFor({
        appId: '1',
        build: found('2027-02-01T00:00:00Z'),
        now: NOW,
        rateLimit: rateLimit
      })['rate-limit-remaining']
    ).toBe('3412')
    expect(
      outputsFor({ appId: '1', build: undefined, now: NOW, rateLimit: rateLimit })[
        'rate-limit-remaining'
      ]
    ).toBe('3412')
  })

  it('rounds days left down, so 6.9 days is 6', () => {
    // 6 days and 22 hours after NOW.
    expect(
      outputsFor({ appId: '1', build: found('2026-12-04T10:00:00Z'), now: NOW })['expires-in-days']
    ).toBe('6')
  })

  it('counts negative days and says expired once the date has passed', () => {
    const outputs = outputsFor({ appId: '1', build: found('2026-11-26T11:00:00Z'), now: NOW })
    expect(outputs['expires-in-days']).toBe('-2')
    expect(outputs.expired).toBe('true')
  })

  describe.each([
    // Uploaded in summer time (-07:00), expiring 90 local days later in winter time (-08:00):
    // 90 days and an hour.
    ['November', '2027-01-18T10:00:00-08:00', '2027-01-18T18:00:00Z'],
    // Uploaded in winter time, expiring in summer time: 89 days and 23 hours.
    ['March', '2027-04-10T10:00:00-07:00', '2027-04-10T17:00:00Z']
  ])('across the %s daylight-saving change, by the instant', (_change, expires, instant) => {
    const at = (offsetMs: number): Record<string, string> =>
      outputsFor({
        appId: '1',
        build: found(expires),
        now: new Date(Date.parse(instant) + offsetMs)
      })
    const HOUR = 3_600_000

    it('a day and a half before: 1 whole day left, not expired', () => {
      expect(at(-36 * HOUR)).toMatchObject({ 'expires-in-days': '1', expired: 'false' })
    })

    it('half an hour before (hours after the same clock time read without offsets): 0, not expired', () => {
      expect(at(-HOUR / 2)).toMatchObject({ 'expires-in-days': '0', expired: 'false' })
    })

    it('at the instant: expired', () => {
      expect(at(0)).toMatchObject({ 'expires-in-days': '0', expired: 'true' })
      expect(at(HOUR)).toMatchObject({ 'expires-in-days': '-1', expired: 'true' })
    })
  })

  it('says expired when Apple flags a build expired early', () => {
    expect(
      outputsFor({ appId: '1', build: found('2027-02-01T00:00:00Z', { expired: true }), now: NOW })
        .expired
    ).toBe('true')
  })

  it('leaves icon-url empty for a build without an icon', () => {
    expect(
      outputsFor({ appId: '1', build: found('2027-02-01T00:00:00Z', { icon: null }), now: NOW })[
        'icon-url'
      ]
    ).toBe('')
  })

  it('writes found=false, the app id, and every other output empty when nothing matched', () => {
    const outputs = outputsFor({ appId: '1600000001', build: undefined, now: NOW })
    expect(outputs).toEqual(NOT_FOUND_OUTPUTS)
    expect(outputsFor({ appId: undefined, build: undefined, now: NOW })['app-id']).toBe('')
  })
})

describe('outputsFor, the App Store', () => {
  it('writes the App Store version and its state, when the build is attached to one', () => {
    const build = {
      ...found('2027-02-18T10:42:15-08:00'),
      appStoreVersion: { versionString: '2.4', state: 'WAITING_FOR_REVIEW' }
    }
    expect(outputsFor({ appId: '1', build, now: NOW })).toMatchObject({
      'app-store-version': '2.4',
      'app-store-state': 'WAITING_FOR_REVIEW'
    })
  })
})

describe('outputsFor, TestFlight and next build number', () => {
  it('leaves the TestFlight states and the encryption answer empty when Apple sent none', () => {
    const build = { ...found('2027-02-01T00:00:00Z'), betaDetail: undefined }
    build.resource.attributes!.usesNonExemptEncryption = null
    const outputs = outputsFor({ appId: '1', build, now: NOW })
    expect(outputs['internal-build-state']).toBe('')
    expect(outputs['external-build-state']).toBe('')
    expect(outputs['uses-non-exempt-encryption']).toBe('')
  })

  it('writes true for a build that declares non-exempt encryption', () => {
    const build = found('2027-02-01T00:00:00Z')
    build.resource.attributes!.usesNonExemptEncryption = true
    expect(outputsFor({ appId: '1', build, now: NOW })['uses-non-exempt-encryption']).toBe('true')
  })

  it('writes waited-seconds 0 when nothing was found without a wait', () => {
    expect(outputsFor({ appId: '1', build: undefined, now: NOW })['waited-seconds']).toBe('0')
  })

  it('writes the seconds waited, rounded, found or not', () => {
    expect(
      outputsFor({ appId: '1', build: undefined, now: NOW, waitedMs: 130_400 })['waited-seconds']
    ).toBe('130')
  })

  it('writes the next build number whether or not a build was found', () => {
    expect(
      outputsFor({ appId: '1', build: undefined, now: NOW, nextBuildNumber: '1' })[
        'next-build-number'
      ]
    ).toBe('1')
    expect(
      outputsFor({
        appId: '1',
        build: found('2027-02-01T00:00:00Z'),
        now: NOW,
        nextBuildNumber: '1.4.10'
      })['next-build-number']
    ).toBe('1.4.10')
  })

  it('leaves every output of a build Apple said nothing about empty, but its id', () => {
    const bare: FoundBuild = {
      id: 'b-2',
      buildNumber: '',
      uploadedDate: '',
      resource: { type: 'builds', id: 'b-2' },
      preReleaseVersion: undefined,
      betaDetail: undefined
    }
    // As "not found" (every output empty), but found, with its id, its JSON and expired=false.
    expect(outputsFor({ appId: '1600000001', build: bare, now: NOW })).toEqual({
      ...NOT_FOUND_OUTPUTS,
      found: 'true',
      'build-id': 'b-2',
      expired: 'false',
      'build-json': '{"type":"builds","id":"b-2"}'
    })
  })
})
