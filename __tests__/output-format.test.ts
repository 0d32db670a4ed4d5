import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { checkOutputs } from '../src/report/output-format.js'
import { buildJson, outputsFor, type OutputName } from '../src/report/outputs.js'
import type { FoundBuild } from '../src/choose/search-types.js'
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
    expect(checkOutputs(outputs)).toEqual({ outputs, problem: undefined, emptied: [] })
    const none = outputsFor({ appId: '1600000001', build: undefined, now: NOW })
    expect(checkOutputs(none).problem).toBeUndefined()
  })

  it.each<[string, FoundBuild, RegExp]>([
    ['a version with a quote', found({ version: '630"' }), /version is not dot-separated integers/],
    [
      'a version with a letter',
      found({ version: '1.2.3b' }),
      /version is not dot-separated integers/
    ],
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
      'a state not of Apple’s form',
      found({ processingState: 'VALID;' }),
      /processing-state is not an upper-case word of letters, digits and underscores/
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
    expect(problem).toMatch(/^App Store Connect sent a build the outputs cannot carry \(/)
    expect(problem).toMatch(field)
    expect(outputs).toMatchObject({
      found: 'false',
      'build-id': '',
      version: '',
      'app-id': '1600000001',
      'rate-limit-remaining': '3'
    })
  })

  it('refuses TestFlight states not of Apple’s form, and takes those Apple adds later', () => {
    const build = found()
    build.betaDetail = { internalBuildState: 'READY"; x' }
    expect(checkOutputs(outputsFor({ appId: '1', build, now: NOW })).problem).toMatch(
      /internal-build-state is not an upper-case word/
    )
    build.betaDetail = { internalBuildState: 'READY_FOR_TESTING_EXPRESS' }
    const { outputs, problem } = checkOutputs(outputsFor({ appId: '1', build, now: NOW }))
    expect(problem).toBeUndefined()
    expect(outputs['internal-build-state']).toBe('READY_FOR_TESTING_EXPRESS')
  })

  it('takes build numbers of any number of parts: 2.0.67.745', () => {
    const { outputs, problem } = checkOutputs(
      outputsFor({ appId: '1', build: found({ version: '2.0.67.745' }), now: NOW })
    )
    expect(problem).toBeUndefined()
    expect(outputs).toMatchObject({ found: 'true', version: '2.0.67.745' })
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

  it('leaves an output of its own empty when it breaks its format, and keeps the build', () => {
    const { outputs, problem, emptied } = checkOutputs(
      outputsFor({ appId: '1; rm', build: found(), now: NOW, nextBuildNumber: '1.x' })
    )
    expect(problem).toBeUndefined()
    expect(outputs).toMatchObject({ found: 'true', 'app-id': '', 'next-build-number': '' })
    expect(emptied).toEqual([
      'app-id was left empty: the value worked out is not an Apple ID (digits).',
      'next-build-number was left empty: the value worked out is not dot-separated integers.'
    ])
  })
})

describe('the format of each output', () => {
  const wellFormed = outputsFor({
    appId: '1600000001',
    build: found(),
    now: NOW,
    rateLimit: { limit: 3600, remaining: 12 },
    nextBuildNumber: '631',
    waitedMs: 4000
  })
  const ENUM = 'an upper-case word of letters, digits and underscores'
  const ICON = 'https://is1-ssl.mzstatic.com:443/image/thumb/a/b/100x100bb.png'
  const UUID = '690916C1-A4FB-4250-9D8B-1EFB269609E6'

  /** Each output: what its format is called, values in it, and values that break it. */
  const cases: Array<[OutputName, string, string[], string[]]> = [
    ['found', 'true or false', ['true', 'false'], ['yes', 'TRUE', 'true\n']],
    ['build-id', 'a UUID, the form of build ids', [ID, UUID], [`x${ID}`, `${ID}x`]],
    [
      'build-number',
      'dot-separated integers',
      ['630', '1.22.333', '2.0.67.745'],
      ['v1', '1.', '630x', '1 2']
    ],
    [
      'version',
      'dot-separated integers',
      ['630', '1.22.333', '123456789012345678', '2.0.67.745', '99999999999999999999999'],
      ['v1', '1.', '.1', '630x', 'x630', '1..2', '1 2']
    ],
    [
      'expiration-date',
      'an ISO 8601 date',
      ['2027-02-18T10:00:00-08:00', '2027-02-18T10:00:00.123456789Z'],
      [
        'x2027-02-18T10:00:00Z',
        '+002027-02-18T10:00:00Z',
        '-002027-02-18T10:00:00Z',
        '2027-02-18T10:00:00Zx',
        '2027-02-18T10:00:00.Z'
      ]
    ],
    ['uploaded-date', 'an ISO 8601 date', ['2026-11-20T18:00:00Z'], ['2026-11-20']],
    ['expires-in-days', 'a whole number of days', ['0', '-3', '89'], ['x1', '1x', '1.5']],
    ['expired', 'true or false', ['true', 'false'], ['no', 'False']],
    [
      'processing-state',
      ENUM,
      ['VALID', 'PROCESSING', 'FAILED', 'INVALID', 'PROCESSING_DEFERRED'],
      ['valid', 'VALID ', '1VALID', 'VALID;', 'A'.repeat(65)]
    ],
    ['app-version', 'dot-separated integers', ['10.11.12', '1.2.3.4'], ['1.2.x']],
    ['platform', ENUM, ['IOS', 'VISION_OS', 'WATCH_OS'], ['ios', 'I-OS']],
    [
      'min-os-version',
      'one to four period-separated integers',
      ['17', '17.10', '17.0.1.2'],
      ['17.0.1.2.3', 'x17', '17x']
    ],
    ['build-audience-type', ENUM, ['APP_STORE_ELIGIBLE', 'ENTERPRISE_ONLY'], ['internal']],
    ['internal-build-state', ENUM, ['IN_BETA_TESTING', 'READY_FOR_TESTING_EXPRESS'], ['In beta']],
    ['external-build-state', ENUM, ['BETA_APPROVED', 'EXPIRED'], ['APPROVED"']],
    ['app-store-version', 'dot-separated integers', ['2.3.2', '10'], ['2.3 beta', '2.3.']],
    ['app-store-state', ENUM, ['READY_FOR_DISTRIBUTION', 'IN_REVIEW'], ['ready', 'IN REVIEW']],
    ['uses-non-exempt-encryption', 'true or false', ['true', 'false'], ['no']],
    [
      'icon-url',
      'an https URL',
      [ICON, `https://a.example/${'x'.repeat(2048 - 'https://a.example/'.length)}`],
      [
        `x${ICON}`,
        'https://a.example/x"y',
        'https://a.example/x y',
        `https://a.example/${'x'.repeat(2049 - 'https://a.example/'.length)}`
      ]
    ],
    ['app-id', 'an Apple ID (digits)', ['1600000001'], ['x1', '1x']],
    ['build-json', 'JSON of at most 64 KB', ['x'.repeat(65_536)], ['x'.repeat(65_537)]],
    ['rate-limit-remaining', 'a whole number', ['0', '3599'], ['x1', '1x', '-1']],
    ['next-build-number', 'dot-separated integers', ['1.2.3', '2.0.67.746'], ['1.2.3.', 'x']],
    ['waited-seconds', 'a whole number', ['0', '600'], ['x1', '1x']]
  ]

  it('covers every output action.yml declares', () => {
    const declared = (parse(readFileSync('action.yml', 'utf8')) as { outputs: object }).outputs
    expect(cases.map(([name]) => name).sort()).toEqual(Object.keys(declared).sort())
  })

  /** Outputs of their own: a broken one is left empty, and the build stands. */
  const OWN = ['app-id', 'rate-limit-remaining', 'next-build-number', 'waited-seconds']

  it.each(cases)('%s: %s', (name, is, good, bad) => {
    for (const value of good) {
      expect(checkOutputs({ ...wellFormed, [name]: value })).toMatchObject({
        problem: undefined,
        emptied: []
      })
    }
    for (const value of bad) {
      const checked = checkOutputs({ ...wellFormed, [name]: value })
      if (OWN.includes(name)) {
        expect(checked.problem).toBeUndefined()
        expect(checked.outputs).toMatchObject({ found: 'true', [name]: '' })
        expect(checked.emptied).toEqual([
          `${name} was left empty: the value worked out is not ${is}.`
        ])
      } else {
        expect(checked.problem).toBe(
          `App Store Connect sent a build the outputs cannot carry (${name} is not ${is}): found is false. ` +
            'Check that build in App Store Connect; if it looks right there, run the job again, as the answer may have been damaged on its way.'
        )
        expect(checked.problem!.length).toBeLessThan(300)
        // The build's own outputs fail the step; none is warned about as left empty.
        expect(checked.emptied).toEqual([])
      }
    }
  })

  it('names every broken output of the build, in the order of the outputs', () => {
    const { problem } = checkOutputs({ ...wellFormed, expired: 'x', found: 'maybe' })
    expect(problem).toMatch(
      /\(found is not true or false; expired is not true or false\): found is false\./
    )
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
