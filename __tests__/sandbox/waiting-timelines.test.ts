// What a wait meets on Apple's real timelines: slow answers while the timeline moves on, outages
// in windows of the timeline, upload records created long ago (dead ones included), Apple's
// coded upload errors, uploads with their build included, and a key with little quota left.
import { describe, expect, it } from '@jest/globals'
import {
  APPLE_REFUSALS,
  deadUpload,
  generateCatalogue,
  type Catalogue,
  type CollectionDocument,
  type Resource,
  type Sandbox,
  type SandboxOptions
} from '../../sandbox/index.js'
import { getJson, makeKey, NOW, token, withSandbox } from './helpers.js'

const key = makeKey('WAITTL0001', 'issuer-wait-timelines')
const bearer = token(key)
const fresh = (): Catalogue => generateCatalogue({ now: NOW, buildsPerApp: 30 })
const WIDGET = 'com.example.weather.widget'
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

function onSandbox(
  options: Omit<SandboxOptions, 'keys' | 'catalogue'>,
  use: (sandbox: Sandbox, widgetId: string) => Promise<void>
): Promise<void> {
  const catalogue = fresh()
  const widget = catalogue.apps.find(app => app.bundleId === WIDGET)!
  return withSandbox({ catalogue, keys: [key], now: () => NOW, ...options }, sandbox =>
    use(sandbox, widget.id)
  )
}

const get = (sandbox: Sandbox, path: string) =>
  getJson<CollectionDocument>(`${sandbox.url}${path}`, bearer)
const uploadsOf = (widgetId: string, number: string, extra = '') =>
  `/v1/apps/${widgetId}/buildUploads?filter[cfBundleVersion]=${number}${extra}`
const stateOf = (resource: Resource) => (resource.attributes!['state'] as { state: string }).state

describe('a slow answer', () => {
  it('answers N seconds late with the state of the moment it leaves, the race of a wait', async () => {
    await onSandbox({}, async (sandbox, widgetId) => {
      sandbox.scheduleUpload({
        bundleId: WIDGET,
        version: '2.4.0',
        buildNumber: '631',
        steps: [
          { at: 0, upload: 'PROCESSING' },
          { at: 0.3, build: 'PROCESSING' },
          { at: 0.6, build: 'VALID' }
        ]
      })
      sandbox.injectFault({
        fault: { kind: 'slow', seconds: 0.9 },
        path: `/v1/apps/${widgetId}/buildUploads`
      })
      sandbox.startTimeline()
      const started = Date.now()
      const [slow, quick] = await Promise.all([
        get(sandbox, uploadsOf(widgetId, '631', '&include=build')),
        sleep(100).then(() =>
          get(sandbox, `/v1/builds?filter[app]=${widgetId}&filter[version]=631`)
        )
      ])
      // The builds answer came at once (no build yet); the uploads answer 0.9 s later shows the
      // build VALID, as the timeline had moved on.
      expect(quick.body.data).toEqual([])
      expect(Date.now() - started).toBeGreaterThanOrEqual(850)
      expect(stateOf(slow.body.data[0]!)).toBe('COMPLETE')
      expect(slow.body.included![0]!.attributes!['processingState']).toBe('VALID')
      expect(sandbox.requests.map(request => request.fault)).toEqual(['slow', undefined])
    })
  })
})

describe('faults in a window of the timeline', () => {
  it('answer every matching request inside the window, and none before or after it', async () => {
    await onSandbox({}, async (sandbox, widgetId) => {
      sandbox.injectFault({
        fault: { kind: 'status', status: 503 },
        path: '/v1/builds',
        during: { from: 0.2, until: 0.5 }
      })
      const builds = () => get(sandbox, `/v1/builds?filter[app]=${widgetId}&limit=1`)
      // No window is open before the start signal.
      expect((await builds()).status).toBe(200)
      sandbox.startTimeline()
      expect((await builds()).status).toBe(200)
      await sleep(250)
      expect([(await builds()).status, (await builds()).status]).toEqual([503, 503])
      // Another path is untouched inside the window.
      expect((await get(sandbox, `/v1/apps/${widgetId}`)).status).toBe(200)
      await sleep(300)
      expect((await builds()).status).toBe(200)
    })
  })

  it('refuses a window that closes before it opens', async () => {
    await onSandbox({}, async sandbox => {
      expect(() =>
        sandbox.injectFault({ fault: { kind: 'reset' }, during: { from: 2, until: 1 } })
      ).toThrow(/during must be a window/)
      expect(() => sandbox.injectFault({ fault: { kind: 'slow', seconds: -1 } })).toThrow(
        /slow fault needs seconds/
      )
    })
  })
})

