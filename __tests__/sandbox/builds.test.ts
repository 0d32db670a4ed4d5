import { describe, expect, it } from '@jest/globals'
import {
  generateCatalogue,
  MAIN_BUNDLE_ID,
  type CollectionDocument,
  type ErrorDocument,
  type InstanceDocument,
  type SandboxBuild
} from '../../sandbox/index.js'
import {
  craftedCatalogue,
  fetchAll,
  getJson,
  getOn,
  makeKey,
  newestFirst,
  NOW,
  sandboxForFile,
  token,
  withSandbox
} from './helpers.js'

const key = makeKey('BUILDSKEY1', 'issuer-builds')
const bearer = token(key)
const catalogue = generateCatalogue({ seed: 1, now: NOW })
const main = catalogue.apps.find(a => a.bundleId === MAIN_BUNDLE_ID)!
const mainBuilds = catalogue.builds.filter(b => b.appId === main.id)
const prvById = new Map(catalogue.preReleaseVersions.map(p => [p.id, p]))
const prvOf = (b: SandboxBuild) => prvById.get(b.preReleaseVersionId)!

const sandbox = sandboxForFile({ catalogue, keys: [key] })
const get = getOn(sandbox, bearer)
const ids = (pages: CollectionDocument[]) => pages.flatMap(p => p.data.map(d => d.id))
const sorted = (list: string[]) => [...list].sort()

describe('/v1/builds filters', () => {
  it('filters by app, processing state and expiry, matching the catalogue', async () => {
    const pages = await fetchAll(
      `${sandbox.url}/v1/builds?filter[app]=${main.id}&filter[processingState]=VALID&filter[expired]=false&limit=200`,
      bearer
    )
    const expected = mainBuilds.filter(b => b.processingState === 'VALID' && !b.expired)
    expect(expected.length).toBeGreaterThan(10)
    expect(sorted(ids(pages))).toEqual(sorted(expected.map(b => b.id)))
    expect(pages[0]!.meta.paging.total).toBe(expected.length)
  })

  it('treats comma-separated values as OR', async () => {
    const res = await get(
      `/v1/builds?filter[app]=${main.id}&filter[processingState]=FAILED,INVALID,PROCESSING&limit=200`
    )
    const expected = mainBuilds.filter(b => b.processingState !== 'VALID')
    expect(sorted(res.body.data.map(d => d.id))).toEqual(sorted(expected.map(b => b.id)))
    expect(new Set(res.body.data.map(d => d.attributes!['processingState']))).toEqual(
      new Set(['FAILED', 'INVALID', 'PROCESSING'])
    )
  })

  it('filters by build number (exact), marketing version, platform and audience', async () => {
    const sample = mainBuilds.find(b => prvOf(b).platform === 'MAC_OS')!
    const byNumber = await get(
      `/v1/builds?filter[app]=${main.id}&filter[version]=${sample.version}`
    )
    expect(byNumber.body.data.map(d => d.id)).toEqual([sample.id])

    const marketing = prvOf(sample).version
    const res = await get(
      `/v1/builds?filter[app]=${main.id}&filter[preReleaseVersion.version]=${marketing}` +
        '&filter[preReleaseVersion.platform]=MAC_OS&filter[buildAudienceType]=INTERNAL_ONLY,APP_STORE_ELIGIBLE&limit=200'
    )
    const expected = mainBuilds.filter(
      b => prvOf(b).version === marketing && prvOf(b).platform === 'MAC_OS'
    )
    expect(sorted(res.body.data.map(d => d.id))).toEqual(sorted(expected.map(b => b.id)))

    const internal = await get(
      `/v1/builds?filter[app]=${main.id}&filter[buildAudienceType]=INTERNAL_ONLY&limit=200`
    )
    expect(internal.body.meta.paging.total).toBe(
      mainBuilds.filter(b => b.buildAudienceType === 'INTERNAL_ONLY').length
    )
  })

  it('filters by prerelease version id and by build id', async () => {
    const build = mainBuilds[10]!
    const byPrv = await get(
      `/v1/builds?filter[preReleaseVersion]=${build.preReleaseVersionId}&limit=200`
    )
    expect(byPrv.body.meta.paging.total).toBe(
      catalogue.builds.filter(b => b.preReleaseVersionId === build.preReleaseVersionId).length
    )
    const byId = await get(`/v1/builds?filter[id]=${build.id},${mainBuilds[11]!.id}`)
    expect(sorted(byId.body.data.map(d => d.id))).toEqual(sorted([build.id, mainBuilds[11]!.id]))
  })

  it('answers an unknown app with 200 and no data', async () => {
    const res = await get('/v1/builds?filter[app]=9999999999')
    expect(res.status).toBe(200)
    expect(res.body.data).toEqual([])
    expect(res.body.meta.paging.total).toBe(0)
    expect(res.body.links.next).toBeUndefined()
  })

  it('without filter[app] mixes apps: the newest upload is not the main app', async () => {
    const res = await get('/v1/builds?sort=-uploadedDate&limit=1')
    expect(res.body.data[0]!.id).not.toBe(newestFirst(mainBuilds)[0]!.id)
  })
})

