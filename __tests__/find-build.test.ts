import { describe, expect, it, jest } from '@jest/globals'
import { AppleApiError } from '../src/apple/apple-error.js'
import { findLatestBuild } from '../src/choose/find-build.js'
import { captureStdout } from './support/stdout.js'
import type { BuildFilters, SearchRequest } from '../src/choose/search-types.js'
import { appleError, buildsPage, type BuildSpec } from './support/documents.js'
import { API, mockApi } from './support/mock-api.js'

const NOW = new Date('2026-11-27T12:00:00Z')
const VALID_ONLY: BuildFilters = {
  processingStates: ['VALID'],
  includeExpired: false,
  readyFor: 'any'
}

function search(overrides: Partial<SearchRequest> = {}): SearchRequest {
  return {
    appId: '1600000001',
    appIdGiven: true,
    filters: VALID_ONLY,
    latestBy: 'uploaded-date',
    now: NOW,
    ...overrides
  }
}

const IOS = { id: 'prv-ios', version: '2.4.0', platform: 'IOS' as const }
const MAC = { id: 'prv-mac', version: '2.4.0', platform: 'MAC_OS' as const }

/** An app whose only train is stored as `version`, and which has no build at all. */
function trainOnlyApi(version: string) {
  return mockApi(path => {
    if (path === '/v1/preReleaseVersions') {
      return { body: { data: [{ type: 'preReleaseVersions', id: 'p', attributes: { version } }] } }
    }
    if (path === '/v1/builds') return { body: buildsPage([]) }
    return { body: { data: { type: 'apps', id: '1600000001' } } }
  })
}