describe('faults at random', () => {
  it('answer each request with their chance, the same way for the same seed', async () => {
    const statuses = async (seed: number): Promise<number[]> => {
      let seen: number[] = []
      await onSandbox({ seed }, async (sandbox, widgetId) => {
        sandbox.injectFault({ fault: { kind: 'status', status: 503 }, chance: 0.3 })
        sandbox.injectFault({ fault: { kind: 'status', status: 429 }, chance: 0.3 })
        for (let i = 0; i < 40; i++) {
          seen.push((await get(sandbox, `/v1/apps/${widgetId}`)).status)
        }
        seen = sandbox.requests.map(request => request.status)
      })
      return seen
    }
    const first = await statuses(7)
    expect(await statuses(7)).toEqual(first)
    // About 30% 503, then 30% of the rest 429: neither never nor always.
    const count = (status: number) => first.filter(s => s === status).length
    expect(count(503)).toBeGreaterThan(4)
    expect(count(429)).toBeGreaterThan(2)
    expect(count(200)).toBeGreaterThan(10)
    expect(count(200) + count(503) + count(429)).toBe(40)
    await onSandbox({}, async sandbox => {
      expect(() => sandbox.injectFault({ fault: { kind: 'reset' }, chance: 1.5 })).toThrow(
        /chance must be between 0 and 1/
      )
    })
  })
})

describe('upload records', () => {
  it('can be created long before their first step; a dead one stays AWAITING_UPLOAD', async () => {
    await onSandbox({}, async (sandbox, widgetId) => {
      sandbox.scheduleUpload({
        bundleId: WIDGET,
        version: '2.4.0',
        buildNumber: '700',
        createdSecondsAgo: 90,
        steps: [{ at: 0 }, { at: 0.1, upload: 'PROCESSING' }]
      })
      sandbox.scheduleUpload(deadUpload({ bundleId: WIDGET, version: '2.4.0', buildNumber: '1' }))
      sandbox.startTimeline()
      await sandbox.timeline.done()
      const [begun] = (await get(sandbox, uploadsOf(widgetId, '700'))).body.data
      // NOW is 10:00 Pacific; the record is 90 s older than its first step, the file came at 0.1 s.
      expect(begun!.attributes).toMatchObject({
        createdDate: '2026-11-20T09:58:30-08:00',
        uploadedDate: '2026-11-20T10:00:00-08:00'
      })
      const dead = (await get(sandbox, uploadsOf(widgetId, '1', '&filter[state]=AWAITING_UPLOAD')))
        .body.data
      expect(dead.map(upload => upload.attributes)).toEqual([
        expect.objectContaining({
          cfBundleVersion: '1',
          createdDate: '2026-11-20T07:00:00-08:00',
          uploadedDate: null,
          state: { state: 'AWAITING_UPLOAD', errors: [], warnings: [], infos: [] }
        })
      ])
    })
  })

  it('fail with Apple’s coded errors in the recorded shape', async () => {
    await onSandbox({}, async (sandbox, widgetId) => {
      sandbox.scheduleUpload({
        bundleId: WIDGET,
        version: '2.4.0',
        buildNumber: '701',
        steps: [
          { at: 0, upload: 'PROCESSING' },
          {
            at: 0.05,
            upload: 'FAILED',
            errors: [APPLE_REFUSALS.missingPurposeString, APPLE_REFUSALS.uploadLimit]
          }
        ]
      })
      sandbox.startTimeline()
      await sandbox.timeline.done()
      const [failed] = (await get(sandbox, uploadsOf(widgetId, '701'))).body.data
      expect(failed!.attributes!['state']).toEqual({
        state: 'FAILED',
        errors: [
          { code: '90683', description: 'Missing purpose string in Info.plist.' },
          { code: '90382', description: expect.stringMatching(/^Upload limit reached\./) }
        ],
        warnings: [],
        infos: []
      })
    })
  })

  it('include their build with include=build, linked both ways by relationship data', async () => {
    await onSandbox({}, async (sandbox, widgetId) => {
      const handle = sandbox.scheduleUpload({
        bundleId: WIDGET,
        version: '2.4.0',
        buildNumber: '702',
        steps: [
          { at: 0, upload: 'PROCESSING' },
          { at: 0.05, build: 'PROCESSING' }
        ]
      })
      sandbox.scheduleUpload({
        bundleId: WIDGET,
        version: '2.4.0',
        buildNumber: '703',
        steps: [{ at: 0, upload: 'PROCESSING' }]
      })
      sandbox.startTimeline()
      await sandbox.timeline.done()
      const res = await get(
        sandbox,
        `/v1/apps/${widgetId}/buildUploads?filter[cfBundleVersion]=702,703&include=build` +
          '&fields[builds]=version,processingState&sort=-uploadedDate'
      )
      expect(res.status).toBe(200)
      const byNumber = new Map(res.body.data.map(u => [u.attributes!['cfBundleVersion'], u]))
      expect(byNumber.get('702')!.relationships!['build']).toMatchObject({
        data: { type: 'builds', id: handle.buildId }
      })
      // An upload not yet a build says so: data null.
      expect(byNumber.get('703')!.relationships!['build']).toMatchObject({ data: null })
      expect(res.body.included).toEqual([
        {
          type: 'builds',
          id: handle.buildId,
          attributes: { version: '702', processingState: 'PROCESSING' },
          links: { self: `${sandbox.url}/v1/builds/${handle.buildId}` }
        }
      ])
    })
  })
})

