import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { nextBuildNumber } from '../src/choose/next-build-number.js'
import {
  appleError,
  buildsPage,
  uploadsPage,
  type BuildSpec,
  type UploadSpec
} from './support/documents.js'
import { API, mockApi } from './support/mock-api.js'
import { captureStdout } from './support/stdout.js'

const IOS_24 = { id: 'prv-24', version: '2.4', platform: 'IOS' as const }
const IOS_25 = { id: 'prv-25', version: '2.5.0', platform: 'IOS' as const }
const MAC_25 = { id: 'prv-mac', version: '2.5.0', platform: 'MAC_OS' as const }

/** Builds in pages, uploads, and whether the app has a macOS version. */
function api(builds: BuildSpec[][], uploads: UploadSpec[], macOsVersions = false) {
  return mockApi((path, query) => {
    if (path.endsWith('/buildUploads')) return { body: uploadsPage(uploads) }
    if (path === '/v1/preReleaseVersions') {
      const data = macOsVersions
        ? [{ type: 'preReleaseVersions', id: 'prv-mac', attributes: { platform: 'MAC_OS' } }]
        : []
      return { body: { data, links: {}, meta: { paging: { total: data.length, limit: 1 } } } }
    }
    const index = Number(query.get('cursor') ?? '0')
    const next = index + 1 < builds.length ? `${API}/v1/builds?cursor=${index + 1}` : undefined
    return { body: buildsPage(builds[index]!, next) }
  })
}

const request = {
  appId: '1600000001',
  platform: 'IOS' as const,
  appVersion: undefined,
  initial: '1'
}

afterEach(() => {
  jest.restoreAllMocks()
})