describe('/v1/builds sorting', () => {
  it('sorts -uploadedDate by the instant, across -07:00 and -08:00 offsets', async () => {
    const pages = await fetchAll(
      `${sandbox.url}/v1/builds?filter[app]=${main.id}&sort=-uploadedDate&limit=200`,
      bearer
    )
    const times = pages.flatMap(p =>
      p.data.map(d => Date.parse(d.attributes!['uploadedDate'] as string))
    )
    expect(times).toHaveLength(mainBuilds.length)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    const offsets = new Set(
      pages.flatMap(p => p.data.map(d => (d.attributes!['uploadedDate'] as string).slice(-6)))
    )
    expect(offsets).toEqual(new Set(['-07:00', '-08:00']))
  })

  it('orders by instant, not by text, when offsets differ', async () => {
    // The night clocks go back: '01:10-08:00' reads earlier than '01:30-07:00' but is 40 minutes later.
    const crafted = craftedCatalogue([
      { version: '1', uploadedDate: '2026-11-01T01:30:00-07:00' }, // 08:30Z
      { version: '2', uploadedDate: '2026-11-01T01:10:00-08:00' } // 09:10Z, later despite "01:10"
    ])
    await withSandbox({ catalogue: crafted, keys: [key] }, async local => {
      const res = await getJson<CollectionDocument>(
        `${local.url}/v1/builds?sort=-uploadedDate`,
        bearer
      )
      expect(res.body.data.map(d => d.attributes!['version'])).toEqual(['2', '1'])
    })
  })

  it('sorts -version textually, as Apple does: "9" before "10"', async () => {
    const crafted = craftedCatalogue([
      { version: '8', uploadedDate: '2026-11-01T10:00:00-08:00' },
      { version: '9', uploadedDate: '2026-11-02T10:00:00-08:00' },
      { version: '10', uploadedDate: '2026-11-03T10:00:00-08:00' },
      { version: '100', uploadedDate: '2026-11-04T10:00:00-08:00' },
      { version: '1.10.0.2', uploadedDate: '2026-11-05T10:00:00-08:00' },
      { version: '1.9.0.5', uploadedDate: '2026-11-06T10:00:00-08:00' }
    ])
    await withSandbox({ catalogue: crafted, keys: [key] }, async local => {
      const desc = await getJson<CollectionDocument>(`${local.url}/v1/builds?sort=-version`, bearer)
      expect(desc.body.data.map(d => d.attributes!['version'])).toEqual([
        '9',
        '8',
        '100',
        '10',
        '1.9.0.5',
        '1.10.0.2'
      ])
      const asc = await getJson<CollectionDocument>(`${local.url}/v1/builds?sort=version`, bearer)
      expect(asc.body.data.map(d => d.attributes!['version'])).toEqual([
        '1.10.0.2',
        '1.9.0.5',
        '10',
        '100',
        '8',
        '9'
      ])
    })
  })

  it('sorts by the marketing version text with preReleaseVersion', async () => {
    const res = await get(
      `/v1/builds?filter[app]=${main.id}&sort=-preReleaseVersion&limit=200&include=preReleaseVersion`
    )
    const prvs = new Map(res.body.included!.map(r => [r.id, r.attributes!['version'] as string]))
    const versions = res.body.data.map(d =>
      prvs.get((d.relationships!['preReleaseVersion']!.data as { id: string }).id)!
    )
    expect(versions).toEqual([...versions].sort().reverse())
  })

  it('without sort answers a stable order that is not upload order', async () => {
    const first = await get(`/v1/builds?filter[app]=${main.id}&limit=200`)
    const again = await get(`/v1/builds?filter[app]=${main.id}&limit=200`)
    const order = first.body.data.map(d => d.id)
    expect(again.body.data.map(d => d.id)).toEqual(order)
    const times = first.body.data.map(d => Date.parse(d.attributes!['uploadedDate'] as string))
    expect(times).not.toEqual([...times].sort((a, b) => b - a))
    expect(times).not.toEqual([...times].sort((a, b) => a - b))
  })
})

