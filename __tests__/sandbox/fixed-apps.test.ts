// The fixed apps planted beside the seeded catalogue, as the API serves them: each holds one
// case in numbers the end-to-end tests name.
import { describe, expect, it } from '@jest/globals'
import {
  FIXED_BUNDLE_IDS,
  generateCatalogue,
  type CollectionDocument,
  type Resource
} from '../../sandbox/index.js'
import { getOn, makeKey, NOW, sandboxForFile, token } from './helpers.js'

const key = makeKey('FIXEDKEY01', 'issuer-fixed')
const catalogue = generateCatalogue({ seed: 1, now: NOW })
const landmark = (name: keyof typeof catalogue.landmarks) => catalogue.landmarks[name]!
const sandbox = sandboxForFile({ catalogue, keys: [key] })
const get = getOn(sandbox, token(key))

const DAY = 86_400_000
const BUILD_FIELDS =
  'fields[builds]=version,processingState,buildAudienceType,preReleaseVersion,buildBetaDetail'
const builds = (app: string) =>
  get<CollectionDocument>(
    `/v1/builds?filter[app]=${landmark(app as 'legacy.app')}&include=preReleaseVersion,buildBetaDetail&${BUILD_FIELDS}&limit=200`
  )
const uploads = (app: string) =>
  get<CollectionDocument>(`/v1/apps/${landmark(app as 'legacy.app')}/buildUploads?limit=200`)
const attribute = (r: Resource, name: string) => r.attributes![name]
const summary = (doc: CollectionDocument) =>
  doc.data.map(build => {
    const prvId = (build.relationships!['preReleaseVersion']!.data as { id: string }).id
    const prv = doc.included!.find(r => r.type === 'preReleaseVersions' && r.id === prvId)!
    return `${attribute(prv, 'platform')} ${attribute(prv, 'version')} (${attribute(build, 'version')})`
  })

describe('fixed apps', () => {
  it('are apps of their own, with the bundle ids and landmarks CONTRIBUTING lists', async () => {
    for (const [name, bundleId] of Object.entries(FIXED_BUNDLE_IDS)) {
      const res = await get<CollectionDocument>(`/v1/apps?filter[bundleId]=${bundleId}`)
      expect(res.body.data.map(app => app.id)).toEqual([landmark(`${name}.app` as 'legacy.app')])
    }
  })

  it('legacy: its only build is numbered 2.0.67.745', async () => {
    const res = await builds('legacy.app')
    expect(summary(res.body)).toEqual(['IOS 2.0.67 (2.0.67.745)'])
    expect(res.body.data[0]!.id).toBe(landmark('legacy.ios.only'))
  })

  it('studio: macOS 1.7.0 builds 1-3, iOS 1.8.0 builds 10-12', async () => {
    const res = await builds('studio.app')
    expect(summary(res.body).sort()).toEqual(
      [
        'MAC_OS 1.7.0 (1)',
        'MAC_OS 1.7.0 (2)',
        'MAC_OS 1.7.0 (3)',
        'IOS 1.8.0 (10)',
        'IOS 1.8.0 (11)',
        'IOS 1.8.0 (12)'
      ].sort()
    )
  })

  it('empty: no builds and no uploads', async () => {
    expect((await builds('empty.app')).body.data).toEqual([])
    expect((await uploads('empty.app')).body.data).toEqual([])
  })

  it('future: one value Apple added later on a build newer than a good one of its train, and a 23-digit FAILED upload', async () => {
    const res = await builds('future.app')
    const byId = new Map(res.body.data.map(build => [build.id, build]))
    const detailOf = (id: string) => {
      const linkage = byId.get(id)!.relationships!['buildBetaDetail']!.data as { id: string }
      return res.body.included!.find(r => r.id === linkage.id)!.attributes!
    }
    expect(summary(res.body).sort()).toEqual(
      [
        'IOS 3.1.0 (40)',
        'IOS 3.1.0 (41)',
        'IOS 3.2.0 (50)',
        'IOS 3.2.0 (51)',
        'IOS 3.3.0 (60)',
        'IOS 3.3.0 (61)',
        'IOS 3.4.0 (70)',
        'IOS 3.4.0 (71)',
        'IOS 3.5.0 (80)',
        'WATCH_OS 3.5.0 (81)'
      ].sort()
    )
    expect(attribute(byId.get(landmark('future.ios.good'))!, 'version')).toBe('80')
    expect(attribute(byId.get(landmark('future.ios.processingDeferred'))!, 'processingState')).toBe(
      'PROCESSING_DEFERRED'
    )
    expect(detailOf(landmark('future.ios.internalExpress'))['internalBuildState']).toBe(
      'READY_FOR_TESTING_EXPRESS'
    )
    expect(detailOf(landmark('future.ios.externalExpress'))['externalBuildState']).toBe(
      'IN_BETA_REVIEW_EXPRESS'
    )
    expect(attribute(byId.get(landmark('future.ios.enterprise'))!, 'buildAudienceType')).toBe(
      'ENTERPRISE_ONLY'
    )
    const failed = (await uploads('future.app')).body.data.find(
      u => u.id === landmark('future.ios.upload.huge')
    )!
    expect(failed.attributes).toMatchObject({
      cfBundleVersion: '99999999999999999999999',
      state: { state: 'FAILED' }
    })
  })

  it('lagging: upload 8 is COMPLETE, and /v1/builds lists only build 7', async () => {
    expect(summary((await builds('lagging.app')).body)).toEqual(['IOS 5.0.0 (7)'])
    const upload = (await uploads('lagging.app')).body.data.find(
      u => u.id === landmark('lagging.ios.upload.unlisted')
    )!
    expect(upload.attributes).toMatchObject({ cfBundleVersion: '8', state: { state: 'COMPLETE' } })
  })

  it('clock: each build expires a whole number of days and three hours from now', () => {
    for (const name of ['clock.ios.earlierChange', 'clock.ios.latestChange'] as const) {
      const build = catalogue.builds.find(b => b.id === landmark(name))!
      const left = Date.parse(build.expirationDate) - NOW.getTime()
      expect(((left % DAY) + DAY) % DAY).toBe(3 * 3_600_000)
    }
  })
})
