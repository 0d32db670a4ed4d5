// The sandbox answers in the shapes Apple's recorded answers show, not only the documented ones:
// offset dates without a fraction, explicit nulls, attributes the OpenAPI document does not
// list, a lower-case rate-limit header, cursor-first next links with encoded brackets, and error
// bodies without an id or with links.see.
import { describe, expect, it } from '@jest/globals'
import { request } from 'node:http'
import {
  generateCatalogue,
  MAIN_BUNDLE_ID,
  type CollectionDocument,
  type ErrorDocument,
  type InstanceDocument
} from '../../sandbox/index.js'
import { formatPacific } from '../../sandbox/time.js'
import { fetchAll, getOn, makeKey, NOW, sandboxForFile, token } from './helpers.js'

const key = makeKey('SHAPESKEY1', 'issuer-shapes')
const bearer = token(key)
const catalogue = generateCatalogue({ seed: 1, now: NOW })
const main = catalogue.apps.find(a => a.bundleId === MAIN_BUNDLE_ID)!
const landmark = (name: keyof typeof catalogue.landmarks) => catalogue.landmarks[name]!
const sandbox = sandboxForFile({ catalogue, keys: [key] })
const get = getOn(sandbox, bearer)

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Apple's build dates: seconds, no fraction, a Pacific offset. */
const PACIFIC_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[78]:00$/

describe('dates', () => {
  it('writes build dates in Pacific time with an offset and no fraction', async () => {
    const res = await get<InstanceDocument>(`/v1/builds/${landmark('weather.ios.latestValid')}`)
    const { uploadedDate, expirationDate } = res.body.data.attributes as Record<string, string>
    expect(uploadedDate).toMatch(PACIFIC_DATE)
    expect(expirationDate).toMatch(PACIFIC_DATE)
  })

  it('expires 90 local days after upload, so the offsets differ across a change of the clocks', async () => {
    for (const name of ['clock.ios.earlierChange', 'clock.ios.latestChange'] as const) {
      const res = await get<InstanceDocument>(`/v1/builds/${landmark(name)}`)
      const { uploadedDate, expirationDate } = res.body.data.attributes as {
        uploadedDate: string
        expirationDate: string
      }
      expect(uploadedDate.slice(-6)).not.toBe(expirationDate.slice(-6))
      // Same wall-clock time, 90 days later: 89 d 23 h or 90 d 1 h apart as instants.
      expect(expirationDate.slice(11, 19)).toBe(uploadedDate.slice(11, 19))
      const gap = Date.parse(expirationDate) - Date.parse(uploadedDate)
      expect([90 * DAY - HOUR, 90 * DAY + HOUR]).toContain(gap)
    }
    // One build crosses a spring change and one an autumn change.
    const offsets = await Promise.all(
      (['clock.ios.earlierChange', 'clock.ios.latestChange'] as const).map(async name => {
        const res = await get<InstanceDocument>(`/v1/builds/${landmark(name)}`)
        return (res.body.data.attributes!['uploadedDate'] as string).slice(-6)
      })
    )
    expect(new Set(offsets)).toEqual(new Set(['-07:00', '-08:00']))
  })

  it("takes the offsets from the platform's time zone data, older rules included", () => {
    // 2006: daylight saving began on the first Sunday of April (2 April), not in March.
    expect(formatPacific(Date.parse('2006-03-20T20:00:00Z'))).toBe('2006-03-20T12:00:00-08:00')
    expect(formatPacific(Date.parse('2006-04-02T09:59:59Z'))).toBe('2006-04-02T01:59:59-08:00')
    expect(formatPacific(Date.parse('2006-04-02T10:00:00Z'))).toBe('2006-04-02T03:00:00-07:00')
  })
})