describe('paging', () => {
  it('follows links.next to exactly the total, without duplicates', async () => {
    const pages = await fetchAll(`${sandbox.url}/v1/builds?filter[app]=${main.id}&limit=37`, bearer)
    const all = ids(pages)
    expect(all).toHaveLength(mainBuilds.length)
    expect(new Set(all).size).toBe(all.length)
    expect(pages).toHaveLength(Math.ceil(mainBuilds.length / 37))
    for (const page of pages)
      expect(page.meta.paging).toEqual({ total: mainBuilds.length, limit: 37 })
    expect(pages.at(-1)!.links.next).toBeUndefined()
    // next is an absolute URL on the sandbox origin, same query plus an opaque cursor
    const next = new URL(pages[0]!.links.next!)
    expect(next.origin).toBe(sandbox.url)
    expect(next.searchParams.get('filter[app]')).toBe(main.id)
    expect(next.searchParams.get('limit')).toBe('37')
    expect(next.searchParams.get('cursor')).toMatch(/^[A-Za-z0-9_-]+$/)
  })

  it('defaults to 50 per page', async () => {
    const res = await get('/v1/builds')
    expect(res.body.data).toHaveLength(50)
    expect(res.body.meta.paging).toEqual({ total: catalogue.builds.length, limit: 50 })
    expect(res.body.links.self).toBe(`${sandbox.url}/v1/builds`)
  })

  it.each(['201', '0', '-1', '1.5', 'abc', ''])(
    'refuses limit=%s with 400 PARAMETER_ERROR.INVALID',
    async limit => {
      const res = await get<ErrorDocument>(`/v1/builds?limit=${limit}`)
      expect(res.status).toBe(400)
      expect(res.body.errors[0]).toMatchObject({
        status: '400',
        code: 'PARAMETER_ERROR.INVALID',
        source: { parameter: 'limit' }
      })
    }
  )

  it('refuses a garbage cursor with 400 PARAMETER_ERROR.INVALID', async () => {
    const res = await get<ErrorDocument>('/v1/builds?cursor=%%%not-a-cursor')
    expect(res.status).toBe(400)
    expect(res.body.errors[0]).toMatchObject({
      code: 'PARAMETER_ERROR.INVALID',
      source: { parameter: 'cursor' }
    })
    const base64Garbage = await get<ErrorDocument>(
      `/v1/builds?cursor=${Buffer.from('{"x":1}').toString('base64url')}`
    )
    expect(base64Garbage.status).toBe(400)
  })
})

describe('parameter validation', () => {
  it('refuses a parameter the operation does not list with 400 PARAMETER_ERROR.ILLEGAL', async () => {
    const res = await get<ErrorDocument>('/v1/builds?filter[bundleId]=com.example.weather')
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.body.errors).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: '400',
        code: 'PARAMETER_ERROR.ILLEGAL',
        title: 'A given parameter is not allowed for this request',
        detail: "The parameter 'filter[bundleId]' can not be used with this request",
        source: { parameter: 'filter[bundleId]' }
      }
    ])
  })

  it.each([
    ['filter[processingState]', 'VALID,DONE'],
    ['filter[preReleaseVersion.platform]', 'ANDROID'],
    ['filter[buildAudienceType]', 'EVERYONE'],
    ['filter[expired]', 'yes'],
    ['sort', 'buildNumber'],
    ['include', 'preReleaseVersions'],
    ['fields[builds]', 'buildNumber'],
    ['fields[preReleaseVersions]', 'name'],
    ['fields[apps]', 'iconUrl']
  ])('refuses %s=%s with 400 PARAMETER_ERROR.INVALID', async (name, value) => {
    const res = await get<ErrorDocument>(`/v1/builds?${name}=${value}`)
    expect(res.status).toBe(400)
    expect(res.body.errors[0]).toMatchObject({
      code: 'PARAMETER_ERROR.INVALID',
      source: { parameter: name }
    })
  })
})