describe('findLatestBuild by upload date', () => {
  it('asks for one trimmed, filtered, sorted page and nothing else', async () => {
    const { client, seen } = mockApi(() => ({
      body: buildsPage([{ id: 'b1', version: '7', uploaded: '2026-11-20T10:00:00-08:00' }])
    }))
    const filters: BuildFilters = {
      processingStates: ['VALID', 'PROCESSING'],
      includeExpired: false,
      readyFor: 'any',
      platform: 'IOS',
      appVersion: '2.4.0',
      buildNumber: '7',
      buildAudienceType: 'APP_STORE_ELIGIBLE'
    }
    await findLatestBuild(client, search({ filters: { ...filters, processingStates: ['VALID'] } }))
    await findLatestBuild(client, search({ filters }))
    expect(seen).toHaveLength(2)
    expect(seen[1]!.path).toBe('/v1/builds')
    expect(Object.fromEntries(seen[1]!.query)).toEqual({
      'filter[app]': '1600000001',
      'filter[processingState]': 'VALID,PROCESSING',
      'filter[expired]': 'false',
      'filter[preReleaseVersion.platform]': 'IOS',
      'filter[preReleaseVersion.version]': '2.4.0,2.4',
      'filter[version]': '7',
      'filter[buildAudienceType]': 'APP_STORE_ELIGIBLE',
      sort: '-uploadedDate',
      include: 'preReleaseVersion,buildBetaDetail,appStoreVersion',
      'fields[builds]':
        'version,uploadedDate,expirationDate,expired,minOsVersion,iconAssetToken,processingState,buildAudienceType,usesNonExemptEncryption,preReleaseVersion,buildBetaDetail,appStoreVersion',
      'fields[preReleaseVersions]': 'version,platform',
      'fields[buildBetaDetails]': 'internalBuildState,externalBuildState',
      'fields[appStoreVersions]': 'versionString,appVersionState',
      limit: '50'
    })
  })

  it('drops filter[expired] with include-expired', async () => {
    const { client, seen } = mockApi(() => ({ body: buildsPage([]) }))
    await findLatestBuild(
      client,
      search({ appIdGiven: false, filters: { ...VALID_ONLY, includeExpired: true } })
    )
    expect(seen[0]!.query.has('filter[expired]')).toBe(false)
  })

  it('re-checks the order on the client instead of trusting Apple’s', async () => {
    const { client } = mockApi(() => ({
      body: buildsPage([
        { id: 'older', version: '12', uploaded: '2026-11-20T10:00:00-08:00' },
        { id: 'newest', version: '11', uploaded: '2026-11-25T09:00:00-08:00' },
        { id: 'oldest', version: '10', uploaded: '2026-11-01T10:00:00-07:00' }
      ])
    }))
    const result = await findLatestBuild(client, search())
    expect(result.build?.id).toBe('newest')
    expect(result.considered).toBe(3)
  })

  it('re-checks the filters on the client when Apple ignores them', async () => {
    const { client } = mockApi(() => ({
      body: buildsPage([
        {
          id: 'processing',
          version: '14',
          uploaded: '2026-11-26T10:00:00-08:00',
          state: 'PROCESSING'
        },
        { id: 'flag-expired', version: '13', uploaded: '2026-11-25T10:00:00-08:00', expired: true },
        {
          id: 'date-expired',
          version: '12',
          uploaded: '2026-11-24T10:00:00-08:00',
          expires: '2026-11-27T03:59:00-08:00'
        },
        { id: 'mac', version: '11', uploaded: '2026-11-23T10:00:00-08:00', preRelease: MAC },
        { id: 'usable', version: '10', uploaded: '2026-11-22T10:00:00-08:00', preRelease: IOS }
      ])
    }))
    const result = await findLatestBuild(
      client,
      search({ filters: { ...VALID_ONLY, platform: 'IOS' } })
    )
    expect(result.build?.id).toBe('usable')
    expect(result.build?.preReleaseVersion).toEqual({ version: '2.4.0', platform: 'IOS' })
  })

  it('re-checks build-number, app-version and audience when Apple ignores those filters', async () => {
    const { client } = mockApi(() => ({
      body: buildsPage([
        {
          id: 'other-number',
          version: '8',
          uploaded: '2026-11-26T10:00:00-08:00',
          preRelease: IOS
        },
        {
          id: 'other-train',
          version: '7',
          uploaded: '2026-11-25T10:00:00-08:00',
          preRelease: { id: 'prv-25', version: '2.5', platform: 'IOS' }
        },
        {
          id: 'internal',
          version: '7',
          uploaded: '2026-11-24T10:00:00-08:00',
          preRelease: IOS,
          audience: 'INTERNAL_ONLY'
        },
        { id: 'wanted', version: '7', uploaded: '2026-11-23T10:00:00-08:00', preRelease: IOS }
      ])
    }))
    const filters: BuildFilters = {
      ...VALID_ONLY,
      appVersion: '2.4',
      buildNumber: '7',
      buildAudienceType: 'APP_STORE_ELIGIBLE'
    }
    const result = await findLatestBuild(client, search({ filters }))
    expect(result.build?.id).toBe('wanted')
    expect(result.considered).toBe(1)
  })

  it('reads on only when nothing on the first page really matched', async () => {
    const { client, seen } = mockApi((_path, query) =>
      query.get('cursor')
        ? {
            body: buildsPage([{ id: 'valid', version: '3', uploaded: '2026-10-31T17:00:00-07:00' }])
          }
        : {
            body: buildsPage(
              [
                {
                  id: 'failed',
                  version: '4',
                  uploaded: '2026-11-01T16:00:00-08:00',
                  state: 'FAILED'
                }
              ],
              `${API}/v1/builds?cursor=2`
            )
          }
    )
    expect((await findLatestBuild(client, search())).build?.id).toBe('valid')
    expect(seen).toHaveLength(2)
  })
})

describe('findLatestBuild by build number', () => {
  const pages: BuildSpec[][] = [
    [
      { id: 'b9', version: '9', uploaded: '2026-11-25T16:00:00-08:00' },
      { id: 'b1.10', version: '1.10', uploaded: '2026-11-24T16:00:00-08:00' }
    ],
    [
      { id: 'b10', version: '10', uploaded: '2026-10-31T17:00:00-07:00' },
      { id: 'b10-later', version: '10', uploaded: '2026-11-01T16:00:00-08:00', preRelease: MAC }
    ],
    [{ id: 'b2', version: '2', uploaded: '2026-09-30T17:00:00-07:00' }]
  ]

  it('pages through every matching build, 200 at a time, and compares numerically', async () => {
    const { client, seen } = mockApi((_path, query) => {
      const index = Number(query.get('cursor') ?? '0')
      const next =
        index + 1 < pages.length ? `${API}/v1/builds?limit=200&cursor=${index + 1}` : undefined
      return { body: buildsPage(pages[index]!, next) }
    })
    const result = await findLatestBuild(client, search({ latestBy: 'build-number' }))
    expect(seen).toHaveLength(3)
    expect(seen[0]!.query.get('limit')).toBe('200')
    // "10" beats "9" and "1.10"; of the two 10s the later upload wins.
    expect(result.build?.id).toBe('b10-later')
    expect(result.considered).toBe(5)
  })
})

