import { describe, expect, it } from '@jest/globals'
import { findAppStoreBuild } from '../src/choose/app-store.js'
import type { BuildFilters, SearchRequest } from '../src/choose/search-types.js'
import { buildResource, type BuildSpec } from './support/documents.js'
import { mockApi } from './support/mock-api.js'

const LIVE_ONLY: BuildFilters = {
  processingStates: ['VALID'],
  includeExpired: false,
  readyFor: 'any',
  platform: 'IOS',
  appStoreStates: ['READY_FOR_DISTRIBUTION']
}

function search(filters: Partial<BuildFilters> = {}): SearchRequest {
  return {
    appId: '1600000001',
    appIdGiven: true,
    filters: { ...LIVE_ONLY, ...filters },
    latestBy: 'uploaded-date',
    now: new Date('2026-12-05T12:00:00Z')
  }
}

interface VersionSpec {
  id: string
  versionString: string
  state: string
  platform?: string
  created?: string
  build?: BuildSpec
}

/** A page of appStoreVersions with their builds included, as Apple answers include=build. */
function versionsPage(specs: VersionSpec[]): object {
  return {
    data: specs.map(spec => ({
      type: 'appStoreVersions',
      id: spec.id,
      attributes: {
        platform: spec.platform ?? 'IOS',
        versionString: spec.versionString,
        appVersionState: spec.state,
        createdDate: spec.created ?? '2026-10-01T09:00:00-07:00'
      },
      relationships: {
        build: { data: spec.build ? { type: 'builds', id: spec.build.id } : null }
      }
    })),
    included: specs.flatMap(spec => (spec.build ? [buildResource(spec.build)] : [])),
    links: { self: 'https://api.appstoreconnect.apple.com/v1/apps/1600000001/appStoreVersions' }
  }
}

const OLD = { id: 'b-old', version: '500', uploaded: '2026-06-01T10:00:00-07:00' }
const NEW = { id: 'b-new', version: '512', uploaded: '2026-09-20T10:00:00-07:00' }

