// buildUploads: every build's upload, uploads that never became builds, and Apple's parameters
// for GET /v1/apps/{id}/buildUploads and GET /v1/buildUploads/{id}.
import { describe, expect, it } from '@jest/globals'
import {
  generateCatalogue,
  MAIN_BUNDLE_ID,
  type ErrorDocument,
  type InstanceDocument,
  type Resource
} from '../../sandbox/index.js'
import { fetchAll, getOn, makeKey, NOW, sandboxForFile, seededOnly, token } from './helpers.js'

const key = makeKey('UPLOADKEY1', 'issuer-uploads')
const bearer = token(key)
const catalogue = generateCatalogue({ seed: 1, now: NOW })
const main = catalogue.apps.find(a => a.bundleId === MAIN_BUNDLE_ID)!
const mainUploads = catalogue.buildUploads.filter(u => u.appId === main.id)
const landmark = (name: keyof typeof catalogue.landmarks) => catalogue.landmarks[name]!
const uploadById = (id: string) => catalogue.buildUploads.find(u => u.id === id)!

const sandbox = sandboxForFile({ catalogue, keys: [key] })
const get = getOn(sandbox, bearer)
const uploadsPath = (query: string) => `/v1/apps/${main.id}/buildUploads?${query}`
const state = (r: Resource) => (r.attributes!['state'] as { state: string }).state
const numberOf = (r: Resource) => r.attributes!['cfBundleVersion'] as string

/** Integer parts compared numerically: the test's own idea of "higher". */
function higher(a: string, b: string): boolean {
  const [x, y] = [a.split('.').map(BigInt), b.split('.').map(BigInt)]
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0n) !== (y[i] ?? 0n)) return (x[i] ?? 0n) > (y[i] ?? 0n)
  }
  return false
}

describe('the catalogue’s uploads', () => {
  it('gives every build exactly one COMPLETE upload, same number, platform and upload date', () => {
    const prvs = new Map(catalogue.preReleaseVersions.map(p => [p.id, p]))
    const byBuild = new Map<string, (typeof catalogue.buildUploads)[number][]>()
    for (const upload of catalogue.buildUploads) {
      if (upload.buildId)
        byBuild.set(upload.buildId, [...(byBuild.get(upload.buildId) ?? []), upload])
    }
    for (const build of catalogue.builds) {
      expect(byBuild.get(build.id)).toHaveLength(1)
      const upload = byBuild.get(build.id)![0]!
      expect(upload).toMatchObject({
        appId: build.appId,
        cfBundleVersion: build.version,
        platform: prvs.get(build.preReleaseVersionId)!.platform,
        uploadedDate: build.uploadedDate,
        state: { state: 'COMPLETE', errors: [] }
      })
      expect(Date.parse(upload.createdDate)).toBeLessThan(Date.parse(build.uploadedDate))
    }
  })

  it('has uploads that never became builds: FAILED with errors, and in flight', () => {
    const orphans = seededOnly(catalogue).buildUploads.filter(u => u.buildId === null)
    expect(new Set(orphans.map(u => u.state.state))).toEqual(
      new Set(['FAILED', 'PROCESSING', 'AWAITING_UPLOAD'])
    )
    for (const failed of orphans.filter(u => u.state.state === 'FAILED')) {
      expect(failed.state.errors.length).toBeGreaterThan(0)
      for (const error of failed.state.errors) {
        expect(error).toEqual({ code: expect.any(String), description: expect.any(String) })
      }
    }
    // Only AWAITING_UPLOAD lacks the date the file arrived.
    expect(catalogue.buildUploads.filter(u => u.uploadedDate === null)).toEqual([
      uploadById(landmark('weather.ios.upload.awaiting'))
    ])
  })
})