describe('findLatestBuild with ready-for', () => {
  const newestBlocked: BuildSpec = {
    id: 'compliance',
    version: '20',
    uploaded: '2026-11-26T10:00:00-08:00',
    beta: { internal: 'MISSING_EXPORT_COMPLIANCE', external: 'MISSING_EXPORT_COMPLIANCE' }
  }
  const internalOnly: BuildSpec = {
    id: 'internal-only',
    version: '19',
    uploaded: '2026-11-25T10:00:00-08:00',
    audience: 'INTERNAL_ONLY',
    beta: { internal: 'IN_BETA_TESTING', external: 'NOT_APPLICABLE' }
  }
  const inReview: BuildSpec = {
    id: 'in-review',
    version: '18',
    uploaded: '2026-11-24T10:00:00-08:00',
    beta: { internal: 'IN_BETA_TESTING', external: 'IN_BETA_REVIEW' }
  }
  const approved: BuildSpec = {
    id: 'approved',
    version: '17',
    uploaded: '2026-11-23T10:00:00-08:00',
    beta: { internal: 'IN_BETA_TESTING', external: 'BETA_APPROVED' }
  }
  const page = [newestBlocked, internalOnly, inReview, approved]

  it.each([
    ['any', 'compliance'],
    ['internal-testing', 'internal-only'],
    ['app-store', 'in-review'],
    ['external-testing', 'approved']
  ] as const)('ready-for %s picks %s from one page', async (readyFor, id) => {
    const { client, seen } = mockApi(() => ({ body: buildsPage(page) }))
    const result = await findLatestBuild(client, search({ filters: { ...VALID_ONLY, readyFor } }))
    expect(result.build?.id).toBe(id)
    expect(result.build?.betaDetail?.internalBuildState).toBeDefined()
    expect(seen).toHaveLength(1)
  })

  it('reads further pages when every build on the first is blocked', async () => {
    const { client, seen } = mockApi((_path, query) =>
      query.get('cursor')
        ? { body: buildsPage([approved]) }
        : { body: buildsPage([newestBlocked, inReview], `${API}/v1/builds?cursor=2`) }
    )
    const result = await findLatestBuild(
      client,
      search({ filters: { ...VALID_ONLY, readyFor: 'external-testing' } })
    )
    expect(result.build?.id).toBe('approved')
    expect(seen).toHaveLength(2)
  })

  it('names the latest blocked build and its state when none is ready', async () => {
    const { client, seen } = mockApi(() => ({ body: buildsPage([inReview, newestBlocked]) }))
    const result = await findLatestBuild(
      client,
      search({ filters: { ...VALID_ONLY, readyFor: 'external-testing' } })
    )
    expect(result.build).toBeUndefined()
    expect(result.blocked?.id).toBe('compliance')
    expect(result.blocked?.blocker.state).toBe('external state MISSING_EXPORT_COMPLIANCE')
    // A blocked build proves the app exists: no extra lookup.
    expect(seen).toHaveLength(1)
  })
})

