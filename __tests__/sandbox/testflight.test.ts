// TestFlight readiness (buildBetaDetails, usesNonExemptEncryption), versions and platforms as
// Apple compares them, repeated parameters and the lagging `expired` flag.
import { describe, expect, it } from '@jest/globals'
import {
  generateCatalogue,
  MAIN_BUNDLE_ID,
  type ErrorDocument,
  type InstanceDocument,
  type LandmarkName,
  type Resource,
  type SandboxBuild
} from '../../sandbox/index.js'
import {
  fetchAll,
  getJson,
  getOn,
  makeKey,
  NOW,
  sandboxForFile,
  token,
  withSandbox,
  seededOnly
} from './helpers.js'

const key = makeKey('BETAKEY001', 'issuer-beta')
const bearer = token(key)
const catalogue = generateCatalogue({ seed: 1, now: NOW })
const appOf = (bundleId: string) => catalogue.apps.find(a => a.bundleId === bundleId)!
const main = appOf(MAIN_BUNDLE_ID)
const prvById = new Map(catalogue.preReleaseVersions.map(p => [p.id, p]))
const landmark = (name: LandmarkName) => catalogue.landmarks[name]!
const buildAt = (name: LandmarkName) => catalogue.builds.find(b => b.id === landmark(name))!
const HOUR = 3_600_000

const sandbox = sandboxForFile({ catalogue, keys: [key] })
const get = getOn(sandbox, bearer)

/** One assertion per wanted value, so that a failure names the value missing. */
function expectToContainEach(found: ReadonlySet<string>, wanted: readonly string[]): void {
  for (const value of wanted) expect(found).toContain(value)
}

const linked = (r: Resource, name: string) => (r.relationships![name]!.data as { id: string }).id