describe('GET /v1/apps/{id}/buildUploads', () => {
  it('renders Apple’s shape, and pages through every upload of the app', async () => {
    const pages = await fetchAll(`${sandbox.url}${uploadsPath('limit=200')}`, bearer)
    const data = pages.flatMap(p => p.data)
    expect(data.map(r => r.id).sort()).toEqual(mainUploads.map(u => u.id).sort())
    expect(pages[0]!.meta.paging).toEqual({ total: mainUploads.length, limit: 200 })
    const upload = mainUploads.find(u => u.state.warnings.length > 0)!
    const resource = data.find(r => r.id === upload.id)!
    expect(resource).toEqual({
      type: 'buildUploads',
      id: upload.id,
      attributes: {
        cfBundleShortVersionString: upload.cfBundleShortVersionString,
        cfBundleVersion: upload.cfBundleVersion,
        createdDate: upload.createdDate,
        state: { state: 'COMPLETE', errors: [], warnings: upload.state.warnings, infos: [] },
        platform: upload.platform,
        uploadedDate: upload.uploadedDate
      },
      relationships: {
        buildUploadFiles: {
          links: {
            self: `${sandbox.url}/v1/buildUploads/${upload.id}/relationships/buildUploadFiles`,
            related: `${sandbox.url}/v1/buildUploads/${upload.id}/buildUploadFiles`
          }
        }
      },
      links: { self: `${sandbox.url}/v1/buildUploads/${upload.id}` }
    })
  })

  it('shows an upload AWAITING_UPLOAD without uploadedDate, and a FAILED one with its errors', async () => {
    const res = await get(
      uploadsPath(
        'filter[state]=AWAITING_UPLOAD,FAILED&fields[buildUploads]=state,uploadedDate,build'
      )
    )
    const awaiting = res.body.data.find(r => r.id === landmark('weather.ios.upload.awaiting'))!
    expect(awaiting.attributes).toEqual({
      state: { state: 'AWAITING_UPLOAD', errors: [], warnings: [], infos: [] },
      uploadedDate: null
    })
    const failed = res.body.data.find(r => r.id === landmark('weather.ios.upload.failed'))!
    expect(state(failed)).toBe('FAILED')
    expect(failed.attributes!['state']).toMatchObject({
      errors: [{ code: 'ITMS-90022', description: expect.stringMatching(/icon/) }]
    })
    expect(failed.relationships).toEqual({ build: { data: null } })
    expect(new Set(res.body.data.map(state))).toEqual(new Set(['AWAITING_UPLOAD', 'FAILED']))
  })

  it('filters by exact cfBundleVersion, spelling of cfBundleShortVersionString, platform and state', async () => {
    const hotfix = catalogue.builds.find(b => b.id === landmark('weather.ios.latestValid'))!
    const same = await get(uploadsPath(`filter[cfBundleVersion]=${hotfix.version}`))
    // An upload FAILED, and the number was used again by the upload that became the build.
    expect(same.body.data.map(r => [r.id, state(r)]).sort()).toEqual(
      [
        [landmark('weather.ios.upload.failedThenReused'), 'FAILED'],
        [mainUploads.find(u => u.buildId === hotfix.id)!.id, 'COMPLETE']
      ].sort()
    )
    const spelled = await get(
      uploadsPath('filter[cfBundleShortVersionString]=3.2.0&filter[platform]=IOS&limit=200')
    )
    const expected = mainUploads.filter(
      u => u.cfBundleShortVersionString === '3.2.0' && u.platform === 'IOS'
    )
    expect(expected.length).toBeGreaterThan(5)
    expect(spelled.body.data.map(r => r.id).sort()).toEqual(expected.map(u => u.id).sort())
    const inFlight = await get(uploadsPath('filter[state]=PROCESSING,AWAITING_UPLOAD'))
    expect(inFlight.body.data.map(r => r.id).sort()).toEqual(
      [landmark('weather.ios.upload.processing'), landmark('weather.ios.upload.awaiting')].sort()
    )
    // filter[state] is a free string in Apple's spec: an unknown state finds nothing.
    const unknown = await get(uploadsPath('filter[state]=DONE'))
    expect(unknown.status).toBe(200)
    expect(unknown.body.data).toEqual([])
  })

  it('puts uploads in flight and failed above every build number of /v1/builds', async () => {
    const builds = await fetchAll(
      `${sandbox.url}/v1/builds?filter[app]=${main.id}&fields[builds]=version&limit=200`,
      bearer
    )
    const numbers = builds.flatMap(p => p.data.map(r => r.attributes!['version'] as string))
    const highest = numbers.reduce((max, n) => (higher(n, max) ? n : max))
    const uploads = await get(uploadsPath('filter[state]=FAILED,PROCESSING,AWAITING_UPLOAD'))
    const above = uploads.body.data.filter(r => higher(numberOf(r), highest)).map(numberOf)
    // "Next build number" from /v1/builds alone (highest + 1) collides with a failed upload.
    expect(above.sort()).toEqual([1, 2, 3].map(n => String(Number(highest) + n)).sort())
  })

  it('sorts -uploadedDate with the upload awaiting its file first, and cfBundleVersion as text', async () => {
    const res = await get(
      uploadsPath('sort=-uploadedDate&limit=5&fields[buildUploads]=uploadedDate,state')
    )
    expect(res.body.data[0]!.id).toBe(landmark('weather.ios.upload.awaiting'))
    const dates = res.body.data
      .slice(1)
      .map(r => Date.parse(r.attributes!['uploadedDate'] as string))
    expect(dates).toEqual([...dates].sort((a, b) => b - a))
    expect(res.body.data[1]!.id).toBe(landmark('weather.ios.upload.processing'))
    const text = await get(uploadsPath('sort=-cfBundleVersion&limit=200&filter[platform]=IOS'))
    const numbers = text.body.data.map(numberOf)
    expect(numbers).toEqual([...numbers].sort().reverse())
    expect(numbers[0]!.startsWith('9')).toBe(true)
  })

  it('includes each build once, trimmed by fields[builds]', async () => {
    const res = await get(
      uploadsPath('include=build&fields[builds]=version,processingState&limit=50')
    )
    const linked = res.body.data
      .map(r => (r.relationships!['build']!.data as { id: string } | null)?.id)
      .filter((id): id is string => id !== undefined)
    expect(new Set(res.body.included!.map(r => r.id))).toEqual(new Set(linked))
    for (const build of res.body.included!) {
      expect(build.type).toBe('builds')
      expect(Object.keys(build.attributes!)).toEqual(['version', 'processingState'])
    }
  })

  it.each([
    ['filter[app]=1', 'PARAMETER_ERROR.ILLEGAL'],
    ['filter[platform]=ANDROID', 'PARAMETER_ERROR.INVALID'],
    ['sort=createdDate', 'PARAMETER_ERROR.INVALID'],
    ['include=buildUploadFiles', 'PARAMETER_ERROR.INVALID'],
    ['fields[buildUploads]=state,bundleId', 'PARAMETER_ERROR.INVALID'],
    ['fields[buildUploadFiles]=size', 'PARAMETER_ERROR.INVALID'],
    ['fields[preReleaseVersions]=version', 'PARAMETER_ERROR.ILLEGAL'],
    ['limit=201', 'PARAMETER_ERROR.INVALID']
  ])('refuses %s with %s', async (query, code) => {
    const res = await get<ErrorDocument>(uploadsPath(query))
    expect(res.status).toBe(400)
    expect(res.body.errors[0]!.code).toBe(code)
  })

  it('answers an unknown app with 404', async () => {
    const res = await get<ErrorDocument>('/v1/apps/1234567890/buildUploads')
    expect(res.status).toBe(404)
  })
})