describe('include and fields', () => {
  it('includes each prerelease version once, trimmed by fields[preReleaseVersions]', async () => {
    const res = await get(
      `/v1/builds?filter[app]=${main.id}&limit=200&include=preReleaseVersion` +
        '&fields[builds]=version,uploadedDate,preReleaseVersion&fields[preReleaseVersions]=version'
    )
    const included = res.body.included!
    expect(new Set(included.map(r => r.id)).size).toBe(included.length)
    const linked = new Set(
      res.body.data.map(d => (d.relationships!['preReleaseVersion']!.data as { id: string }).id)
    )
    expect(new Set(included.map(r => r.id))).toEqual(linked)
    for (const prv of included) {
      expect(prv.type).toBe('preReleaseVersions')
      expect(Object.keys(prv.attributes!)).toEqual(['version'])
      expect(prv.attributes!['version']).toBe(
        catalogue.preReleaseVersions.find(p => p.id === prv.id)!.version
      )
    }
    for (const build of res.body.data) {
      expect(Object.keys(build.attributes!)).toEqual(['version', 'uploadedDate'])
      expect(Object.keys(build.relationships!)).toEqual(['preReleaseVersion'])
      expect(build.relationships!['preReleaseVersion']!.data).toEqual({
        type: 'preReleaseVersions',
        id: catalogue.builds.find(b => b.id === build.id)!.preReleaseVersionId
      })
    }
  })

  it('renders full resources like Apple: attributes, relationship links and self link', async () => {
    const build = mainBuilds[0]!
    const res = await get<InstanceDocument>(`/v1/builds/${build.id}`)
    expect(res.status).toBe(200)
    expect(res.body.links.self).toBe(`${sandbox.url}/v1/builds/${build.id}`)
    const data = res.body.data
    expect(data).toMatchObject({
      type: 'builds',
      id: build.id,
      links: { self: `${sandbox.url}/v1/builds/${build.id}` }
    })
    expect(data.attributes).toEqual({
      version: build.version,
      uploadedDate: build.uploadedDate,
      expirationDate: build.expirationDate,
      expired: build.expired,
      minOsVersion: build.minOsVersion,
      lsMinimumSystemVersion: build.lsMinimumSystemVersion,
      computedMinMacOsVersion: build.computedMinMacOsVersion,
      // An iPhone build, so it runs on visionOS 1.0.
      computedMinVisionOsVersion: '1.0',
      iconAssetToken: build.iconAssetToken,
      processingState: build.processingState,
      buildAudienceType: build.buildAudienceType,
      usesNonExemptEncryption: build.usesNonExemptEncryption,
      // Attributes Apple sends beyond its OpenAPI document, as recorded; an expired build is not
      // in internal testing.
      computedMinRealityOsVersion: null,
      qcState: null
    })
    expect(data.relationships!['preReleaseVersion']).toEqual({
      links: {
        self: `${sandbox.url}/v1/builds/${build.id}/relationships/preReleaseVersion`,
        related: `${sandbox.url}/v1/builds/${build.id}/preReleaseVersion`
      }
    })
    expect(data.relationships!['betaGroups']!.links).toEqual({
      self: `${sandbox.url}/v1/builds/${build.id}/relationships/betaGroups`
    })
  })

  it('follows the preReleaseVersion related link', async () => {
    const build = mainBuilds[3]!
    const res = await get<InstanceDocument>(`/v1/builds/${build.id}/preReleaseVersion`)
    expect(res.status).toBe(200)
    expect(res.body.data).toMatchObject({
      type: 'preReleaseVersions',
      id: build.preReleaseVersionId,
      attributes: { version: prvOf(build).version, platform: prvOf(build).platform }
    })
  })

  it('includes the prerelease version on the instance too', async () => {
    const build = mainBuilds[5]!
    const res = await get<InstanceDocument>(`/v1/builds/${build.id}?include=preReleaseVersion`)
    expect(res.body.included).toEqual([
      expect.objectContaining({ type: 'preReleaseVersions', id: build.preReleaseVersionId })
    ])
  })

  it('answers an unknown build id with 404 NOT_FOUND', async () => {
    const res = await get<ErrorDocument>('/v1/builds/00000000-0000-4000-8000-000000000000')
    expect(res.status).toBe(404)
    expect(res.body.errors[0]).toMatchObject({
      status: '404',
      code: 'NOT_FOUND',
      title: 'The specified resource does not exist',
      detail: "There is no resource of type 'builds' with id '00000000-0000-4000-8000-000000000000'"
    })
  })
})

