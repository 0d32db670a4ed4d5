import { describe, expect, it } from '@jest/globals'
import { buildJson, checkOutputs } from '../src/report/output-format.js'
import { outputsFor } from '../src/report/outputs.js'
import type { FoundBuild } from '../src/choose/search.js'
import { buildResource } from './support/documents.js'

const NOW = new Date('2026-11-27T12:00:00Z')
const ID = '690916c1-a4fb-4250-9d8b-1efb269609e6'

function found(attributes: Record<string, unknown> = {}, id = ID): FoundBuild {
  const resource = buildResource({ id, version: '630', uploaded: '2026-11-20T10:00:00-08:00' })
  resource.attributes = { ...resource.attributes, ...attributes }
  return {
    id,
    buildNumber: String(resource.attributes.version),
    uploadedDate: '2026-11-20T10:00:00-08:00',
    resource,
    preReleaseVersion: { version: '2.4.0', platform: 'IOS' },
    betaDetail: { internalBuildState: 'IN_BETA_TESTING', externalBuildState: 'BETA_APPROVED' }
  }
}

describe('checkOutputs', () => {
  it('passes a well-formed build, and "not found"', () => {
    const outputs = outputsFor({
      appId: '1600000001',
      build: found(),
      now: NOW,
      rateLimit: { limit: 3600, remaining: 12 }
    })
    expect(checkOutputs(outputs)).toEqual({ outputs, problem: undefined })
    const none = outputsFor({ appId: '1600000001', build: undefined, now: NOW })
    expect(checkOutputs(none).problem).toBeUndefined()
  })

  it.each<[string, FoundBuild, RegExp]>([
    ['a version with a quote', found({ version: '630"' }), /version is not one to three/],
    ['a four-part version', found({ version: '1.2.3.4' }), /version is not one to three/],
    ['a non-UUID id', found({}, 'b1'), /build-id is not a UUID/],
    [
      'a date without offset',
      found({ expirationDate: '2027-02-18 10:00' }),
      /expiration-date is not an ISO 8601 date/
    ],
    [
      'an impossible date',
      found({ uploadedDate: '2026-13-45T99:00:00Z' }),
      /uploaded-date is not an ISO 8601 date/
    ],
    [
      'an unknown state',
      found({ processingState: 'VALID;' }),
      /processing-state is not one of VALID/
    ],
    [
      'an icon over http',
      found({
        iconAssetToken: { templateUrl: 'http://a.example/{w}x{h}bb.{f}', width: 1, height: 1 }
      }),
      /icon-url is not an https URL/
    ]
  ])('refuses %s: outputs as not found, the field named', (_case, build, field) => {
    const { outputs, problem } = checkOutputs(
      outputsFor({
        appId: '1600000001',
        build: build,
        now: NOW,
        rateLimit: { limit: 9, remaining: 3 }
      })
    )
    expect(problem).toMatch(/^App Store Connect's answer broke the format/)
    expect(problem).toMatch(field)
    expect(outputs).toMatchObject({
      found: 'false',
      'build-id': '',
      version: '',
      'app-id': '1600000001',
      'rate-limit-remaining': '3'
    })
  })

  it('refuses TestFlight states and an encryption answer outside Apple’s enums', () => {
    const build = found()
    build.betaDetail = { internalBuildState: 'READY"; x' as never }
    expect(checkOutputs(outputsFor({ appId: '1', build, now: NOW })).problem).toMatch(
      /internal-build-state is not one of PROCESSING/
    )
  })

  it('keeps the next build number and the seconds waited when the answer is refused', () => {
    const { outputs } = checkOutputs(
      outputsFor({
        appId: '1',
        build: found({ version: '630"' }),
        now: NOW,
        nextBuildNumber: '631',
        waitedMs: 4000
      })
    )
    expect(outputs).toMatchObject({
      found: 'false',
      'next-build-number': '631',
      'waited-seconds': '4'
    })
  })

  it('drops an app id that breaks its format too', () => {
    const { outputs, problem } = checkOutputs(
      outputsFor({ appId: '1; rm', build: found(), now: NOW })
    )
    expect(problem).toMatch(/app-id is not an Apple ID/)
    expect(outputs['app-id']).toBe('')
  })
})

describe('buildJson', () => {
  /** The build with its minOsVersion padded so that its JSON is exactly `bytes` long. */
  const ofSize = (bytes: number): ReturnType<typeof found>['resource'] => {
    const resource = found({ minOsVersion: '' }).resource
    const padding = bytes - Buffer.byteLength(JSON.stringify(resource))
    return {
      ...resource,
      attributes: { ...resource.attributes, minOsVersion: 'x'.repeat(padding) }
    }
  }

  it('is the build as compact JSON up to 64 KB (65,536 bytes), and empty past it', () => {
    const resource = found().resource
    expect(JSON.parse(buildJson(resource))).toEqual(resource)
    expect(buildJson(resource)).not.toMatch(/\s/)
    expect(Buffer.byteLength(buildJson(ofSize(65_536)))).toBe(65_536)
    expect(buildJson(ofSize(65_537))).toBe('')
  })
})
