// The app's uploads: asked for with Apple's filters, and re-checked on the client.
import { describe, expect, it } from '@jest/globals'
import { listUploads, type UploadFilters } from '../src/choose/uploads.js'
import { appleError, uploadsPage, type UploadSpec } from './support/documents.js'
import { API, mockApi } from './support/mock-api.js'

const UPLOADS: UploadSpec[] = [
  { id: 'ios-25-7', buildNumber: '7', appVersion: '2.5', state: 'PROCESSING' },
  { id: 'mac-25-7', buildNumber: '7', appVersion: '2.5', platform: 'MAC_OS', state: 'PROCESSING' },
  { id: 'ios-24-7', buildNumber: '7', appVersion: '2.4', state: 'PROCESSING' },
  { id: 'ios-25-8', buildNumber: '8', appVersion: '2.5', state: 'COMPLETE' },
  { id: 'ios-250-9', buildNumber: '9', appVersion: '2.5.0', state: 'FAILED' }
]

/** Apple ignoring every filter: the client-side check is all that stands. */
const ignoringFilters = () => mockApi(() => ({ body: uploadsPage(UPLOADS) }))

describe('listUploads', () => {
  it('asks for 200 uploads a page, newest first, with the fields it reads and no filter unasked', async () => {
    const { client, seen } = ignoringFilters()
    const uploads = await listUploads(client, '1600000001', {})
    expect(uploads.map(upload => upload.id)).toEqual(UPLOADS.map(upload => upload.id))
    expect(seen[0]!.path).toBe('/v1/apps/1600000001/buildUploads')
    expect(Object.fromEntries(seen[0]!.query)).toEqual({
      sort: '-uploadedDate',
      'fields[buildUploads]':
        'cfBundleVersion,cfBundleShortVersionString,platform,createdDate,uploadedDate,state,build',
      limit: '200'
    })
  })

  it('asks Apple for each filter, every spelling of the train included', async () => {
    const { client, seen } = ignoringFilters()
    await listUploads(client, '1600000001', {
      platform: 'IOS',
      appVersion: '2.5',
      storedSpellings: ['2.05'],
      buildNumber: '7',
      states: ['AWAITING_UPLOAD', 'PROCESSING']
    })
    expect(Object.fromEntries(seen[0]!.query)).toMatchObject({
      'filter[platform]': 'IOS',
      'filter[cfBundleShortVersionString]': '2.5,2.5.0,2.05',
      'filter[cfBundleVersion]': '7',
      'filter[state]': 'AWAITING_UPLOAD,PROCESSING'
    })
  })

  it.each<[string, UploadFilters, string[]]>([
    ['platform', { platform: 'IOS' }, ['ios-25-7', 'ios-24-7', 'ios-25-8', 'ios-250-9']],
    [
      'app version, any spelling',
      { appVersion: '2.5' },
      ['ios-25-7', 'mac-25-7', 'ios-25-8', 'ios-250-9']
    ],
    ['build number', { buildNumber: '7' }, ['ios-25-7', 'mac-25-7', 'ios-24-7']],
    ['states', { states: ['COMPLETE', 'FAILED'] }, ['ios-25-8', 'ios-250-9']]
  ])(
    'keeps only the uploads of the %s asked for when Apple ignores the filter',
    async (_case, filters, ids) => {
      const { client } = ignoringFilters()
      const uploads = await listUploads(client, '1600000001', filters)
      expect(uploads.map(upload => upload.id)).toEqual(ids)
    }
  )

  it('drops uploads that do not say their marketing version or state when those are asked for', async () => {
    const { client } = mockApi(() => ({
      body: {
        data: [
          { type: 'buildUploads', id: 'bare', attributes: { cfBundleVersion: '7' } },
          ...(uploadsPage(UPLOADS.slice(0, 1)) as { data: unknown[] }).data
        ]
      }
    }))
    expect((await listUploads(client, '1', { appVersion: '2.5' })).map(u => u.id)).toEqual([
      'ios-25-7'
    ])
    expect((await listUploads(client, '1', { states: ['PROCESSING'] })).map(u => u.id)).toEqual([
      'ios-25-7'
    ])
  })

  it('reads every page', async () => {
    const { client, seen } = mockApi((_path, query) =>
      query.get('cursor')
        ? { body: uploadsPage(UPLOADS.slice(1, 2)) }
        : { body: uploadsPage(UPLOADS.slice(0, 1), `${API}/v1/apps/1/buildUploads?cursor=2`) }
    )
    expect((await listUploads(client, '1', {})).map(u => u.id)).toEqual(['ios-25-7', 'mac-25-7'])
    expect(seen).toHaveLength(2)
  })

  it('says what it was doing when Apple refuses', async () => {
    const { client } = mockApi(() => ({
      status: 403,
      body: appleError(403, 'FORBIDDEN_ERROR', 'No.')
    }))
    await expect(listUploads(client, '1600000001', {})).rejects.toThrow(
      /^App Store Connect answered 403 while listing the uploads of app 1600000001: FORBIDDEN_ERROR: No\./
    )
  })
})
