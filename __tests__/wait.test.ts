import { describe, expect, it } from '@jest/globals'
import type { AppStoreConnectClient } from '../src/apple/asc-client.js'
import { pollInterval, waitForBuild } from '../src/choose/wait.js'
import type { BuildFilters, SearchRequest } from '../src/choose/search-types.js'
import { ActionError } from '../src/errors.js'
import {
  appleError,
  buildsPage,
  uploadsPage,
  type BuildSpec,
  type UploadSpec
} from './support/documents.js'
import { mockApi, testClock } from './support/mock-api.js'

const FILTERS: BuildFilters = {
  processingStates: ['VALID'],
  includeExpired: false,
  readyFor: 'any',
  platform: 'IOS'
}

/** One look of the world per poll: what /v1/builds and the uploads answer. */
interface World {
  builds: BuildSpec[]
  uploads: UploadSpec[]
}

const build = (state: BuildSpec['state'], extra: Partial<BuildSpec> = {}): BuildSpec => ({
  id: 'b-632',
  version: '632',
  uploaded: '2026-11-27T10:01:00-08:00',
  state,
  ...extra
})

/** waitForBuild for build 632 (or the search given) on the client, with a clock of its own. */
function waitOn(
  client: AppStoreConnectClient,
  clock: ReturnType<typeof testClock>,
  search: Partial<SearchRequest> = {},
  options: { waitMinutes?: number; info?: (line: string) => void } = {}
) {
  return waitForBuild(
    client,
    {
      appId: '1600000001',
      appIdGiven: true,
      filters: { ...FILTERS, buildNumber: '632' },
      latestBy: 'uploaded-date',
      now: clock.now(),
      ...search
    },
    {
      waitMs: (options.waitMinutes ?? 1) * 60_000,
      intervalMs: 30_000,
      now: clock.now,
      info: options.info ?? (() => undefined)
    }
  )
}

/** An uploads page whose one upload of build 632 says no state at all. */
const STATELESS_UPLOAD = {
  data: [{ type: 'buildUploads', id: 'u', attributes: { cfBundleVersion: '632', platform: 'IOS' } }]
}

/** A mock API whose answers move to the next world after each wait. */
function timeline(worlds: World[]) {
  const clock = testClock('2026-11-27T18:00:00Z')
  const infos: string[] = []
  let sleepsSeen = 0
  const api = mockApi(
    path => {
      const world = worlds[Math.min(sleepsSeen, worlds.length - 1)]!
      if (path.endsWith('/buildUploads')) return { body: uploadsPage(world.uploads) }
      if (path === '/v1/apps/1600000001')
        return { body: { data: { type: 'apps', id: '1600000001' } } }
      return { body: buildsPage(world.builds) }
    },
    { clock }
  )
  const originalSleep = api.client.sleep.bind(api.client)
  api.client.sleep = async (ms: number) => {
    sleepsSeen++
    await originalSleep(ms)
  }
  const wait = (search: Partial<SearchRequest> = {}, waitMinutes = 10) =>
    waitOn(api.client, clock, search, { waitMinutes, info: line => infos.push(line) })
  return { ...api, wait, infos }
}

const nothing: World = { builds: [], uploads: [] }
const uploading: World = {
  builds: [],
  uploads: [{ id: 'u', buildNumber: '632', state: 'PROCESSING' }]
}