describe('findLatestBuild with app-version', () => {
  it('asks for both spellings and takes builds filed under either', async () => {
    const filedAs14: BuildSpec = {
      id: 'filed-1.4',
      version: '30',
      uploaded: '2026-11-20T10:00:00-08:00',
      preRelease: { id: 'prv-14', version: '1.4', platform: 'IOS' }
    }
    const other: BuildSpec = {
      id: 'other-train',
      version: '31',
      uploaded: '2026-11-21T10:00:00-08:00',
      preRelease: { id: 'prv-141', version: '1.4.1', platform: 'IOS' }
    }
    const { client, seen } = mockApi(() => ({ body: buildsPage([other, filedAs14]) }))
    const result = await findLatestBuild(
      client,
      search({ filters: { ...VALID_ONLY, appVersion: '1.4.0' } })
    )
    expect(seen[0]!.query.get('filter[preReleaseVersion.version]')).toBe('1.4.0,1.4')
    expect(result.build?.id).toBe('filed-1.4')
  })

  it('finds a train stored under a spelling no query guesses (1.07 for 1.7) by listing the versions', async () => {
    const filedAs107: BuildSpec = {
      id: 'filed-1.07',
      version: '12',
      uploaded: '2026-11-20T10:00:00-08:00',
      preRelease: { id: 'prv-107', version: '1.07', platform: 'IOS' }
    }
    const { client, seen } = mockApi((path, query) => {
      if (path === '/v1/preReleaseVersions') {
        return {
          body: {
            data: ['1.07', '1.7.1', '1.70', '2.0'].map((version, index) => ({
              type: 'preReleaseVersions',
              id: `prv-${index}`,
              attributes: { version }
            }))
          }
        }
      }
      const spellings = query.get('filter[preReleaseVersion.version]')!.split(',')
      return { body: buildsPage(spellings.includes('1.07') ? [filedAs107] : []) }
    })
    const result = await findLatestBuild(
      client,
      search({ filters: { ...VALID_ONLY, platform: 'IOS', appVersion: '1.7' } })
    )
    expect(result.build?.id).toBe('filed-1.07')
    expect(seen.map(request => request.path)).toEqual([
      '/v1/builds',
      '/v1/preReleaseVersions',
      '/v1/builds'
    ])
    expect(Object.fromEntries(seen[1]!.query)).toEqual({
      'filter[app]': '1600000001',
      'fields[preReleaseVersions]': 'version',
      limit: '200'
    })
    expect(seen[2]!.query.get('filter[preReleaseVersion.version]')).toBe('1.7,1.7.0,1.07')
  })

  it('with no other spelling of the train, goes on to the other platforms and the app', async () => {
    const { client, seen } = trainOnlyApi('1.7')
    const result = await findLatestBuild(
      client,
      search({ filters: { ...VALID_ONLY, platform: 'IOS', appVersion: '1.7' } })
    )
    expect(result.build).toBeUndefined()
    expect(seen.map(request => request.path)).toEqual([
      '/v1/builds',
      '/v1/preReleaseVersions',
      '/v1/builds',
      '/v1/apps/1600000001'
    ])
  })
})

describe('findLatestBuild when nothing matches', () => {
  it('names the other platforms that have matching builds, in one more request', async () => {
    const { client, seen } = mockApi((_path, query) =>
      query.has('filter[preReleaseVersion.platform]')
        ? { body: buildsPage([]) }
        : {
            body: buildsPage([
              { id: 'mac', version: '5', uploaded: '2026-11-20T10:00:00-08:00', preRelease: MAC },
              {
                id: 'tv-failed',
                version: '6',
                uploaded: '2026-11-21T10:00:00-08:00',
                state: 'FAILED',
                preRelease: { id: 'prv-tv', version: '2.4.0', platform: 'TV_OS' }
              }
            ])
          }
    )
    const result = await findLatestBuild(
      client,
      search({ filters: { ...VALID_ONLY, platform: 'IOS' } })
    )
    expect(result.build).toBeUndefined()
    // The FAILED tvOS build does not match the other filters, so only macOS is named.
    expect(result.otherPlatforms).toEqual(['MAC_OS'])
    expect(seen).toHaveLength(2)
  })

  it('checks once that the app exists, then reports no build', async () => {
    const { client, seen } = mockApi(path =>
      path === '/v1/builds'
        ? { body: buildsPage([]) }
        : { body: { data: { type: 'apps', id: '1600000001' } } }
    )
    const result = await findLatestBuild(client, search())
    expect(result.build).toBeUndefined()
    expect(seen.map(request => request.path)).toEqual(['/v1/builds', '/v1/apps/1600000001'])
  })

  it('fails with Apple’s 404 and the app-id hint when the app does not exist', async () => {
    const { client } = mockApi(path =>
      path === '/v1/builds'
        ? { body: buildsPage([]) }
        : {
            status: 404,
            body: appleError(
              404,
              'NOT_FOUND',
              "There is no resource of type 'apps' with id '1600000001'"
            )
          }
    )
    const error = await findLatestBuild(client, search()).catch(e => e as AppleApiError)
    expect(error).toBeInstanceOf(AppleApiError)
    expect((error as AppleApiError).message).toMatch(
      /404 while looking up app 1600000001: NOT_FOUND.*Check app-id/
    )
  })

  it('does not look the app up again when it came from a bundle id', async () => {
    const { client, seen } = mockApi(() => ({ body: buildsPage([]) }))
    await findLatestBuild(client, search({ appIdGiven: false }))
    expect(seen).toHaveLength(1)
  })
})