describe('findAppStoreBuild', () => {
  it('asks once for the versions in those states on the platform, with their builds', async () => {
    const { client, seen } = mockApi(() => ({
      body: versionsPage([
        { id: 'v1', versionString: '2.3', state: 'READY_FOR_DISTRIBUTION', build: NEW }
      ])
    }))
    const result = await findAppStoreBuild(
      client,
      search({ appStoreStates: ['WAITING_FOR_REVIEW', 'IN_REVIEW'] })
    )
    expect(seen[0]!.path).toBe('/v1/apps/1600000001/appStoreVersions')
    expect(Object.fromEntries(seen[0]!.query)).toMatchObject({
      'filter[appVersionState]': 'WAITING_FOR_REVIEW,IN_REVIEW',
      'filter[platform]': 'IOS',
      include: 'build'
    })
    // Apple's filter is checked again: a version in another state is not the answer.
    expect(result.build).toBeUndefined()
    // With none in those states, a second request lists every version for the message.
    expect(result.appStoreVersionsSeen).toEqual({
      inStates: false,
      versions: ['2.3 (IOS) READY_FOR_DISTRIBUTION']
    })
    expect(seen).toHaveLength(2)
  })

  it('answers with the build of the newest version by creation date, whatever the order', async () => {
    const { client } = mockApi(() => ({
      body: versionsPage([
        {
          id: 'v2',
          versionString: '2.3',
          state: 'READY_FOR_DISTRIBUTION',
          created: '2026-09-18T09:00:00-07:00',
          build: NEW
        },
        {
          id: 'v1',
          versionString: '2.2',
          state: 'READY_FOR_DISTRIBUTION',
          created: '2026-05-30T09:00:00-07:00',
          build: OLD
        }
      ])
    }))
    const result = await findAppStoreBuild(client, search())
    expect(result.build).toMatchObject({
      id: 'b-new',
      buildNumber: '512',
      appVersion: '2.3',
      appStoreVersion: { versionString: '2.3', state: 'READY_FOR_DISTRIBUTION' }
    })
    expect(result.considered).toBe(2)
  })

  it('keeps to app-version and build-number, compared as Apple compares them', async () => {
    const { client } = mockApi(() => ({
      body: versionsPage([
        {
          id: 'v2',
          versionString: '2.3',
          state: 'READY_FOR_DISTRIBUTION',
          created: '2026-09-18T09:00:00-07:00',
          build: NEW
        },
        {
          id: 'v1',
          versionString: '2.2',
          state: 'READY_FOR_DISTRIBUTION',
          created: '2026-05-30T09:00:00-07:00',
          build: OLD
        }
      ])
    }))
    expect((await findAppStoreBuild(client, search({ appVersion: '2.2.0' }))).build?.id).toBe(
      'b-old'
    )
    expect((await findAppStoreBuild(client, search({ buildNumber: '500' }))).build?.id).toBe(
      'b-old'
    )
  })

  it('names the versions in those states when none ships a matching build, from the same answer', async () => {
    const { client, seen } = mockApi(() => ({
      body: versionsPage([
        { id: 'v1', versionString: '2.3', state: 'READY_FOR_DISTRIBUTION', build: NEW },
        {
          id: 'v0',
          versionString: '2.4',
          state: 'READY_FOR_DISTRIBUTION',
          created: '2026-11-01T09:00:00-07:00'
        }
      ])
    }))
    const result = await findAppStoreBuild(client, search({ appVersion: '9.9' }))
    expect(result.build).toBeUndefined()
    expect(result.appStoreVersionsSeen).toEqual({
      inStates: true,
      versions: ['2.4 (IOS) READY_FOR_DISTRIBUTION', '2.3 (IOS) READY_FOR_DISTRIBUTION']
    })
    expect(seen).toHaveLength(1)
  })

  it('with no version in those states, lists every version of the platform, newest first', async () => {
    const { client, seen } = mockApi((_path, query) =>
      query.has('filter[appVersionState]')
        ? { body: versionsPage([]) }
        : {
            body: versionsPage([
              {
                id: 'v1',
                versionString: '1.0',
                state: 'REJECTED',
                created: '2026-08-01T09:00:00-07:00'
              },
              {
                id: 'v2',
                versionString: '1.1',
                state: 'WAITING_FOR_REVIEW',
                created: '2026-11-01T09:00:00-08:00'
              }
            ])
          }
    )
    const result = await findAppStoreBuild(client, search())
    expect(result.appStoreVersionsSeen).toEqual({
      inStates: false,
      versions: ['1.1 (IOS) WAITING_FOR_REVIEW', '1.0 (IOS) REJECTED']
    })
    expect(seen).toHaveLength(2)
    expect(seen[1]!.query.get('filter[platform]')).toBe('IOS')
    expect(seen[1]!.query.has('include')).toBe(false)
  })

  it('leaves out a build whose number cannot be read, and takes the next newest', async () => {
    const { client } = mockApi(() => ({
      body: versionsPage([
        {
          id: 'v2',
          versionString: '2.3',
          state: 'READY_FOR_DISTRIBUTION',
          created: '2026-09-18T09:00:00-07:00',
          build: { ...NEW, version: '512 beta' }
        },
        {
          id: 'v1',
          versionString: '2.2',
          state: 'READY_FOR_DISTRIBUTION',
          created: '2026-05-30T09:00:00-07:00',
          build: OLD
        }
      ])
    }))
    expect((await findAppStoreBuild(client, search())).build?.id).toBe('b-old')
  })

  it('takes a version in any of the states asked for, on the platform asked for only', async () => {
    const { client } = mockApi(() => ({
      body: versionsPage([
        {
          id: 'v-mac',
          versionString: '2.4',
          state: 'IN_REVIEW',
          platform: 'MAC_OS',
          created: '2026-11-20T09:00:00-08:00',
          build: { ...NEW, id: 'b-mac' }
        },
        {
          id: 'v-ios',
          versionString: '2.3',
          state: 'IN_REVIEW',
          created: '2026-09-18T09:00:00-07:00',
          build: NEW
        }
      ])
    }))
    const result = await findAppStoreBuild(
      client,
      search({ appStoreStates: ['WAITING_FOR_REVIEW', 'IN_REVIEW'] })
    )
    expect(result).toEqual({
      build: expect.objectContaining({ id: 'b-new', appVersion: '2.3' }),
      considered: 1,
      blocked: undefined,
      otherPlatforms: [],
      inFlight: [],
      unknownValues: [],
      appStoreVersionsSeen: undefined
    })
  })

  it('breaks a tie of creation dates by the higher version; a version without a date is the oldest', async () => {
    const same = '2026-09-18T09:00:00-07:00'
    const { client } = mockApi(() => ({
      body: versionsPage([
        {
          id: 'v1',
          versionString: '2.10',
          state: 'READY_FOR_DISTRIBUTION',
          created: same,
          build: NEW
        },
        {
          id: 'v2',
          versionString: '2.9',
          state: 'READY_FOR_DISTRIBUTION',
          created: same,
          build: OLD
        }
      ])
    }))
    expect((await findAppStoreBuild(client, search())).build?.id).toBe('b-new')
    const undated = versionsPage([
      { id: 'v1', versionString: '9.0', state: 'READY_FOR_DISTRIBUTION', build: NEW },
      { id: 'v2', versionString: '2.2', state: 'READY_FOR_DISTRIBUTION', build: OLD }
    ]) as { data: Array<{ attributes: Record<string, unknown> }> }
    delete undated.data[0]!.attributes.createdDate
    const { client: second } = mockApi(() => ({ body: undated }))
    expect((await findAppStoreBuild(second, search())).build?.id).toBe('b-old')
  })

  it('names the versions in those states newest first, whatever order Apple sent them in', async () => {
    const { client } = mockApi(() => ({
      body: versionsPage([
        {
          id: 'v0',
          versionString: '2.4',
          state: 'READY_FOR_DISTRIBUTION',
          created: '2026-11-01T09:00:00-07:00'
        },
        {
          id: 'v2',
          versionString: '2.2',
          state: 'READY_FOR_DISTRIBUTION',
          created: '2026-05-01T09:00:00-07:00'
        },
        {
          id: 'v1',
          versionString: '2.3',
          state: 'READY_FOR_DISTRIBUTION',
          created: '2026-08-01T09:00:00-07:00'
        }
      ])
    }))
    expect((await findAppStoreBuild(client, search())).appStoreVersionsSeen?.versions).toEqual([
      '2.4 (IOS) READY_FOR_DISTRIBUTION',
      '2.3 (IOS) READY_FOR_DISTRIBUTION',
      '2.2 (IOS) READY_FOR_DISTRIBUTION'
    ])
  })
})