describe('waiting for a build number', () => {
  it('answers at once, in one request, when the build already matches', async () => {
    const { wait, seen, infos } = timeline([{ builds: [build('VALID')], uploads: [] }])
    const outcome = await wait()
    expect(outcome.result.build?.id).toBe('b-632')
    expect(outcome.waitedMs).toBe(0)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.query.get('filter[processingState]')).toBe('VALID,PROCESSING,FAILED,INVALID')
    expect(infos).toEqual([])
  })

  it('says it waited 0 s when the build matched at the first look, however slow that was', async () => {
    const clock = testClock('2026-11-27T18:00:00Z')
    const { client } = mockApi(
      () => {
        // Apple takes 1.5 s to answer.
        clock.advance(1_500)
        return { body: buildsPage([build('VALID')]) }
      },
      { clock }
    )
    const outcome = await waitOn(client, clock)
    expect(outcome.result.build?.id).toBe('b-632')
    expect(outcome.waitedMs).toBe(0)
  })

  it('follows an upload from unseen to VALID, logging each change', async () => {
    const { wait, seen, infos, sleeps } = timeline([
      nothing,
      { builds: [], uploads: [{ id: 'u', buildNumber: '632', state: 'AWAITING_UPLOAD' }] },
      uploading,
      { builds: [build('PROCESSING')], uploads: [] },
      { builds: [build('VALID')], uploads: [] }
    ])
    const outcome = await wait()
    expect(outcome.result.build?.id).toBe('b-632')
    expect(outcome.waitedMs).toBe(4 * 30_000)
    expect(sleeps).toEqual([30_000, 30_000, 30_000, 30_000])
    // Builds, then uploads while no build is visible: at most two requests a poll.
    expect(seen.map(r => r.path.split('/').pop())).toEqual([
      'builds',
      'buildUploads',
      'builds',
      'buildUploads',
      'builds',
      'buildUploads',
      'builds',
      'builds'
    ])
    expect(infos[0]).toMatch(
      /^Waiting up to 10 min for build 632 \(IOS\) of app 1600000001 to match .*; it is not visible yet\. Checking every 30 s\.$/
    )
    expect(infos.slice(1)).toEqual([
      'build 632 (2.4.0, IOS): not visible yet -> upload AWAITING_UPLOAD, 30 s',
      'build 632 (2.4.0, IOS): upload AWAITING_UPLOAD -> upload PROCESSING, 1 min',
      'build 632 (2.4.0, IOS): upload PROCESSING -> build PROCESSING, 1 min 30 s',
      'build 632 (2.4.0, IOS) is ready after 2 min.'
    ])
  })

  it('spells the train one way in its log: the upload says 3.2.0, the build train 3.2', async () => {
    const train = { id: 'prv-32', version: '3.2', platform: 'IOS' as const }
    const { wait, infos } = timeline([
      {
        builds: [],
        uploads: [{ id: 'u', buildNumber: '632', appVersion: '3.2.0', state: 'PROCESSING' }]
      },
      { builds: [build('PROCESSING', { preRelease: train })], uploads: [] },
      { builds: [build('VALID', { preRelease: train })], uploads: [] }
    ])
    const outcome = await wait()
    expect(outcome.result.build?.preReleaseVersion?.version).toBe('3.2')
    expect(infos.slice(1)).toEqual([
      'build 632 (3.2.0, IOS): upload PROCESSING -> build PROCESSING, 30 s',
      'build 632 (3.2.0, IOS) is ready after 1 min.'
    ])
  })

  it('ends at once when the upload FAILED, with Apple’s reasons', async () => {
    const { wait } = timeline([
      {
        builds: [],
        uploads: [
          {
            id: 'u',
            buildNumber: '632',
            state: 'FAILED',
            errors: [
              { code: 'ITMS-90062', description: 'This bundle is invalid.' },
              { code: 'ITMS-90189', description: 'Redundant Binary Upload.' }
            ]
          }
        ]
      }
    ])
    const error = await wait().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toBe(
      'The upload of build 632 (2.4.0, IOS) FAILED. Apple says: This bundle is invalid.; Redundant Binary Upload.'
    )
  })

  it('ends at once when the build ends INVALID', async () => {
    const { wait } = timeline([uploading, { builds: [build('INVALID')], uploads: [] }])
    await expect(wait()).rejects.toThrow(
      /^build 632 \(2\.4\.0, IOS\) of app 1600000001 ended INVALID\.$/
    )
  })

  it('waits for INVALID when processing-state asks for it', async () => {
    const { wait } = timeline([uploading, { builds: [build('INVALID')], uploads: [] }])
    const outcome = await wait({
      filters: { ...FILTERS, buildNumber: '632', processingStates: ['INVALID'] }
    })
    expect(outcome.result.build?.resource.attributes?.processingState).toBe('INVALID')
  })

  it('runs out of time with what it waited for, the last state and for how long', async () => {
    const { wait, seen } = timeline([nothing, uploading])
    const outcome = await wait({}, 2)
    expect(outcome.result.build).toBeUndefined()
    expect(outcome.timedOut).toBe(
      'Waited 2 min (wait-minutes) for build 632 (2.4.0, IOS) of app 1600000001; its last state was upload PROCESSING, for 1 min 30 s. Raise wait-minutes, or check the upload in App Store Connect.'
    )
    // Polls at 0, 30, 60, 90 and 120 s; the next would pass the deadline.
    expect(seen.filter(r => r.path === '/v1/builds')).toHaveLength(5)
  })

  it('waits through a TestFlight review, but not for a state that needs a person', async () => {
    const review = (external: 'IN_BETA_REVIEW' | 'BETA_APPROVED' | 'BETA_REJECTED'): World => ({
      builds: [build('VALID', { beta: { internal: 'IN_BETA_TESTING', external } })],
      uploads: []
    })
    const externally = {
      filters: { ...FILTERS, buildNumber: '632', readyFor: 'external-testing' as const }
    }
    const approved = await timeline([review('IN_BETA_REVIEW'), review('BETA_APPROVED')]).wait(
      externally
    )
    expect(approved.result.build?.betaDetail?.externalBuildState).toBe('BETA_APPROVED')
    await expect(
      timeline([review('IN_BETA_REVIEW'), review('BETA_REJECTED')]).wait(externally)
    ).rejects.toThrow(/is not ready: external state BETA_REJECTED; Beta App Review rejected it/)
  })
})