describe('GET /v1/buildUploads/{id}', () => {
  it('answers one upload, with its build included on request', async () => {
    const upload = mainUploads.find(u => u.buildId !== null)!
    const res = await get<InstanceDocument>(`/v1/buildUploads/${upload.id}?include=build`)
    expect(res.status).toBe(200)
    expect(res.body.data.relationships!['build']).toEqual({
      data: { type: 'builds', id: upload.buildId }
    })
    expect(res.body.included!.map(r => r.id)).toEqual([upload.buildId])
    expect(res.body.links.self).toBe(`${sandbox.url}/v1/buildUploads/${upload.id}?include=build`)
  })

  it('answers an unknown id with 404 NOT_FOUND', async () => {
    const res = await get<ErrorDocument>('/v1/buildUploads/nope')
    expect(res.status).toBe(404)
    expect(res.body.errors[0]!.detail).toBe(
      "There is no resource of type 'buildUploads' with id 'nope'"
    )
  })
})

describe('/v1/builds and the upload', () => {
  it('links and includes a build’s upload, trimmed by fields[buildUploads]', async () => {
    const build = catalogue.builds.find(b => b.appId === main.id)!
    const res = await get<InstanceDocument>(
      `/v1/builds/${build.id}?include=buildUpload&fields[buildUploads]=cfBundleShortVersionString,state`
    )
    const upload = catalogue.buildUploads.find(u => u.buildId === build.id)!
    expect(res.body.data.relationships!['buildUpload']).toEqual({
      data: { type: 'buildUploads', id: upload.id }
    })
    expect(res.body.included).toEqual([
      expect.objectContaining({
        type: 'buildUploads',
        id: upload.id,
        attributes: {
          cfBundleShortVersionString: upload.cfBundleShortVersionString,
          state: { state: 'COMPLETE', errors: [], warnings: upload.state.warnings, infos: [] }
        }
      })
    ])
    const bad = await get<ErrorDocument>(`/v1/builds?fields[buildUploads]=name`)
    expect(bad.status).toBe(400)
  })
})
