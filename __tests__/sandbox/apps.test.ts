import { describe, expect, it } from '@jest/globals'
import {
  generateCatalogue,
  type CollectionDocument,
  type ErrorDocument,
  type InstanceDocument
} from '../../sandbox/index.js'
import { getOn, makeKey, NOW, sandboxForFile, token } from './helpers.js'

const key = makeKey('APPSKEY001', 'issuer-apps')
const bearer = token(key)
const catalogue = generateCatalogue({ now: NOW, buildsPerApp: 40 })

const sandbox = sandboxForFile({ catalogue, keys: [key] })
const get = getOn(sandbox, bearer)
const bundleIds = (res: { body: CollectionDocument }) =>
  res.body.data.map(d => d.attributes!['bundleId'] as string)

describe('/v1/apps', () => {
  it('matches filter[bundleId] by prefix, not exactly', async () => {
    const res = await get('/v1/apps?filter[bundleId]=com.example.weather')
    expect(bundleIds(res).sort()).toEqual([
      'com.example.weather',
      'com.example.weather.widget',
      'com.example.weatherpro'
    ])
    const news = await get('/v1/apps?filter[bundleId]=com.example.news')
    expect(bundleIds(news).sort()).toEqual(['com.example.news', 'com.example.news.ios'])
    const none = await get('/v1/apps?filter[bundleId]=org.example')
    expect(none.status).toBe(200)
    expect(none.body.data).toEqual([])
  })

  it('filters by id, sku and name', async () => {
    const app = catalogue.apps[3]!
    expect((await get(`/v1/apps?filter[id]=${app.id}`)).body.data.map(d => d.id)).toEqual([app.id])
    expect((await get(`/v1/apps?filter[sku]=${app.sku}`)).body.data.map(d => d.id)).toEqual([
      app.id
    ])
    const byName = await get('/v1/apps?filter[name]=Weather')
    expect(byName.body.data.length).toBe(3)
  })

  it('sorts by bundleId and -name', async () => {
    const asc = await get('/v1/apps?sort=bundleId')
    expect(bundleIds(asc)).toEqual(catalogue.apps.map(a => a.bundleId).sort())
    const byName = await get('/v1/apps?sort=-name')
    const names = byName.body.data.map(d => d.attributes!['name'] as string)
    expect(names).toEqual(
      catalogue.apps
        .map(a => a.name)
        .sort()
        .reverse()
    )
  })

  it('renders apps like Apple, with links on the sandbox origin', async () => {
    const res = await get('/v1/apps?limit=1')
    const app = catalogue.apps[0]!
    expect(res.body.data[0]).toMatchObject({
      type: 'apps',
      id: app.id,
      attributes: {
        name: app.name,
        bundleId: app.bundleId,
        sku: app.sku,
        primaryLocale: app.primaryLocale
      },
      links: { self: `${sandbox.url}/v1/apps/${app.id}` }
    })
    expect(res.body.data[0]!.relationships!['builds']!.links).toEqual({
      self: `${sandbox.url}/v1/apps/${app.id}/relationships/builds`,
      related: `${sandbox.url}/v1/apps/${app.id}/builds`
    })
    expect(res.body.meta.paging).toEqual({ total: catalogue.apps.length, limit: 1 })
    expect(new URL(res.body.links.next!).origin).toBe(sandbox.url)
  })

  it('trims attributes and relationships with fields[apps]', async () => {
    const res = await get('/v1/apps?fields[apps]=bundleId,builds')
    for (const app of res.body.data) {
      expect(Object.keys(app.attributes!)).toEqual(['bundleId'])
      expect(Object.keys(app.relationships!)).toEqual(['builds'])
    }
  })

  it('includes builds of an app up to limit[builds]', async () => {
    const app = catalogue.apps[0]!
    const res = await get<InstanceDocument>(
      `/v1/apps/${app.id}?include=builds&limit[builds]=5&fields[builds]=version`
    )
    expect(res.body.included).toHaveLength(5)
    expect(res.body.included!.every(r => r.type === 'builds')).toBe(true)
    const relationship = res.body.data.relationships!['builds']!
    expect(relationship.data).toHaveLength(5)
    expect(relationship.meta).toEqual({ paging: { total: 40, limit: 5 } })
  })

  it('refuses parameters /v1/apps does not list', async () => {
    const res = await get<ErrorDocument>('/v1/apps?filter[bundleIdExact]=x')
    expect(res.status).toBe(400)
    expect(res.body.errors[0]).toMatchObject({
      code: 'PARAMETER_ERROR.ILLEGAL',
      source: { parameter: 'filter[bundleIdExact]' }
    })
    expect((await get('/v1/apps?sort=uploadedDate')).status).toBe(400)
  })
})

describe('/v1/apps/{id}', () => {
  it('answers an app by id', async () => {
    const app = catalogue.apps[1]!
    const res = await get<InstanceDocument>(`/v1/apps/${app.id}?fields[apps]=bundleId,name`)
    expect(res.status).toBe(200)
    expect(res.body.data.attributes).toEqual({ name: app.name, bundleId: app.bundleId })
    expect(res.body.links.self).toBe(`${sandbox.url}/v1/apps/${app.id}?fields[apps]=bundleId,name`)
  })

  it('answers an unknown id with 404 NOT_FOUND in Apple words', async () => {
    const res = await get<ErrorDocument>('/v1/apps/1234567890')
    expect(res.status).toBe(404)
    expect(res.body.errors).toEqual([
      {
        id: expect.any(String),
        status: '404',
        code: 'NOT_FOUND',
        title: 'The specified resource does not exist',
        detail: "There is no resource of type 'apps' with id '1234567890'"
      }
    ])
  })

  it('refuses paging parameters on an instance', async () => {
    expect((await get(`/v1/apps/${catalogue.apps[0]!.id}?limit=5`)).status).toBe(400)
  })
})

describe('other paths and methods', () => {
  it('answers an unknown path with 404 NOT_FOUND', async () => {
    const res = await get<ErrorDocument>('/v1/bundleIds')
    expect(res.status).toBe(404)
    expect(res.body.errors[0]).toMatchObject({
      code: 'NOT_FOUND',
      detail: 'The path provided does not match a defined resource type.'
    })
    expect((await get('/v2/builds')).status).toBe(404)
  })

  it('answers a method other than GET with 405 and an Apple-style error', async () => {
    const res = await get<ErrorDocument>('/v1/apps', { method: 'POST', body: '{}' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET')
    expect(res.body.errors[0]!.status).toBe('405')
  })

  it('lists prerelease versions of an app', async () => {
    const app = catalogue.apps[2]!
    const res = await get(`/v1/apps/${app.id}/preReleaseVersions?limit=200`)
    expect(res.body.meta.paging.total).toBe(
      catalogue.preReleaseVersions.filter(p => p.appId === app.id).length
    )
    expect((await get(`/v1/apps/${app.id}/preReleaseVersions?filter[platform]=IOS`)).status).toBe(
      400
    )
  })
})