describe('waiting without a build number', () => {
  const valid631 = build('VALID', {
    id: 'b-631',
    version: '631',
    uploaded: '2026-11-26T10:00:00-08:00'
  })

  it('answers at once when nothing is in flight: one builds and one uploads request', async () => {
    const { wait, seen } = timeline([{ builds: [valid631], uploads: [] }])
    const outcome = await wait({ filters: FILTERS })
    expect(outcome.result.build?.id).toBe('b-631')
    expect(outcome.waitedMs).toBe(0)
    expect(seen.map(r => r.path.split('/').pop())).toEqual(['builds', 'buildUploads'])
    expect(seen[0]!.query.get('filter[processingState]')).toBe('VALID,PROCESSING')
    expect(seen[1]!.query.get('filter[state]')).toBe('AWAITING_UPLOAD,PROCESSING')
  })

  it('waits for a newer upload still in flight and answers with it', async () => {
    const { wait } = timeline([
      { builds: [valid631], uploads: [{ id: 'u', buildNumber: '632', state: 'PROCESSING' }] },
      { builds: [valid631, build('PROCESSING')], uploads: [] },
      { builds: [valid631, build('VALID')], uploads: [] }
    ])
    const outcome = await wait({ filters: FILTERS })
    expect(outcome.result.build?.id).toBe('b-632')
    expect(outcome.waitedMs).toBe(60_000)
  })

  it('waits for a newer build still PROCESSING', async () => {
    const { wait } = timeline([
      { builds: [valid631, build('PROCESSING')], uploads: [] },
      { builds: [valid631, build('VALID')], uploads: [] }
    ])
    expect((await wait({ filters: FILTERS })).result.build?.id).toBe('b-632')
  })

  it('does not wait for an older build still processing', async () => {
    const old = build('PROCESSING', {
      id: 'b-630',
      version: '630',
      uploaded: '2026-11-20T10:00:00-08:00'
    })
    const { wait } = timeline([{ builds: [valid631, old], uploads: [] }])
    const outcome = await wait({ filters: FILTERS })
    expect(outcome.result.build?.id).toBe('b-631')
    expect(outcome.waitedMs).toBe(0)
  })
})

describe('pollInterval', () => {
  it('keeps the asked interval while the quota can carry it', () => {
    expect(pollInterval(30_000, 600_000, { rateLimit: { limit: 3600, remaining: 3000 } })).toBe(
      30_000
    )
    expect(pollInterval(30_000, 600_000, { rateLimit: undefined })).toBe(30_000)
  })

  it('slows down so that two requests a poll last until the deadline', () => {
    // 40 requests left for 10 minutes: 20 polls, one every 30 s at the least; 10 left: 2 min.
    expect(pollInterval(5_000, 600_000, { rateLimit: { limit: 3600, remaining: 40 } })).toBe(30_000)
    expect(pollInterval(5_000, 600_000, { rateLimit: { limit: 3600, remaining: 10 } })).toBe(
      120_000
    )
    expect(pollInterval(5_000, 600_000, { rateLimit: { limit: 3600, remaining: 0 } })).toBe(600_000)
  })
})

const MAC_632 = { id: 'prv-mac', version: '2.4.0', platform: 'MAC_OS' as const }
const ANY_PLATFORM: BuildFilters = { ...FILTERS, platform: undefined }