describe('/v1/apps/{id}/builds', () => {
  it('refuses sort, filters and include with 400 PARAMETER_ERROR.ILLEGAL', async () => {
    for (const query of [
      'sort=-uploadedDate',
      'filter[processingState]=VALID',
      'include=preReleaseVersion'
    ]) {
      const res = await get<ErrorDocument>(`/v1/apps/${main.id}/builds?${query}`)
      expect(res.status).toBe(400)
      expect(res.body.errors[0]!.code).toBe('PARAMETER_ERROR.ILLEGAL')
      expect(res.body.errors[0]!.detail).toBe(
        `The parameter '${query.split('=')[0]}' can not be used with this request`
      )
    }
  })

  it('answers every build of the app in an order that is not upload order', async () => {
    const pages = await fetchAll(`${sandbox.url}/v1/apps/${main.id}/builds?limit=200`, bearer)
    const all = ids(pages)
    expect(sorted(all)).toEqual(sorted(mainBuilds.map(b => b.id)))
    const times = pages.flatMap(p =>
      p.data.map(d => Date.parse(d.attributes!['uploadedDate'] as string))
    )
    expect(times).not.toEqual([...times].sort((a, b) => b - a))
    // limit=1 does not give the newest upload
    const first = await get(`/v1/apps/${main.id}/builds?limit=1`)
    expect(first.body.data[0]!.id).not.toBe(newestFirst(mainBuilds)[0]!.id)
  })

  it('trims with fields[builds] and refuses limit 201', async () => {
    const res = await get(`/v1/apps/${main.id}/builds?fields[builds]=version&limit=2`)
    expect(res.body.data.map(d => Object.keys(d.attributes!))).toEqual([['version'], ['version']])
    expect(res.body.data[0]!.relationships).toBeUndefined()
    expect((await get(`/v1/apps/${main.id}/builds?limit=201`)).status).toBe(400)
  })

  it('answers an unknown app with 404', async () => {
    const res = await get<ErrorDocument>('/v1/apps/1234567890/builds')
    expect(res.status).toBe(404)
    expect(res.body.errors[0]!.detail).toBe(
      "There is no resource of type 'apps' with id '1234567890'"
    )
  })
})

describe('/v1/preReleaseVersions', () => {
  it('filters by app and platform and sorts by version text', async () => {
    const res = await get(
      `/v1/preReleaseVersions?filter[app]=${main.id}&filter[platform]=IOS&sort=-version`
    )
    const expected = catalogue.preReleaseVersions.filter(
      p => p.appId === main.id && p.platform === 'IOS'
    )
    expect(res.body.meta.paging.total).toBe(expected.length)
    const versions = res.body.data.map(d => d.attributes!['version'] as string)
    expect(versions).toEqual(
      expected
        .map(p => p.version)
        .sort()
        .reverse()
    )
  })

  it('refuses limit[builds] above 50 and an unknown sort', async () => {
    expect((await get('/v1/preReleaseVersions?limit[builds]=51')).status).toBe(400)
    expect((await get('/v1/preReleaseVersions?sort=-uploadedDate')).status).toBe(400)
  })
})

describe('expiry follows the sandbox clock', () => {
  it('reports builds as expired once their expiration date has passed', async () => {
    const later = new Date(NOW.getTime() + 200 * 86_400_000)
    await withSandbox({ catalogue, now: () => later, keys: [key] }, async local => {
      const res = await getJson<CollectionDocument>(
        `${local.url}/v1/builds?filter[app]=${main.id}&filter[expired]=false`,
        token(key, { at: later })
      )
      expect(res.body.meta.paging.total).toBe(0)
    })
  })
})