describe('buildBetaDetails', () => {
  it('come with /v1/builds through include=buildBetaDetail, trimmed by fields[buildBetaDetails]', async () => {
    const res = await get(
      `/v1/builds?filter[app]=${main.id}&sort=-uploadedDate&limit=30&include=buildBetaDetail` +
        '&fields[builds]=version,usesNonExemptEncryption,buildBetaDetail' +
        '&fields[buildBetaDetails]=internalBuildState,externalBuildState'
    )
    const details = new Map(res.body.included!.map(r => [r.id, r]))
    expect(details.size).toBe(30)
    for (const build of res.body.data) {
      const record = catalogue.builds.find(b => b.id === build.id)!
      const detail = details.get(linked(build, 'buildBetaDetail'))!
      expect(detail).toEqual({
        type: 'buildBetaDetails',
        id: record.betaDetail.id,
        attributes: {
          internalBuildState: record.betaDetail.internalBuildState,
          externalBuildState: record.betaDetail.externalBuildState
        },
        links: { self: `${sandbox.url}/v1/buildBetaDetails/${record.betaDetail.id}` }
      })
      // Its own id, joined through the relationship.
      expect(detail.id).not.toBe(build.id)
      expect(build.attributes).toEqual({
        version: record.version,
        usesNonExemptEncryption: record.usesNonExemptEncryption
      })
    }
  })

  it('are served at /v1/builds/{id}/buildBetaDetail, /v1/buildBetaDetails/{id} and /v1/buildBetaDetails', async () => {
    const build = buildAt('weather.ios.betaRejected')
    const related = await get<InstanceDocument>(`/v1/builds/${build.id}/buildBetaDetail`)
    expect(related.body.data).toMatchObject({
      type: 'buildBetaDetails',
      id: build.betaDetail.id,
      attributes: {
        autoNotifyEnabled: build.betaDetail.autoNotifyEnabled,
        internalBuildState: 'READY_FOR_BETA_TESTING',
        externalBuildState: 'BETA_REJECTED'
      },
      relationships: {
        build: {
          links: {
            self: `${sandbox.url}/v1/buildBetaDetails/${build.betaDetail.id}/relationships/build`,
            related: `${sandbox.url}/v1/buildBetaDetails/${build.betaDetail.id}/build`
          }
        }
      }
    })
    const own = await get<InstanceDocument>(
      `/v1/buildBetaDetails/${build.betaDetail.id}?include=build&fields[builds]=version`
    )
    expect(own.body.data.relationships!['build']!.data).toEqual({ type: 'builds', id: build.id })
    expect(own.body.included).toEqual([
      expect.objectContaining({ id: build.id, attributes: { version: build.version } })
    ])
    const list = await get(`/v1/buildBetaDetails?filter[build]=${build.id}`)
    expect(list.body.data.map(r => r.id)).toEqual([build.betaDetail.id])
    const all = await get('/v1/buildBetaDetails?limit=200')
    expect(all.body.meta.paging.total).toBe(catalogue.builds.length)
    expect((await get<ErrorDocument>('/v1/buildBetaDetails/nope')).status).toBe(404)
    expect((await get<ErrorDocument>('/v1/builds/nope/buildBetaDetail')).status).toBe(404)
  })

  it.each([
    ['/v1/builds?fields[buildBetaDetails]=state', 'PARAMETER_ERROR.INVALID'],
    ['/v1/builds?include=buildBetaDetails', 'PARAMETER_ERROR.INVALID'],
    ['/v1/buildBetaDetails?filter[app]=1', 'PARAMETER_ERROR.ILLEGAL'],
    ['/v1/buildBetaDetails?include=app', 'PARAMETER_ERROR.INVALID']
  ])('refuses %s with %s', async (path, code) => {
    const res = await get<ErrorDocument>(path)
    expect(res.status).toBe(400)
    expect(res.body.errors[0]!.code).toBe(code)
  })

  it('agree with each build as Apple would have them', () => {
    for (const b of seededOnly(catalogue).builds) {
      const { internalBuildState: internal, externalBuildState: external } = b.betaDetail
      const reason = `${b.id} ${b.processingState} ${internal}/${external}`
      if (b.buildAudienceType === 'INTERNAL_ONLY')
        expect([reason, external]).toEqual([reason, 'NOT_APPLICABLE'])
      if (b.expired) expect([reason, internal]).toEqual([reason, 'EXPIRED'])
      else if (b.processingState === 'PROCESSING')
        expect([reason, internal]).toEqual([reason, 'PROCESSING'])
      else if (b.processingState !== 'VALID') {
        expect([reason, internal]).toEqual([reason, 'PROCESSING_EXCEPTION'])
      } else {
        // VALID and not expired: the export compliance question decides first.
        expect([reason, internal === 'MISSING_EXPORT_COMPLIANCE']).toEqual([
          reason,
          b.usesNonExemptEncryption === null
        ])
        if (internal === 'IN_EXPORT_COMPLIANCE_REVIEW') expect(b.usesNonExemptEncryption).toBe(true)
        if (
          ['WAITING_FOR_BETA_REVIEW', 'IN_BETA_REVIEW', 'BETA_APPROVED', 'BETA_REJECTED'].includes(
            external
          )
        ) {
          expect([reason, ['READY_FOR_BETA_TESTING', 'IN_BETA_TESTING']]).toEqual([
            reason,
            expect.arrayContaining([internal])
          ])
        }
      }
    }
    const states = new Set(catalogue.builds.map(b => b.betaDetail.externalBuildState))
    expectToContainEach(states, [
      'NOT_APPLICABLE',
      'EXPIRED',
      'PROCESSING_EXCEPTION',
      'READY_FOR_BETA_SUBMISSION',
      'IN_BETA_TESTING',
      'BETA_APPROVED'
    ])
  })

  it('make "ready for internal / external testing / the App Store" pick other iOS builds than "latest VALID"', async () => {
    const res = await get(
      `/v1/builds?filter[app]=${main.id}&filter[processingState]=VALID&filter[expired]=false` +
        '&filter[preReleaseVersion.platform]=IOS&sort=-uploadedDate&limit=20&include=buildBetaDetail' +
        '&fields[builds]=buildAudienceType,buildBetaDetail&fields[buildBetaDetails]=internalBuildState,externalBuildState'
    )
    const details = new Map(res.body.included!.map(r => [r.id, r.attributes!]))
    const rows = res.body.data.map(build => ({
      id: build.id,
      audience: build.attributes!['buildAudienceType'],
      ...(details.get(linked(build, 'buildBetaDetail')) as {
        internalBuildState: string
        externalBuildState: string
      })
    }))
    const first = (test: (row: (typeof rows)[number]) => boolean) => rows.find(test)!.id
    const latestValid = rows[0]!.id
    const internal = first(r =>
      ['READY_FOR_BETA_TESTING', 'IN_BETA_TESTING'].includes(r.internalBuildState)
    )
    const external = first(r =>
      ['READY_FOR_BETA_TESTING', 'IN_BETA_TESTING', 'BETA_APPROVED'].includes(r.externalBuildState)
    )
    const appStore = first(
      r =>
        r.audience !== 'INTERNAL_ONLY' &&
        ![
          'MISSING_EXPORT_COMPLIANCE',
          'IN_EXPORT_COMPLIANCE_REVIEW',
          'PROCESSING_EXCEPTION',
          'PROCESSING'
        ].includes(r.internalBuildState)
    )
    expect({ latestValid, internal, external, appStore }).toEqual({
      latestValid: landmark('weather.ios.latestValid'),
      internal: landmark('weather.ios.internalOnly'),
      external: landmark('weather.ios.betaApproved'),
      appStore: landmark('weather.ios.betaRejected')
    })
    expect(rows[0]).toMatchObject({ internalBuildState: 'MISSING_EXPORT_COMPLIANCE' })
    // Every state a readiness gate must tell apart is among the newest ten VALID iOS builds.
    const top = new Set(
      rows.slice(0, 10).flatMap(r => [r.internalBuildState, r.externalBuildState])
    )
    expectToContainEach(top, [
      'MISSING_EXPORT_COMPLIANCE',
      'IN_EXPORT_COMPLIANCE_REVIEW',
      'READY_FOR_BETA_SUBMISSION',
      'WAITING_FOR_BETA_REVIEW',
      'IN_BETA_REVIEW',
      'BETA_REJECTED',
      'BETA_APPROVED',
      'NOT_APPLICABLE'
    ])
  })

  it('drive filter[betaAppReviewSubmission.betaReviewState]', async () => {
    const ids = async (state: string) =>
      (
        await fetchAll(
          `${sandbox.url}/v1/builds?filter[app]=${main.id}&filter[betaAppReviewSubmission.betaReviewState]=${state}&limit=200`,
          bearer
        )
      ).flatMap(p => p.data.map(r => r.id))
    expect(await ids('WAITING_FOR_REVIEW')).toContain(landmark('weather.ios.waitingForBetaReview'))
    expect(await ids('IN_REVIEW')).toContain(landmark('weather.ios.inBetaReview'))
    expect(await ids('REJECTED')).toContain(landmark('weather.ios.betaRejected'))
    const approved = await ids('APPROVED')
    expect(approved).toContain(landmark('weather.ios.betaApproved'))
    expect(approved).not.toContain(landmark('weather.ios.readyForBetaSubmission'))
  })
})