describe('waiting for a build number, in more detail', () => {
  it('says it is still waiting every 5 minutes while nothing changes', async () => {
    const { wait, infos } = timeline([nothing, uploading])
    const outcome = await wait({}, 12)
    expect(outcome.timedOut).toMatch(/^Waited 12 min \(wait-minutes\)/)
    expect(infos.slice(1)).toEqual([
      'build 632 (2.4.0, IOS): not visible yet -> upload PROCESSING, 30 s',
      'build 632 (2.4.0, IOS): still upload PROCESSING after 5 min 30 s',
      'build 632 (2.4.0, IOS): still upload PROCESSING after 10 min 30 s'
    ])
  })

  it('polls less often when the hourly quota is low, so that it lasts until the deadline', async () => {
    const clock = testClock('2026-11-27T18:00:00Z')
    const { client, sleeps } = mockApi(
      path => ({
        body: path.endsWith('/buildUploads') ? uploadsPage([]) : buildsPage([]),
        headers: { 'x-rate-limit': 'user-hour-lim:3600;user-hour-rem:4;' }
      }),
      { clock }
    )
    const outcome = await waitOn(client, clock, {}, { waitMinutes: 10 })
    // 4 requests left, two a poll: each pause is half the time left (never under 30 s).
    expect(sleeps).toEqual([300_000, 150_000, 75_000, 37_500, 30_000])
    expect(outcome.result).toEqual({
      build: undefined,
      considered: 0,
      blocked: undefined,
      otherPlatforms: [],
      inFlight: [],
      unknownValues: []
    })
  })

  it('answers with the whole result of the poll that found the build', async () => {
    const { wait } = timeline([uploading, { builds: [build('VALID')], uploads: [] }])
    const outcome = await wait()
    expect(outcome.result).toEqual({
      build: expect.objectContaining({ id: 'b-632' }),
      considered: 1,
      blocked: undefined,
      otherPlatforms: [],
      inFlight: [],
      unknownValues: []
    })
  })

  it('on any platform, follows the platform of the newest build of that number, and only it', async () => {
    const { wait, infos } = timeline([
      {
        builds: [
          build('PROCESSING', {
            id: 'mac',
            uploaded: '2026-11-27T09:00:00-08:00',
            preRelease: MAC_632
          }),
          build('PROCESSING', { id: 'ios' })
        ],
        uploads: []
      },
      {
        builds: [
          build('VALID', { id: 'mac', uploaded: '2026-11-27T09:00:00-08:00', preRelease: MAC_632 }),
          build('PROCESSING', { id: 'ios' })
        ],
        uploads: []
      },
      { builds: [build('VALID', { id: 'ios' })], uploads: [] }
    ])
    const outcome = await wait({ filters: { ...ANY_PLATFORM, buildNumber: '632' } })
    expect(outcome.result.build?.id).toBe('ios')
    expect(infos[0]).toMatch(/^Waiting up to 10 min for build 632 \(2\.4\.0, IOS\) of app/)
  })

  it('on any platform, names the platform of the upload once it is seen', async () => {
    const { wait, infos } = timeline([
      nothing,
      { builds: [], uploads: [{ id: 'u', buildNumber: '632', state: 'PROCESSING' }] },
      { builds: [build('VALID', { preRelease: MAC_632, id: 'mac' })], uploads: [] },
      { builds: [build('VALID', { id: 'ios' })], uploads: [] }
    ])
    const outcome = await wait({ filters: { ...ANY_PLATFORM, buildNumber: '632' } })
    expect(outcome.result.build?.id).toBe('ios')
    expect(infos[0]).toMatch(/^Waiting up to 10 min for build 632 of app 1600000001 to match /)
    expect(infos[1]).toBe('build 632 (2.4.0, IOS): not visible yet -> upload PROCESSING, 30 s')
  })

  it('ends at once when the build has expired, unless expired builds are asked for', async () => {
    const expired = { builds: [build('VALID', { expired: true })], uploads: [] }
    await expect(timeline([uploading, expired]).wait()).rejects.toThrow(
      /^build 632 \(2\.4\.0, IOS\) of app 1600000001 has expired in TestFlight\.$/
    )
    const outcome = await timeline([uploading, expired]).wait({
      filters: { ...FILTERS, buildNumber: '632', includeExpired: true }
    })
    expect(outcome.result.build?.id).toBe('b-632')
  })

  it('names a TestFlight state it waits through', async () => {
    const review = (external: 'IN_BETA_REVIEW' | 'BETA_APPROVED'): World => ({
      builds: [build('VALID', { beta: { internal: 'IN_BETA_TESTING', external } })],
      uploads: []
    })
    const { wait, infos } = timeline([review('IN_BETA_REVIEW'), review('BETA_APPROVED')])
    await wait({ filters: { ...FILTERS, buildNumber: '632', readyFor: 'external-testing' } })
    expect(infos[0]).toMatch(
      /; it is build VALID, external state IN_BETA_REVIEW\. Checking every 30 s\.$/
    )
  })

  it('gives the reasons of that build’s own upload when it ends INVALID', async () => {
    const { wait, seen } = timeline([
      {
        builds: [build('INVALID')],
        uploads: [
          {
            id: 'other',
            buildNumber: '633',
            state: 'FAILED',
            uploaded: '2026-11-27T11:00:00-08:00',
            errors: [{ code: 'E-633', description: 'Not this one.' }]
          },
          {
            id: 'own',
            buildNumber: '632',
            state: 'FAILED',
            errors: [{}, { code: 'ITMS-90062' }]
          }
        ]
      }
    ])
    await expect(wait()).rejects.toThrow(
      /^build 632 \(2\.4\.0, IOS\) of app 1600000001 ended INVALID\. Apple says: ITMS-90062$/
    )
    expect(seen[1]!.query.get('filter[cfBundleVersion]')).toBe('632')
    expect(seen[1]!.query.get('filter[platform]')).toBe('IOS')
  })

  it('gives no reasons when the build’s upload says no state', async () => {
    const { wait } = timeline([{ builds: [build('INVALID')], uploads: [] }])
    const stateless = mockApi(path =>
      path.endsWith('/buildUploads')
        ? { body: STATELESS_UPLOAD }
        : { body: buildsPage([build('INVALID')]) }
    )
    await expect(wait()).rejects.toThrow(/ended INVALID\.$/)
    const clock = testClock('2026-11-27T18:00:00Z')
    await expect(waitOn(stateless.client, clock, { appId: '1' })).rejects.toThrow(
      /^build 632 \(2\.4\.0, IOS\) of app 1 ended INVALID\.$/
    )
  })

  it('follows the newest upload of the number', async () => {
    const failedEarlier: UploadSpec = {
      id: 'first',
      buildNumber: '632',
      state: 'FAILED',
      created: '2026-11-27T08:00:00-08:00',
      uploaded: '2026-11-27T08:01:00-08:00'
    }
    const again: UploadSpec = { id: 'again', buildNumber: '632', state: 'AWAITING_UPLOAD' }
    for (const uploads of [
      [failedEarlier, again],
      [again, failedEarlier]
    ]) {
      const { wait, infos } = timeline([
        { builds: [], uploads },
        { builds: [build('VALID')], uploads: [] }
      ])
      await expect(wait()).resolves.toMatchObject({ result: { build: { id: 'b-632' } } })
      expect(infos[0]).toMatch(/; it is upload AWAITING_UPLOAD\./)
    }
  })

  it('shows an upload that says no state as unknown, and waits on', async () => {
    const infos: string[] = []
    const clock = testClock('2026-11-27T18:00:00Z')
    const { client } = mockApi(
      path =>
        path.endsWith('/buildUploads') ? { body: STATELESS_UPLOAD } : { body: buildsPage([]) },
      { clock }
    )
    const outcome = await waitOn(client, clock, {}, { info: line => infos.push(line) })
    expect(outcome.timedOut).toMatch(/its last state was upload unknown/)
    expect(infos[0]).toMatch(/; it is upload unknown\. Checking every 30 s\.$/)
  })

  it('is not ended by a FAILED upload of another build number', async () => {
    const { wait } = timeline([
      {
        builds: [],
        uploads: [
          { id: 'u-632', buildNumber: '632', state: 'PROCESSING' },
          {
            id: 'u-633',
            buildNumber: '633',
            state: 'FAILED',
            created: '2026-11-27T11:00:00-08:00',
            uploaded: '2026-11-27T11:01:00-08:00'
          }
        ]
      },
      { builds: [build('VALID')], uploads: [] }
    ])
    const outcome = await wait()
    expect(outcome.result.build?.id).toBe('b-632')
  })

  it('says what it was looking for when Apple refuses', async () => {
    const { client } = mockApi(() => ({
      status: 403,
      body: appleError(403, 'FORBIDDEN_ERROR', 'No.')
    }))
    const clock = testClock('2026-11-27T18:00:00Z')
    await expect(waitOn(client, clock)).rejects.toThrow(
      /^App Store Connect answered 403 while looking for build 632 of app 1600000001: /
    )
  })
})