describe('findLatestBuild, what it keeps and what it reads', () => {
  it('stops at the first page with a match when the latest upload is asked for', async () => {
    const { client, seen } = mockApi(() => ({
      body: buildsPage(
        [{ id: 'b1', version: '7', uploaded: '2026-11-20T10:00:00-08:00' }],
        `${API}/v1/builds?cursor=2`
      )
    }))
    expect((await findLatestBuild(client, search())).build?.id).toBe('b1')
    expect(seen).toHaveLength(1)
  })

  it('sets aside builds still processing only when watching them, and never other states', async () => {
    const page = buildsPage([
      {
        id: 'processing',
        version: '9',
        uploaded: '2026-11-26T10:00:00-08:00',
        state: 'PROCESSING'
      },
      { id: 'failed', version: '8', uploaded: '2026-11-25T10:00:00-08:00', state: 'FAILED' },
      { id: 'valid', version: '7', uploaded: '2026-11-24T10:00:00-08:00' }
    ])
    const { client } = mockApi(() => ({ body: page }))
    const watching = await findLatestBuild(client, search({ watchInFlight: true }))
    expect(watching.build?.id).toBe('valid')
    expect(watching.considered).toBe(1)
    expect(watching.inFlight.map(build => build.id)).toEqual(['processing'])
    const plain = await findLatestBuild(client, search())
    expect(plain.build?.id).toBe('valid')
    expect(plain.inFlight).toEqual([])
  })

  it('keeps the latest blocked build across pages', async () => {
    const blocked = (id: string, version: string): BuildSpec => ({
      id,
      version,
      uploaded: '2026-11-20T10:00:00-08:00',
      beta: { internal: 'MISSING_EXPORT_COMPLIANCE' }
    })
    const { client } = mockApi((_path, query) =>
      query.get('cursor')
        ? { body: buildsPage([blocked('older', '5')]) }
        : { body: buildsPage([blocked('newer', '10')], `${API}/v1/builds?cursor=2`) }
    )
    const result = await findLatestBuild(
      client,
      search({ latestBy: 'build-number', filters: { ...VALID_ONLY, readyFor: 'app-store' } })
    )
    expect(result.build).toBeUndefined()
    expect(result.blocked?.id).toBe('newer')
  })

  it('looks for other spellings of the train once, then goes on', async () => {
    const { client, seen } = trainOnlyApi('1.07')
    const result = await findLatestBuild(
      client,
      search({ filters: { ...VALID_ONLY, appVersion: '1.7' } })
    )
    expect(result.build).toBeUndefined()
    expect(seen.map(request => request.path)).toEqual([
      '/v1/builds',
      '/v1/preReleaseVersions',
      '/v1/builds',
      '/v1/apps/1600000001'
    ])
    expect(Object.fromEntries(seen[3]!.query)).toEqual({ 'fields[apps]': 'bundleId' })
  })

  it('names platforms from builds that say theirs, skipping one that does not', async () => {
    const { client } = mockApi((_path, query) =>
      query.has('filter[preReleaseVersion.platform]')
        ? { body: buildsPage([]) }
        : {
            body: {
              data: [
                { type: 'builds', id: 'bare', attributes: { processingState: 'VALID' } },
                ...(
                  buildsPage([
                    {
                      id: 'tv',
                      version: '5',
                      uploaded: '2026-11-20T10:00:00-08:00',
                      preRelease: { id: 'prv-tv', version: '1', platform: 'TV_OS' }
                    }
                  ]) as { data: unknown[] }
                ).data
              ],
              included: [
                {
                  type: 'preReleaseVersions',
                  id: 'prv-tv',
                  attributes: { version: '1', platform: 'TV_OS' }
                }
              ]
            }
          }
    )
    const result = await findLatestBuild(
      client,
      search({ filters: { ...VALID_ONLY, platform: 'IOS' } })
    )
    expect(result.otherPlatforms).toEqual(['TV_OS'])
  })

  it.each([
    ['the builds', () => true, /while listing the builds of app 1600000001: /],
    [
      'the builds on every platform',
      (query: URLSearchParams) => !query.has('filter[preReleaseVersion.platform]'),
      /while listing the builds of app 1600000001 on every platform: /
    ]
  ])('says what it was doing when Apple refuses to list %s', async (_case, refuses, message) => {
    const { client } = mockApi((_path, query) =>
      refuses(query)
        ? { status: 403, body: appleError(403, 'FORBIDDEN_ERROR', 'No.') }
        : { body: buildsPage([]) }
    )
    await expect(
      findLatestBuild(client, search({ filters: { ...VALID_ONLY, platform: 'IOS' } }))
    ).rejects.toThrow(message)
  })
})