describe('usesNonExemptEncryption', () => {
  it('is true, false or null, null exactly where the export compliance question is open', async () => {
    const values = new Set(catalogue.builds.map(b => b.usesNonExemptEncryption))
    expect(values).toEqual(new Set([true, false, null]))
    const open = await fetchAll(
      `${sandbox.url}/v1/builds?filter[app]=${main.id}&exists[usesNonExemptEncryption]=false` +
        '&filter[processingState]=VALID&filter[expired]=false&include=buildBetaDetail&limit=200',
      bearer
    )
    const included = open.flatMap(p => p.included ?? [])
    expect(included.length).toBeGreaterThan(0)
    for (const detail of included) {
      expect(detail.attributes!['internalBuildState']).toBe('MISSING_EXPORT_COMPLIANCE')
    }
    const yes = await get(
      `/v1/builds?filter[app]=${main.id}&filter[usesNonExemptEncryption]=true&limit=200`
    )
    expect(yes.body.data.every(r => r.attributes!['usesNonExemptEncryption'] === true)).toBe(true)
    expect(yes.body.data.map(r => r.id)).toContain(landmark('weather.ios.inExportComplianceReview'))
  })
})

describe('versions as Apple compares them', () => {
  it('finds a train only by the spelling of its first upload; a comma list finds both', async () => {
    const train = prvById.get(landmark('weather.ios.currentTrain'))!
    expect(train.version).toBe('3.2')
    const inTrain = catalogue.builds.filter(b => b.preReleaseVersionId === train.id)
    const query = (version: string) =>
      fetchAll(
        `${sandbox.url}/v1/builds?filter[app]=${main.id}&filter[preReleaseVersion.platform]=IOS` +
          `&filter[preReleaseVersion.version]=${version}&limit=200`,
        bearer
      ).then(pages => pages.flatMap(p => p.data.map(r => r.id)).sort())
    // The builds of the train were uploaded as 3.2.0 (after the first), yet 3.2.0 finds none.
    const uploads = catalogue.buildUploads.filter(u => inTrain.some(b => b.id === u.buildId))
    const spellings = uploads.map(u => u.cfBundleShortVersionString)
    expect(spellings.filter(s => s === '3.2.0').length).toBe(inTrain.length - 1)
    expect(await query('3.2.0')).toEqual([])
    expect(await query('3.2')).toEqual(inTrain.map(b => b.id).sort())
    expect(await query('3.2,3.2.0')).toEqual(inTrain.map(b => b.id).sort())
    // The macOS train of the same release was stored as 3.2.0, with uploads spelled 3.2 too.
    const mac = prvById.get(landmark('weather.mac.currentTrain'))!
    expect(mac.version).toBe('3.2.0')
    const both = await get(
      `/v1/builds?filter[app]=${main.id}&filter[preReleaseVersion.version]=3.2,3.2.0&include=preReleaseVersion&limit=200`
    )
    expect(new Set(both.body.included!.map(r => r.attributes!['version']))).toEqual(
      new Set(['3.2', '3.2.0'])
    )
    const prvs = await get(
      `/v1/preReleaseVersions?filter[app]=${main.id}&filter[version]=3.2.0&filter[platform]=IOS,MAC_OS`
    )
    expect(prvs.body.data.map(r => r.id)).toEqual([mac.id])
  })

  it('keeps a train first spelled with a leading zero under that spelling', () => {
    const train = prvById.get(landmark('weatherpro.ios.leadingZeroTrain'))!
    expect(train.version).toBe('1.07')
    const uploads = catalogue.buildUploads.filter(u =>
      catalogue.builds.some(b => b.id === u.buildId && b.preReleaseVersionId === train.id)
    )
    expect(new Set(uploads.map(u => u.cfBundleShortVersionString))).toEqual(
      new Set(['1.07', '1.7.0'])
    )
  })

  it('lets build numbers restart per version: the highest number is an old version’s build', async () => {
    const widget = appOf('com.example.weather.widget')
    const pages = await fetchAll(
      `${sandbox.url}/v1/builds?filter[app]=${widget.id}&filter[processingState]=VALID&filter[expired]=false` +
        '&include=preReleaseVersion&limit=200',
      bearer
    )
    const prvs = new Map(
      pages.flatMap(p => p.included ?? []).map(r => [r.id, r.attributes!['version'] as string])
    )
    const rows = pages.flatMap(p =>
      p.data.map(r => ({
        id: r.id,
        number: Number(r.attributes!['version']),
        marketing: prvs.get(linked(r, 'preReleaseVersion'))!.split('.').map(Number)
      }))
    )
    const byNumber = [...rows].sort((a, b) => b.number - a.number)[0]!
    const byVersion = [...rows].sort(
      (a, b) =>
        b.marketing[0]! - a.marketing[0]! ||
        b.marketing[1]! - a.marketing[1]! ||
        b.marketing[2]! - a.marketing[2]! ||
        b.number - a.number
    )[0]!
    expect(byNumber.id).toBe(landmark('widget.ios.highestValidBuildNumber'))
    expect(byVersion.id).toBe(landmark('widget.ios.newest'))
    expect(byVersion.number).toBeLessThan(byNumber.number)
    expect(catalogue.builds.find(b => b.id === byVersion.id)!.preReleaseVersionId).toBe(
      landmark('widget.ios.newTrain')
    )
  })
})