describe('nextBuildNumber', () => {
  it('counts builds in every state, expired ones, and uploads in every state', async () => {
    const { client, seen } = api(
      [
        [
          { id: 'a', version: '40', uploaded: '2026-10-31T17:00:00-07:00', expired: true },
          { id: 'b', version: '41', uploaded: '2026-11-01T16:00:00-08:00', state: 'FAILED' }
        ],
        [{ id: 'c', version: '9', uploaded: '2026-11-02T16:00:00-08:00', state: 'PROCESSING' }]
      ],
      [{ id: 'u1', buildNumber: '42', state: 'FAILED' }]
    )
    expect(await nextBuildNumber(client, request)).toBe('43')
    // Two pages of builds at 200 a page, then one uploads request.
    expect(seen.map(r => r.path)).toEqual([
      '/v1/builds',
      '/v1/builds',
      '/v1/apps/1600000001/buildUploads'
    ])
    const builds = Object.fromEntries(seen[0]!.query)
    expect(builds['limit']).toBe('200')
    expect(builds['filter[expired]']).toBeUndefined()
    expect(builds['filter[preReleaseVersion.platform]']).toBe('IOS')
    const uploads = Object.fromEntries(seen[2]!.query)
    // Every state: COMPLETE too, as a build can be missing from /v1/builds for a while.
    expect(uploads['filter[state]']).toBeUndefined()
    expect(uploads['filter[platform]']).toBe('IOS')
  })

  it('counts an upload still in flight, which /v1/builds cannot see yet', async () => {
    const { client } = api(
      [[{ id: 'a', version: '631', uploaded: '2026-10-31T17:00:00-07:00' }]],
      [{ id: 'u', buildNumber: '632', state: 'AWAITING_UPLOAD' }]
    )
    expect(await nextBuildNumber(client, request)).toBe('633')
  })

  it('bumps a dotted number on its last part and compares numerically', async () => {
    const { client } = api(
      [
        [
          { id: 'a', version: '1.4.9', uploaded: '2026-10-31T17:00:00-07:00' },
          { id: 'b', version: '1.4.10', uploaded: '2026-11-01T16:00:00-08:00' },
          { id: 'c', version: '1.3.99', uploaded: '2026-11-02T16:00:00-08:00' }
        ]
      ],
      []
    )
    expect(await nextBuildNumber(client, request)).toBe('1.4.11')
  })

  it('counts a COMPLETE upload whose build /v1/builds does not list yet', async () => {
    const { client } = api(
      [[{ id: 'a', version: '631', uploaded: '2026-10-31T17:00:00-07:00' }]],
      [{ id: 'u', buildNumber: '632', state: 'COMPLETE' }]
    )
    expect(await nextBuildNumber(client, request)).toBe('633')
  })

  it('bumps a four-part number on its last part: 2.0.67.745 → 2.0.67.746', async () => {
    const { client } = api(
      [[{ id: 'a', version: '2.0.67.745', uploaded: '2026-10-31T17:00:00-07:00' }]],
      []
    )
    expect(await nextBuildNumber(client, request)).toBe('2.0.67.746')
  })

  it('on iOS, stays within the marketing version, whatever its spelling, and the platform', async () => {
    const { client, seen } = api(
      [
        [
          { id: 'a', version: '90', uploaded: '2026-10-31T17:00:00-07:00', preRelease: IOS_24 },
          { id: 'b', version: '3', uploaded: '2026-11-01T16:00:00-08:00', preRelease: IOS_25 },
          { id: 'c', version: '70', uploaded: '2026-11-02T16:00:00-08:00', preRelease: MAC_25 }
        ]
      ],
      [
        { id: 'u1', buildNumber: '4', appVersion: '2.5', state: 'PROCESSING' },
        { id: 'u2', buildNumber: '80', appVersion: '2.4', state: 'PROCESSING' }
      ]
    )
    expect(await nextBuildNumber(client, { ...request, appVersion: '2.5' })).toBe('5')
    expect(seen[0]!.query.get('filter[preReleaseVersion.version]')).toBe('2.5,2.5.0')
    expect(seen[1]!.query.get('filter[cfBundleShortVersionString]')).toBe('2.5,2.5.0')
  })

  it('on macOS, counts every version: 1.8.0 after 1.7.0 build 3 is build 4, not 1', async () => {
    const MAC_17 = { id: 'prv-17', version: '1.7.0', platform: 'MAC_OS' as const }
    const { client, seen } = api(
      [[{ id: 'a', version: '3', uploaded: '2026-10-31T17:00:00-07:00', preRelease: MAC_17 }]],
      []
    )
    const mac = { ...request, platform: 'MAC_OS' as const, appVersion: '1.8.0' }
    expect(await nextBuildNumber(client, mac)).toBe('4')
    expect(seen[0]!.query.get('filter[preReleaseVersion.version]')).toBeNull()
    expect(seen[1]!.query.get('filter[cfBundleShortVersionString]')).toBeNull()
    expect(seen.map(r => r.path)).toEqual(['/v1/builds', '/v1/apps/1600000001/buildUploads'])
  })

  it('on any platform, counts every version when the app has a macOS version, else stays within it', async () => {
    const MAC_17 = { id: 'prv-17', version: '1.7.0', platform: 'MAC_OS' as const }
    const IOS_18 = { id: 'prv-18', version: '1.8.0', platform: 'IOS' as const }
    const builds = [
      { id: 'a', version: '3', uploaded: '2026-10-31T17:00:00-07:00', preRelease: MAC_17 },
      { id: 'b', version: '1', uploaded: '2026-11-01T16:00:00-08:00', preRelease: IOS_18 }
    ]
    const any = { ...request, platform: undefined, appVersion: '1.8.0' }
    const withMac = api([builds], [], true)
    expect(await nextBuildNumber(withMac.client, any)).toBe('4')
    expect(withMac.seen[0]!.path).toBe('/v1/preReleaseVersions')
    expect(Object.fromEntries(withMac.seen[0]!.query)).toEqual({
      'filter[app]': '1600000001',
      'filter[platform]': 'MAC_OS',
      'fields[preReleaseVersions]': 'platform',
      limit: '1'
    })
    expect(withMac.seen[1]!.query.get('filter[preReleaseVersion.version]')).toBeNull()
    const iosOnly = api([builds.slice(1)], [], false)
    expect(await nextBuildNumber(iosOnly.client, any)).toBe('2')
    expect(iosOnly.seen[1]!.query.get('filter[preReleaseVersion.version]')).toBe('1.8.0,1.8')
  })

  it('starts at initial-build-number, and never answers below it', async () => {
    const empty = api([[]], [])
    expect(await nextBuildNumber(empty.client, { ...request, initial: '500' })).toBe('500')
    const twelve = api([[{ id: 'a', version: '12', uploaded: '2026-10-31T17:00:00-07:00' }]], [])
    expect(await nextBuildNumber(twelve.client, { ...request, initial: '500' })).toBe('500')
    const above = api([[{ id: 'a', version: '600', uploaded: '2026-10-31T17:00:00-07:00' }]], [])
    expect(await nextBuildNumber(above.client, { ...request, initial: '500' })).toBe('601')
    const dotted = api([[{ id: 'a', version: '1.4.9', uploaded: '2026-10-31T17:00:00-07:00' }]], [])
    expect(await nextBuildNumber(dotted.client, { ...request, initial: '1.4.20' })).toBe('1.4.20')
  })

  it('finds the builds of a train stored under another spelling (1.07 for 1.7)', async () => {
    const IOS_107 = { id: 'prv-107', version: '1.07', platform: 'IOS' as const }
    const { client, seen } = mockApi((path, query) => {
      if (path.endsWith('/buildUploads')) return { body: uploadsPage([]) }
      if (path === '/v1/preReleaseVersions') {
        return {
          body: {
            data: [{ type: 'preReleaseVersions', id: 'prv-107', attributes: { version: '1.07' } }]
          }
        }
      }
      const spellings = query.get('filter[preReleaseVersion.version]')!.split(',')
      return {
        body: buildsPage(
          spellings.includes('1.07')
            ? [
                {
                  id: 'a',
                  version: '1.7.4',
                  uploaded: '2026-10-31T17:00:00-07:00',
                  preRelease: IOS_107
                }
              ]
            : []
        )
      }
    })
    expect(await nextBuildNumber(client, { ...request, appVersion: '1.7' })).toBe('1.7.5')
    expect(seen.map(r => r.path)).toEqual([
      '/v1/builds',
      '/v1/preReleaseVersions',
      '/v1/builds',
      '/v1/apps/1600000001/buildUploads'
    ])
    expect(seen[3]!.query.get('filter[cfBundleShortVersionString]')).toBe('1.7,1.7.0,1.07')
  })

  it('asks for every build, with only the fields it reads', async () => {
    const { client, seen } = api([[]], [])
    await nextBuildNumber(client, request)
    // No processing-state filter: builds in a state Apple adds later hold numbers too.
    expect(Object.fromEntries(seen[0]!.query)).toEqual({
      'filter[app]': '1600000001',
      'filter[preReleaseVersion.platform]': 'IOS',
      include: 'preReleaseVersion',
      'fields[builds]': 'version,preReleaseVersion',
      'fields[preReleaseVersions]': 'version,platform',
      limit: '200'
    })
  })

  it('reads the builds once more only when the train has another stored spelling', async () => {
    const { client, seen } = mockApi(path => {
      if (path.endsWith('/buildUploads')) return { body: uploadsPage([]) }
      if (path === '/v1/preReleaseVersions') return { body: { data: [] } }
      return { body: buildsPage([]) }
    })
    expect(await nextBuildNumber(client, { ...request, appVersion: '3.0' })).toBe('1')
    expect(seen.map(r => r.path)).toEqual([
      '/v1/builds',
      '/v1/preReleaseVersions',
      '/v1/apps/1600000001/buildUploads'
    ])
  })

  it('leaves out, with a warning that names each, numbers it cannot read or bump', async () => {
    const written = captureStdout()
    const { client } = api(
      [[{ id: 'a', version: '41', uploaded: '2026-10-31T17:00:00-07:00' }]],
      [
        { id: 'u1', buildNumber: '41x', state: 'PROCESSING' },
        { id: 'u2', buildNumber: '', state: 'AWAITING_UPLOAD' },
        { id: 'u3', buildNumber: '99999999999999999999999', state: 'FAILED' },
        { id: 'u4', buildNumber: '1.2.3.4', state: 'FAILED' }
      ]
    )
    expect(await nextBuildNumber(client, request)).toBe('42')
    expect(written.filter(line => line.startsWith('::warning::'))).toEqual([
      '::warning::next-build-number: left out "41x" of upload u1 (PROCESSING): it is not dot-separated integers.\n',
      '::warning::next-build-number: left out a missing build number of upload u2 (AWAITING_UPLOAD): it is not dot-separated integers.\n',
      '::warning::next-build-number: left out 99999999999999999999999 of upload u3 (FAILED): a part of more than 18 digits cannot be bumped into a number Apple takes.\n'
    ])
  })

  it('answers nothing, with a warning, when one more than the highest cannot be formed', async () => {
    const written = captureStdout()
    const { client } = api(
      [[{ id: 'a', version: '1.999999999999999999', uploaded: '2026-10-31T17:00:00-07:00' }]],
      []
    )
    expect(await nextBuildNumber(client, request)).toBeUndefined()
    expect(written).toEqual([
      '::warning::next-build-number is left empty: one more than 1.999999999999999999, the highest build number in use, ' +
        'has a part of more than 18 digits. Set the next build number yourself.\n'
    ])
  })

  it('bumps to a part of exactly 18 digits, and leaves out a number with one longer part', async () => {
    const written = captureStdout()
    const { client } = api(
      [
        [
          { id: 'a', version: '100000000000000000', uploaded: '2026-10-31T17:00:00-07:00' },
          { id: 'b', version: '4.x', uploaded: '2026-10-30T17:00:00-07:00' }
        ]
      ],
      [{ id: 'u1', buildNumber: '999999999999999999.1234567890123456789', state: 'FAILED' }]
    )
    expect(await nextBuildNumber(client, request)).toBe('100000000000000001')
    expect(written.filter(line => line.startsWith('::warning::'))).toEqual([
      '::warning::next-build-number: left out "4.x" of build b: it is not dot-separated integers.\n',
      '::warning::next-build-number: left out 999999999999999999.1234567890123456789 of upload u1 (FAILED): a part of more than 18 digits cannot be bumped into a number Apple takes.\n'
    ])
  })

  it('says what it was doing when Apple refuses', async () => {
    const { client } = mockApi(() => ({
      status: 403,
      body: appleError(403, 'FORBIDDEN_ERROR', 'No.')
    }))
    await expect(nextBuildNumber(client, request)).rejects.toThrow(
      /^App Store Connect answered 403 while listing every build of app 1600000001: /
    )
    const versions = mockApi(path =>
      path === '/v1/preReleaseVersions'
        ? { status: 403, body: appleError(403, 'FORBIDDEN_ERROR', 'No.') }
        : { body: buildsPage([]) }
    )
    await expect(
      nextBuildNumber(versions.client, { ...request, appVersion: '1.7' })
    ).rejects.toThrow(
      /^App Store Connect answered 403 while listing the versions of app 1600000001: /
    )
  })

  it('is initial-build-number (1 by default) for an app with no build and no upload', async () => {
    const { client } = api([[]], [])
    expect(await nextBuildNumber(client, request)).toBe('1')
  })
})