describe('waiting without a build number, in more detail', () => {
  const valid631 = build('VALID', {
    id: 'b-631',
    version: '631',
    uploaded: '2026-11-26T10:00:00-08:00'
  })

  it('waits for an upload of an app that has no build yet', async () => {
    const { wait } = timeline([
      { builds: [], uploads: [{ id: 'u', buildNumber: '1', state: 'PROCESSING' }] },
      { builds: [build('VALID', { id: 'first', version: '1' })], uploads: [] }
    ])
    const outcome = await wait({ filters: FILTERS })
    expect(outcome.result.build?.id).toBe('first')
    expect(outcome.waitedMs).toBe(30_000)
  })

  it('waits for the newest of several uploads in flight', async () => {
    const { wait, infos } = timeline([
      {
        builds: [valid631],
        uploads: [
          {
            id: 'u632',
            buildNumber: '632',
            state: 'PROCESSING',
            uploaded: '2026-11-27T09:00:00-08:00'
          },
          {
            id: 'u633',
            buildNumber: '633',
            state: 'PROCESSING',
            uploaded: '2026-11-27T10:00:00-08:00'
          }
        ]
      },
      { builds: [valid631, build('VALID', { id: 'b-633', version: '633' })], uploads: [] }
    ])
    expect((await wait({ filters: FILTERS })).result.build?.id).toBe('b-633')
    expect(infos[0]).toMatch(/for build 633 \(2\.4\.0, IOS\)/)
  })

  it.each<[string, UploadSpec]>([
    [
      'its own upload, still listed as processing',
      { id: 'u631', buildNumber: '631', state: 'PROCESSING', uploaded: '2026-11-26T10:00:00-08:00' }
    ],
    [
      'an older upload never finished',
      {
        id: 'stale',
        buildNumber: '600',
        state: 'AWAITING_UPLOAD',
        created: '2026-11-01T10:00:00-08:00'
      }
    ]
  ])('answers at once past %s, with no poll', async (_case, upload) => {
    const { wait, seen } = timeline([{ builds: [valid631], uploads: [upload] }])
    const outcome = await wait({ filters: FILTERS })
    expect(outcome.result.build?.id).toBe('b-631')
    expect(outcome.waitedMs).toBe(0)
    expect(seen).toHaveLength(2)
  })

  it('does not wait for an upload that names no build number', async () => {
    const { client, seen } = mockApi(path =>
      path.endsWith('/buildUploads')
        ? {
            body: {
              data: [
                {
                  type: 'buildUploads',
                  id: 'u',
                  attributes: { platform: 'IOS', state: { state: 'PROCESSING' } }
                }
              ]
            }
          }
        : { body: buildsPage([valid631]) }
    )
    const clock = testClock('2026-11-27T18:00:00Z')
    const infos: string[] = []
    const outcome = await waitOn(
      client,
      clock,
      { appId: '1', filters: FILTERS },
      { info: line => infos.push(line) }
    )
    expect(outcome.result.build?.id).toBe('b-631')
    expect(outcome.waitedMs).toBe(0)
    expect(infos).toEqual([])
    expect(seen.map(request => request.path)).toEqual(['/v1/builds', '/v1/apps/1/buildUploads'])
  })

  it('waits for the newest build when it is only in a TestFlight review', async () => {
    const review = (external: 'IN_BETA_REVIEW' | 'BETA_APPROVED'): World => ({
      builds: [valid631, build('VALID', { beta: { internal: 'IN_BETA_TESTING', external } })],
      uploads: []
    })
    const { wait } = timeline([review('IN_BETA_REVIEW'), review('BETA_APPROVED')])
    const outcome = await wait({ filters: { ...FILTERS, readyFor: 'external-testing' } })
    expect(outcome.result.build?.id).toBe('b-632')
    expect(outcome.waitedMs).toBe(30_000)
  })
})
