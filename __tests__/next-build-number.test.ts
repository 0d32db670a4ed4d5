import { describe, expect, it } from '@jest/globals'
import { nextBuildNumber } from '../src/choose/next-build-number.js'
import {
  appleError,
  buildsPage,
  uploadsPage,
  type BuildSpec,
  type UploadSpec
} from './support/documents.js'
import { API, mockApi } from './support/mock-api.js'

const NOW = new Date('2026-11-27T12:00:00Z')
const IOS_24 = { id: 'prv-24', version: '2.4', platform: 'IOS' as const }
const IOS_25 = { id: 'prv-25', version: '2.5.0', platform: 'IOS' as const }
const MAC_25 = { id: 'prv-mac', version: '2.5.0', platform: 'MAC_OS' as const }

function api(builds: BuildSpec[][], uploads: UploadSpec[]) {
  return mockApi((path, query) => {
    if (path.endsWith('/buildUploads')) return { body: uploadsPage(uploads) }
    const index = Number(query.get('cursor') ?? '0')
    const next = index + 1 < builds.length ? `${API}/v1/builds?cursor=${index + 1}` : undefined
    return { body: buildsPage(builds[index]!, next) }
  })
}

const request = { appId: '1600000001', platform: 'IOS' as const, appVersion: undefined }

describe('nextBuildNumber', () => {
  it('counts builds in every state, expired ones, and uploads in flight or failed', async () => {
    const { client, seen } = api(
      [
        [
          { id: 'a', version: '40', uploaded: '2026-11-01T00:00:00Z', expired: true },
          { id: 'b', version: '41', uploaded: '2026-11-02T00:00:00Z', state: 'FAILED' }
        ],
        [{ id: 'c', version: '9', uploaded: '2026-11-03T00:00:00Z', state: 'PROCESSING' }]
      ],
      [{ id: 'u1', buildNumber: '42', state: 'FAILED' }]
    )
    expect(await nextBuildNumber(client, request, NOW)).toBe('43')
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
    expect(uploads['filter[state]']).toBe('AWAITING_UPLOAD,PROCESSING,FAILED')
    expect(uploads['filter[platform]']).toBe('IOS')
  })

  it('counts an upload still in flight, which /v1/builds cannot see yet', async () => {
    const { client } = api(
      [[{ id: 'a', version: '631', uploaded: '2026-11-01T00:00:00Z' }]],
      [{ id: 'u', buildNumber: '632', state: 'AWAITING_UPLOAD' }]
    )
    expect(await nextBuildNumber(client, request, NOW)).toBe('633')
  })

  it('bumps a dotted number on its last part and compares numerically', async () => {
    const { client } = api(
      [
        [
          { id: 'a', version: '1.4.9', uploaded: '2026-11-01T00:00:00Z' },
          { id: 'b', version: '1.4.10', uploaded: '2026-11-02T00:00:00Z' },
          { id: 'c', version: '1.3.99', uploaded: '2026-11-03T00:00:00Z' }
        ]
      ],
      []
    )
    expect(await nextBuildNumber(client, request, NOW)).toBe('1.4.11')
  })

  it('stays within the marketing version, whatever its spelling, and the platform', async () => {
    const { client, seen } = api(
      [
        [
          { id: 'a', version: '90', uploaded: '2026-11-01T00:00:00Z', preRelease: IOS_24 },
          { id: 'b', version: '3', uploaded: '2026-11-02T00:00:00Z', preRelease: IOS_25 },
          { id: 'c', version: '70', uploaded: '2026-11-03T00:00:00Z', preRelease: MAC_25 }
        ]
      ],
      [
        { id: 'u1', buildNumber: '4', appVersion: '2.5', state: 'PROCESSING' },
        { id: 'u2', buildNumber: '80', appVersion: '2.4', state: 'PROCESSING' }
      ]
    )
    expect(await nextBuildNumber(client, { ...request, appVersion: '2.5' }, NOW)).toBe('5')
    expect(seen[0]!.query.get('filter[preReleaseVersion.version]')).toBe('2.5,2.5.0')
    expect(seen[1]!.query.get('filter[cfBundleShortVersionString]')).toBe('2.5,2.5.0')
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
            ? [{ id: 'a', version: '1.7.4', uploaded: '2026-11-01T00:00:00Z', preRelease: IOS_107 }]
            : []
        )
      }
    })
    expect(await nextBuildNumber(client, { ...request, appVersion: '1.7' }, NOW)).toBe('1.7.5')
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
    await nextBuildNumber(client, request, NOW)
    expect(Object.fromEntries(seen[0]!.query)).toEqual({
      'filter[app]': '1600000001',
      'filter[processingState]': 'VALID,PROCESSING,FAILED,INVALID',
      'filter[preReleaseVersion.platform]': 'IOS',
      include: 'preReleaseVersion',
      'fields[builds]': 'version,processingState,preReleaseVersion',
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
    expect(await nextBuildNumber(client, { ...request, appVersion: '3.0' }, NOW)).toBe('1')
    expect(seen.map(r => r.path)).toEqual([
      '/v1/builds',
      '/v1/preReleaseVersions',
      '/v1/apps/1600000001/buildUploads'
    ])
  })

  it('ignores numbers that are not one to three integers', async () => {
    const { client } = api(
      [[{ id: 'a', version: '41', uploaded: '2026-11-01T00:00:00Z' }]],
      [
        { id: 'u1', buildNumber: '41x', state: 'PROCESSING' },
        { id: 'u2', buildNumber: 'x41', state: 'PROCESSING' },
        { id: 'u3', buildNumber: 'abc', state: 'FAILED' },
        { id: 'u4', buildNumber: '1.2.3.4', state: 'FAILED' }
      ]
    )
    expect(await nextBuildNumber(client, request, NOW)).toBe('42')
  })

  it('says what it was doing when Apple refuses', async () => {
    const { client } = mockApi(() => ({
      status: 403,
      body: appleError(403, 'FORBIDDEN_ERROR', 'No.')
    }))
    await expect(nextBuildNumber(client, request, NOW)).rejects.toThrow(
      /^App Store Connect answered 403 while listing every build of app 1600000001: /
    )
    const versions = mockApi(path =>
      path === '/v1/preReleaseVersions'
        ? { status: 403, body: appleError(403, 'FORBIDDEN_ERROR', 'No.') }
        : { body: buildsPage([]) }
    )
    await expect(
      nextBuildNumber(versions.client, { ...request, appVersion: '1.7' }, NOW)
    ).rejects.toThrow(
      /^App Store Connect answered 403 while listing the versions of app 1600000001: /
    )
  })

  it('is 1 for an app with no build and no upload', async () => {
    const { client } = api([[]], [])
    expect(await nextBuildNumber(client, request, NOW)).toBe('1')
  })
})