describe('attributes', () => {
  it('sends absent values as explicit nulls', async () => {
    const build = await get<InstanceDocument>(`/v1/builds/${landmark('weather.ios.latestValid')}`)
    const attributes = build.body.data.attributes!
    expect(Object.hasOwn(attributes, 'lsMinimumSystemVersion')).toBe(true)
    expect(attributes['lsMinimumSystemVersion']).toBeNull()
    expect(attributes['usesNonExemptEncryption']).toBeNull()
    const app = await get<InstanceDocument>(`/v1/apps/${main.id}`)
    expect(app.body.data.attributes!['accessibilityUrl']).toBeNull()
  })

  it('carries attributes the OpenAPI document does not list, unless fields[...] trims them', async () => {
    const build = await get<InstanceDocument>(`/v1/builds/${landmark('weather.ios.betaApproved')}`)
    expect(build.body.data.attributes).toMatchObject({
      qcState: 'BETA_INTERNAL_TESTING',
      computedMinRealityOsVersion: null
    })
    const detail = await get<InstanceDocument>(
      `/v1/builds/${landmark('weather.ios.betaApproved')}/buildBetaDetail`
    )
    expect(detail.body.data.attributes).toMatchObject({ didNotify: true })
    const app = await get<InstanceDocument>(`/v1/apps/${main.id}`)
    expect(app.body.data.attributes).toMatchObject({ removed: false, isAAG: false })

    const trimmed = await get<InstanceDocument>(
      `/v1/builds/${landmark('weather.ios.betaApproved')}?fields[builds]=version`
    )
    expect(trimmed.body.data.attributes).toEqual({ version: expect.any(String) })
  })
})

describe('the rate-limit header', () => {
  it('is spelled lower-case, its value ending in a semicolon', async () => {
    const raw = await new Promise<string[]>((resolve, reject) => {
      const req = request(
        `${sandbox.url}/v1/apps?limit=1`,
        { headers: { Authorization: `Bearer ${bearer}` } },
        res => {
          res.resume()
          res.on('end', () => resolve(res.rawHeaders))
        }
      )
      req.on('error', reject)
      req.end()
    })
    const index = raw.findIndex(name => name.toLowerCase() === 'x-rate-limit')
    expect(raw[index]).toBe('x-rate-limit')
    expect(raw[index + 1]).toMatch(/^user-hour-lim:3600;user-hour-rem:\d+;$/)
  })
})

describe('links.next', () => {
  it('puts the cursor first and percent-encodes brackets, and the sandbox follows it', async () => {
    const first = `/v1/builds?filter[app]=${main.id}&limit=50&fields[builds]=version`
    const res = await get<CollectionDocument>(first)
    const next = res.body.links.next!
    expect(next.startsWith(`${sandbox.url}/v1/builds?cursor=`)).toBe(true)
    expect(next).toContain(`&filter%5Bapp%5D=${main.id}&limit=50&fields%5Bbuilds%5D=version`)
    expect(next).not.toMatch(/[[\]]/)
    const pages = await fetchAll(`${sandbox.url}${first}`, bearer)
    const ids = pages.flatMap(page => page.data.map(build => build.id))
    expect(ids).toHaveLength(res.body.meta.paging.total)
    expect(new Set(ids).size).toBe(ids.length)
  })
})

describe('error bodies', () => {
  it('401 without an id', async () => {
    const res = await getOn(sandbox, 'not-a-token')<ErrorDocument>('/v1/apps')
    expect(res.status).toBe(401)
    expect(res.body.errors[0]).not.toHaveProperty('id')
    expect(res.body.errors[0]).toMatchObject({ status: '401', code: 'NOT_AUTHORIZED' })
  })

  it('500 without an id', async () => {
    sandbox.injectFault({ fault: { kind: 'status', status: 500 } })
    const res = await get<ErrorDocument>('/v1/apps')
    expect(res.status).toBe(500)
    expect(res.body.errors[0]).not.toHaveProperty('id')
    expect(res.body.errors[0]).toMatchObject({ status: '500', code: 'UNEXPECTED_ERROR' })
  })

  it('the agreements 403 points at the agreements in links.see', async () => {
    sandbox.injectFault({ fault: { kind: 'agreements' } })
    const res = await get<ErrorDocument>('/v1/apps')
    expect(res.status).toBe(403)
    expect(res.body.errors[0]).toMatchObject({
      id: expect.any(String),
      code: 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED',
      links: { see: '/agreements' }
    })
  })

  it('404 and 400 keep their id; a refused parameter is named in source.parameter', async () => {
    const missing = await get<ErrorDocument>('/v1/apps/1999999999')
    expect(missing.status).toBe(404)
    expect(missing.body.errors[0]).toMatchObject({ id: expect.any(String), code: 'NOT_FOUND' })
    const refused = await get<ErrorDocument>('/v1/builds?filter[nope]=1')
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0]).toMatchObject({
      id: expect.any(String),
      source: { parameter: 'filter[nope]' }
    })
  })
})