describe('findLatestBuild with values Apple added later', () => {
  const older = {
    id: 'good',
    version: '630',
    uploaded: '2026-11-19T10:00:00-08:00',
    beta: { internal: 'READY_FOR_BETA_TESTING', external: 'BETA_APPROVED' }
  } as const
  /** The newer build of the case beside the good older one; the app lookup answered too. */
  function beside(newer: Partial<BuildSpec>, id: string) {
    const spec: BuildSpec = {
      id,
      version: '631',
      uploaded: '2026-11-20T10:00:00-08:00',
      beta: { internal: 'READY_FOR_BETA_TESTING', external: 'BETA_APPROVED' },
      ...newer
    }
    return mockApi(path =>
      path === '/v1/builds'
        ? { body: buildsPage([spec, older]) }
        : { body: { data: { type: 'apps', id: '1600000001' } } }
    )
  }

  it.each<[string, Partial<BuildSpec>, BuildFilters['readyFor'], string]>([
    [
      'a processing state',
      { state: 'PROCESSING_DEFERRED' },
      'any',
      'processingState PROCESSING_DEFERRED'
    ],
    [
      'an internal TestFlight state',
      { beta: { internal: 'READY_FOR_TESTING_EXPRESS' } },
      'internal-testing',
      'internalBuildState READY_FOR_TESTING_EXPRESS'
    ],
    [
      'an external TestFlight state',
      { beta: { internal: 'READY_FOR_BETA_TESTING', external: 'IN_BETA_REVIEW_EXPRESS' } },
      'external-testing',
      'externalBuildState IN_BETA_REVIEW_EXPRESS'
    ],
    [
      'an audience',
      { audience: 'ENTERPRISE_ONLY' },
      'app-store',
      'buildAudienceType ENTERPRISE_ONLY'
    ],
    [
      'a platform, on any platform',
      { preRelease: { id: 'watch', version: '1.0', platform: 'WATCH_OS' } },
      'any',
      'platform WATCH_OS'
    ]
  ])(
    '%s: the newer build is not taken, the older good one is',
    async (_case, newer, readyFor, value) => {
      const written = captureStdout()
      // An id of its own: each build is named once in a run.
      const id = `new-${value}`
      const { client } = beside(newer, id)
      const result = await findLatestBuild(client, search({ filters: { ...VALID_ONLY, readyFor } }))
      jest.restoreAllMocks()
      expect(result.build?.id).toBe('good')
      expect(result.unknownValues).toEqual([value])
      expect(written.join('')).toContain(
        `Build 631 (${id}) has ${value}, which this action does not know`
      )
    }
  )

  it('with no other build, says which value stood in the way', async () => {
    captureStdout()
    const { client } = mockApi(path =>
      path === '/v1/builds'
        ? {
            body: buildsPage([
              {
                id: 'watch',
                version: '5',
                uploaded: '2026-11-20T10:00:00-08:00',
                preRelease: { id: 'w', version: '1.0', platform: 'WATCH_OS' }
              }
            ])
          }
        : { body: { data: { type: 'apps', id: '1600000001' } } }
    )
    const result = await findLatestBuild(client, search())
    jest.restoreAllMocks()
    expect(result).toMatchObject({
      build: undefined,
      blocked: undefined,
      unknownValues: ['platform WATCH_OS']
    })
  })
})