describe('one app, several platforms', () => {
  it('answers "latest" without a platform with a macOS build; the iOS one needs the filter', async () => {
    const query = `/v1/builds?filter[app]=${main.id}&sort=-uploadedDate&limit=1&include=preReleaseVersion`
    const any = await get(query)
    expect(any.body.data[0]!.id).toBe(landmark('weather.mac.processing'))
    expect(any.body.included![0]!.attributes!['platform']).toBe('MAC_OS')
    const ios = await get(`${query}&filter[preReleaseVersion.platform]=IOS`)
    expect(ios.body.data[0]!.id).toBe(landmark('weather.ios.processing'))
    const valid = await get(`${query}&filter[processingState]=VALID&filter[expired]=false`)
    expect(valid.body.data[0]!.id).toBe(landmark('weather.mac.latestValid'))
    const tv = await get(
      `/v1/builds?filter[app]=${main.id}&filter[preReleaseVersion.platform]=TV_OS`
    )
    expect(tv.body.meta.paging.total).toBeGreaterThan(0)
  })

  it('numbers macOS builds so that they never go down', () => {
    const mac = catalogue.builds
      .filter(b => b.appId === main.id && prvById.get(b.preReleaseVersionId)!.platform === 'MAC_OS')
      .sort((a, b) => Date.parse(a.uploadedDate) - Date.parse(b.uploadedDate))
    const parts = (b: SandboxBuild) => b.version.split('.').map(Number)
    for (let i = 1; i < mac.length; i++) {
      const [a, b] = [parts(mac[i - 1]!), parts(mac[i]!)]
      const order = a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!
      expect([mac[i]!.version, order < 0]).toEqual([mac[i]!.version, true])
    }
  })
})