describe('the rate limit', () => {
  const remaining = (headers: Headers) =>
    Number(/user-hour-rem:(\d+);/.exec(headers.get('x-rate-limit') ?? '')?.[1])

  it('counts requests made before the sandbox started: 1 left, then 0, then 429', async () => {
    await onSandbox({ rateLimitUsed: { count: 3598 } }, async (sandbox, widgetId) => {
      const first = await get(sandbox, `/v1/apps/${widgetId}`)
      expect(remaining(first.headers)).toBe(1)
      const second = await get(sandbox, `/v1/apps/${widgetId}`)
      expect([second.status, remaining(second.headers)]).toEqual([200, 0])
      const third = await get(sandbox, `/v1/apps/${widgetId}`)
      expect(third.status).toBe(429)
    })
  })

  it('gives requests back as the hour rolls on when the earlier use was spread over it', async () => {
    let now = NOW.getTime()
    const spread = { count: 59, spreadOverHour: true }
    await onSandbox(
      { rateLimitPerHour: 60, rateLimitUsed: spread, now: () => new Date(now) },
      async (sandbox, widgetId) => {
        const first = await get(sandbox, `/v1/apps/${widgetId}`)
        expect([first.status, remaining(first.headers)]).toEqual([200, 0])
        // 59 requests spread over the hour before: the oldest leaves 61 s in.
        now += 61_100
        const later = await get(sandbox, `/v1/apps/${widgetId}`)
        expect([later.status, remaining(later.headers)]).toEqual([200, 0])
      }
    )
    await onSandbox(
      { rateLimitPerHour: 60, rateLimitUsed: { count: 59 } },
      async (sandbox, widgetId) => {
        // All at the start instant: none comes back within the hour.
        expect((await get(sandbox, `/v1/apps/${widgetId}`)).status).toBe(200)
        expect((await get(sandbox, `/v1/apps/${widgetId}`)).status).toBe(429)
      }
    )
  })

  it('does not count a refused request: retrying a 429 does not push the quota back', async () => {
    let now = NOW.getTime()
    await onSandbox(
      {
        rateLimitPerHour: 60,
        rateLimitUsed: { count: 59, spreadOverHour: true },
        now: () => new Date(now)
      },
      async (sandbox, widgetId) => {
        expect((await get(sandbox, `/v1/apps/${widgetId}`)).status).toBe(200)
        expect((await get(sandbox, `/v1/apps/${widgetId}`)).status).toBe(429)
        expect((await get(sandbox, `/v1/apps/${widgetId}`)).status).toBe(429)
        // The oldest earlier request leaves 61 s in; the two 429s took nothing.
        now += 61_100
        const later = await get(sandbox, `/v1/apps/${widgetId}`)
        expect([later.status, remaining(later.headers)]).toEqual([200, 0])
      }
    )
  })

  it('sends a 429 with Retry-After: 120 on request', async () => {
    await onSandbox({}, async (sandbox, widgetId) => {
      sandbox.injectFault({ fault: { kind: 'status', status: 429, retryAfter: 120 } })
      const res = await get(sandbox, `/v1/apps/${widgetId}`)
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBe('120')
    })
  })
})