describe('a query that repeats a parameter name', () => {
  it.each([
    `/v1/builds?filter[app]=1600000001&filter[app]=1600000002`,
    '/v1/builds?limit=5&limit=5',
    '/v1/apps?filter[bundleId]=com.example.weather&filter[bundleId]=com.example.news',
    '/v1/apps/1600000001/buildUploads?filter[state]=FAILED&filter[state]=PROCESSING'
  ])('is refused with 400 PARAMETER_ERROR.INVALID naming it: %s', async path => {
    const res = await get<ErrorDocument>(path)
    const name = new URL(path, 'http://x').searchParams.keys().next().value!
    expect(res.status).toBe(400)
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        status: '400',
        code: 'PARAMETER_ERROR.INVALID',
        source: { parameter: name },
        detail: expect.stringMatching(/only be used once/)
      })
    ])
  })
})

describe('`expired` lags `expirationDate`', () => {
  const lagging = buildAt('newsIos.ios.expiryLagging')
  const news = appOf('com.example.news.ios')

  it('a build past its expiration date still says expired: false, and passes filter[expired]=false', async () => {
    expect(Date.parse(lagging.expirationDate)).toBeLessThan(NOW.getTime())
    const res = await get(
      `/v1/builds?filter[app]=${news.id}&filter[expired]=false&filter[version]=${lagging.version}&include=buildBetaDetail`
    )
    expect(res.body.data.map(r => r.id)).toEqual([lagging.id])
    expect(res.body.data[0]!.attributes).toMatchObject({
      expired: false,
      expirationDate: lagging.expirationDate
    })
    expect(res.body.included![0]!.attributes!['internalBuildState']).toBe('IN_BETA_TESTING')
  })

  it('until Apple catches up, hours later: then expired and EXPIRED', async () => {
    const later = new Date(NOW.getTime() + 7 * HOUR)
    await withSandbox({ catalogue, now: () => later, keys: [key] }, async local => {
      const res = await getJson<InstanceDocument>(
        `${local.url}/v1/builds/${lagging.id}?include=buildBetaDetail`,
        token(key, { at: later })
      )
      expect(res.body.data.attributes!['expired']).toBe(true)
      expect(res.body.included![0]!.attributes).toMatchObject({
        internalBuildState: 'EXPIRED',
        externalBuildState: 'EXPIRED'
      })
    })
  })
})
