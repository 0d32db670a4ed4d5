import { describe, expect, it } from '@jest/globals'
import type { AppStoreConnectClient } from '../src/apple/asc-client.js'
import { pollPause, waitForBuild } from '../src/choose/wait.js'
import type { BuildFilters, SearchRequest } from '../src/choose/search-types.js'
import { Deadline } from '../src/deadline.js'
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
  options: { waitMinutes?: number; intervalSeconds?: number; info?: (line: string) => void } = {}
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
      intervalMs: (options.intervalSeconds ?? 30) * 1000,
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
/** The upload of build 632 done, its build in `state`, as /v1/builds shows it too. */
const became = (state: BuildSpec['state'], extra: Partial<BuildSpec> = {}): World => ({
  builds: [build(state, extra)],
  uploads: [
    {
      id: 'u',
      buildNumber: extra.version ?? '632',
      state: 'COMPLETE',
      build: { id: extra.id ?? 'b-632', state: state ?? 'VALID' }
    }
  ]
})
/** The request paths as letters: U the uploads, B the builds. */
const letters = (seen: Array<{ path: string }>): string =>
  seen
    .map(r => (r.path.endsWith('/buildUploads') ? 'U' : r.path === '/v1/builds' ? 'B' : r.path))
    .join(' ')

describe('waiting for a build number', () => {
  it('answers at once when the build already matches: its upload, then the build', async () => {
    const { wait, seen, infos } = timeline([became('VALID')])
    const outcome = await wait()
    expect(outcome.result.build?.id).toBe('b-632')
    expect(outcome.waitedMs).toBe(0)
    expect(letters(seen)).toBe('U B')
    expect(seen[0]!.query.get('include')).toBe('build')
    expect(seen[1]!.query.get('filter[processingState]')).toBe('VALID,PROCESSING,FAILED,INVALID')
    expect(infos).toEqual([])
  })

  it('counts the time its first look took when the build already matched: Apple answering slowly is time waited', async () => {
    const clock = testClock('2026-11-27T18:00:00Z')
    const { client } = mockApi(
      path => {
        // Apple takes 1.5 s to answer each request.
        clock.advance(1_500)
        return path.endsWith('/buildUploads')
          ? { body: uploadsPage(became('VALID').uploads) }
          : { body: buildsPage([build('VALID')]) }
      },
      { clock }
    )
    const infos: string[] = []
    const outcome = await waitOn(client, clock, {}, { info: line => infos.push(line) })
    expect(outcome.result.build?.id).toBe('b-632')
    // Two requests of 1.5 s each: its upload, then its build.
    expect(outcome.waitedMs).toBe(3_000)
    expect(infos).toEqual([])
  })

  it('follows an upload from unseen to VALID, logging each change', async () => {
    const { wait, seen, infos, sleeps } = timeline([
      nothing,
      { builds: [], uploads: [{ id: 'u', buildNumber: '632', state: 'AWAITING_UPLOAD' }] },
      uploading,
      became('PROCESSING'),
      became('VALID')
    ])
    const outcome = await wait()
    expect(outcome.result.build?.id).toBe('b-632')
    expect(outcome.waitedMs).toBe(4 * 30_000)
    expect(sleeps).toEqual([30_000, 30_000, 30_000, 30_000])
    // The first look: the uploads, then (none) the builds. Then one request a poll: the
    // uploads with their builds until the build exists, then the builds.
    expect(letters(seen)).toBe('U B U U U B')
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
      {
        builds: [build('PROCESSING', { preRelease: train })],
        uploads: [
          {
            id: 'u',
            buildNumber: '632',
            appVersion: '3.2.0',
            state: 'COMPLETE',
            build: { id: 'b-632', state: 'PROCESSING' }
          }
        ]
      },
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
      'The upload of build 632 (2.4.0, IOS) FAILED. Apple says: ITMS-90062: This bundle is invalid.; ITMS-90189: Redundant Binary Upload.'
    )
  })

  it('ends at once when the build ends INVALID, saying where Apple tells why', async () => {
    const { wait } = timeline([uploading, became('INVALID')])
    await expect(wait()).rejects.toThrow(
      "build 632 (2.4.0, IOS) of app 1600000001 ended INVALID. Apple emails the reason to the account holder, and the build's page under Activity in App Store Connect shows it: fix it, then upload a new build."
    )
  })

  it('waits for INVALID when processing-state asks for it', async () => {
    const { wait } = timeline([uploading, became('INVALID')])
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
    // Polls at 0, 30, 60, 90 and 120 s: the last at the deadline, one request each.
    expect(letters(seen)).toBe('U B U U U U')
    expect(outcome.waitedMs).toBe(120_000)
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

  it('answers at once when nothing is in flight: the uploads in flight, then the builds', async () => {
    const { wait, seen } = timeline([{ builds: [valid631], uploads: [] }])
    const outcome = await wait({ filters: FILTERS })
    expect(outcome.result.build?.id).toBe('b-631')
    expect(outcome.waitedMs).toBe(0)
    expect(letters(seen)).toBe('U B')
    expect(seen[0]!.query.get('filter[state]')).toBe('AWAITING_UPLOAD,PROCESSING')
    expect(seen[1]!.query.get('filter[processingState]')).toBe('VALID,PROCESSING')
  })

  it('waits for a newer upload still in flight and answers with it', async () => {
    const { wait } = timeline([
      { builds: [valid631], uploads: [{ id: 'u', buildNumber: '632', state: 'PROCESSING' }] },
      { ...became('PROCESSING'), builds: [valid631, build('PROCESSING')] },
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

describe('pollPause', () => {
  it('keeps the asked interval while the quota can carry it', () => {
    const plenty = { limit: 3600, remaining: 3000 }
    expect(pollPause(30_000, 600_000, plenty)).toEqual({ ms: 30_000, byRateLimit: false })
    expect(pollPause(30_000, 600_000, undefined)).toEqual({ ms: 30_000, byRateLimit: false })
  })

  it('spreads the requests left over the time left, or the hour when that is shorter', () => {
    // 40 requests left for 10 minutes: one every 15 s (under the 30 s asked); 10 left: 1 min.
    expect(pollPause(30_000, 600_000, { limit: 3600, remaining: 40 }).ms).toBe(30_000)
    expect(pollPause(5_000, 600_000, { limit: 3600, remaining: 10 })).toEqual({
      ms: 60_000,
      byRateLimit: true
    })
    // 3 hours left, 60 requests: the hour gives them back, so 60 an hour.
    expect(pollPause(5_000, 3 * 3_600_000, { limit: 3600, remaining: 60 }).ms).toBe(60_000)
    // 1 left: at the deadline.
    expect(pollPause(5_000, 600_000, { limit: 3600, remaining: 1 }).ms).toBe(600_000)
    // None left: one request's share of the hour (60 an hour: a minute).
    expect(pollPause(5_000, 600_000, { limit: 60, remaining: 0 })).toEqual({
      ms: 60_000,
      byRateLimit: true
    })
  })

  it('never pauses past the deadline: the last poll is at it', () => {
    expect(pollPause(30_000, 10_000, undefined)).toEqual({ ms: 10_000, byRateLimit: false })
    expect(pollPause(600_000, 60_000, undefined).ms).toBe(60_000)
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

  it('with one request left this hour, spends it at the deadline, and says the rate limit sets the pace', async () => {
    const clock = testClock('2026-11-27T18:00:00Z')
    const infos: string[] = []
    const { client, sleeps, seen } = mockApi(
      path => ({
        body: path.endsWith('/buildUploads') ? uploadsPage([]) : buildsPage([]),
        headers: { 'x-rate-limit': 'user-hour-lim:3600;user-hour-rem:1;' }
      }),
      { clock }
    )
    const outcome = await waitOn(client, clock, {}, { waitMinutes: 10, info: l => infos.push(l) })
    expect(sleeps).toEqual([600_000])
    expect(letters(seen)).toBe('U B U')
    expect(infos[1]).toBe(
      'The rate limit sets the pace: 1 request left this hour (X-Rate-Limit), so the next check is in 10 min.'
    )
    expect(outcome.timedOut).toMatch(/^Waited 10 min \(wait-minutes\)/)
  })

  it('with an interval longer than the wait, polls at the start and at the deadline', async () => {
    const clock = testClock('2026-11-27T18:00:00Z')
    const { client, sleeps, seen } = mockApi(
      path => ({ body: path.endsWith('/buildUploads') ? uploadsPage([]) : buildsPage([]) }),
      { clock }
    )
    const outcome = await waitOn(client, clock, {}, { waitMinutes: 1, intervalSeconds: 600 })
    expect(sleeps).toEqual([60_000])
    expect(letters(seen)).toBe('U B U')
    expect(outcome.waitedMs).toBe(60_000)
  })

  it('answers with the whole result of the poll that found the build', async () => {
    const { wait } = timeline([uploading, became('VALID')])
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
      {
        builds: [build('VALID', { preRelease: MAC_632, id: 'mac' })],
        uploads: [
          {
            id: 'u',
            buildNumber: '632',
            state: 'COMPLETE',
            build: { id: 'ios', state: 'PROCESSING' }
          }
        ]
      },
      {
        builds: [build('VALID', { preRelease: MAC_632, id: 'mac' }), build('VALID', { id: 'ios' })],
        uploads: []
      }
    ])
    const outcome = await wait({ filters: { ...ANY_PLATFORM, buildNumber: '632' } })
    expect(outcome.result.build?.id).toBe('ios')
    expect(infos[0]).toMatch(/^Waiting up to 10 min for build 632 of app 1600000001 to match /)
    expect(infos[1]).toBe('build 632 (2.4.0, IOS): not visible yet -> upload PROCESSING, 30 s')
  })

  it('ends at once when the build has expired, unless expired builds are asked for', async () => {
    const expired = { ...became('VALID'), builds: [build('VALID', { expired: true })] }
    await expect(timeline([uploading, expired]).wait()).rejects.toThrow(
      /^build 632 \(2\.4\.0, IOS\) of app 1600000001 has expired in TestFlight: upload a new build, or set include-expired: true to take it anyway\.$/
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
            state: 'COMPLETE',
            errors: [{}, { code: 'ITMS-90062' }],
            build: { id: 'b-632', state: 'INVALID' }
          }
        ]
      }
    ])
    await expect(wait()).rejects.toThrow(
      /^build 632 \(2\.4\.0, IOS\) of app 1600000001 ended INVALID\. Apple says: ITMS-90062 Apple emails/
    )
    expect(seen[0]!.query.get('filter[cfBundleVersion]')).toBe('632')
    expect(seen[0]!.query.get('filter[platform]')).toBe('IOS')
    expect(letters(seen)).toBe('U B')
  })

  it('gives no reasons when no upload of the build is known', async () => {
    const { wait } = timeline([{ builds: [build('INVALID')], uploads: [] }])
    await expect(wait()).rejects.toThrow(/ended INVALID\. Apple emails the reason/)
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
      const { wait, infos } = timeline([{ builds: [], uploads }, became('VALID')])
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
      became('VALID')
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
      /^App Store Connect answered 403 while looking for the upload of build 632 of app 1600000001: /
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
      became('VALID', { id: 'first', version: '1' })
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
      {
        ...became('VALID', { id: 'b-633', version: '633' }),
        builds: [valid631, build('VALID', { id: 'b-633', version: '633' })]
      }
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
    expect(seen.map(request => request.path)).toEqual(['/v1/apps/1/buildUploads', '/v1/builds'])
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

describe('the upload waited for, and the trouble on the way', () => {
  const OLD_TRAIN = { id: 'prv-old', version: '1.4', platform: 'IOS' as const }

  it('is the newest upload of the number: an older version’s build of it is left alone', async () => {
    const old = build('VALID', {
      id: 'old',
      uploaded: '2026-10-01T10:00:00-07:00',
      preRelease: OLD_TRAIN
    })
    const oldUpload: UploadSpec = {
      id: 'u-old',
      buildNumber: '632',
      appVersion: '1.4',
      state: 'COMPLETE',
      created: '2026-10-01T09:59:00-07:00',
      uploaded: '2026-10-01T10:00:00-07:00',
      build: { id: 'old', state: 'VALID' }
    }
    const { wait, seen } = timeline([
      {
        builds: [old],
        uploads: [
          oldUpload,
          { id: 'u', buildNumber: '632', appVersion: '2.5', state: 'PROCESSING' }
        ]
      },
      {
        builds: [
          old,
          build('PROCESSING', { preRelease: { id: 'prv-25', version: '2.5', platform: 'IOS' } })
        ],
        uploads: [
          oldUpload,
          {
            id: 'u',
            buildNumber: '632',
            appVersion: '2.5',
            state: 'COMPLETE',
            build: { id: 'b-632', state: 'PROCESSING' }
          }
        ]
      },
      {
        builds: [
          old,
          build('VALID', { preRelease: { id: 'prv-25', version: '2.5', platform: 'IOS' } })
        ],
        uploads: []
      }
    ])
    const outcome = await wait({ filters: { ...FILTERS, buildNumber: '632' } })
    expect(outcome.result.build?.id).toBe('b-632')
    expect(letters(seen)).toBe('U U B')
    // From the first poll on, the version found is asked for.
    expect(seen[1]!.query.get('filter[cfBundleShortVersionString]')).toBe('2.5,2.5.0')
    expect(seen[2]!.query.get('filter[preReleaseVersion.version]')).toBe('2.5,2.5.0')
  })

  it('is not guessed when two uploads of the number are equally new', async () => {
    const at = '2026-11-27T10:01:00-08:00'
    const { wait } = timeline([
      {
        builds: [],
        uploads: [
          { id: 'a', buildNumber: '632', appVersion: '1.4', state: 'PROCESSING', uploaded: at },
          { id: 'b', buildNumber: '632', appVersion: '2.5', state: 'PROCESSING', uploaded: at }
        ]
      }
    ])
    await expect(wait()).rejects.toThrow(
      'Two uploads of app 1600000001 carry build number 632 and neither is newer: ' +
        `1.4 (IOS, PROCESSING, uploaded ${at}) and 2.5 (IOS, PROCESSING, uploaded ${at}). Set app-version to choose one.`
    )
  })

  it('ranks an upload without dates as the oldest', async () => {
    const undated = {
      data: [
        {
          type: 'buildUploads',
          id: 'undated',
          attributes: {
            cfBundleVersion: '632',
            cfBundleShortVersionString: '9.9',
            platform: 'IOS',
            state: { state: 'FAILED' }
          }
        },
        ...(
          uploadsPage([{ id: 'u', buildNumber: '632', state: 'PROCESSING' }]) as { data: object[] }
        ).data
      ]
    }
    const clock = testClock('2026-11-27T18:00:00Z')
    const infos: string[] = []
    const { client } = mockApi(
      path => (path.endsWith('/buildUploads') ? { body: undated } : { body: buildsPage([]) }),
      { clock }
    )
    const outcome = await waitOn(client, clock, {}, { info: line => infos.push(line) })
    expect(infos[0]).toMatch(/for build 632 \(2\.4\.0, IOS\) .*; it is upload PROCESSING\./)
    expect(outcome.timedOut).toMatch(/last state was upload PROCESSING/)
  })

  it('with build-number, ends at once on a dead upload: Apple never received the binary', async () => {
    const { wait, seen } = timeline([
      {
        builds: [],
        uploads: [
          {
            id: 'u',
            buildNumber: '632',
            state: 'AWAITING_UPLOAD',
            created: '2026-11-27T09:00:00-08:00'
          }
        ]
      }
    ])
    await expect(wait()).rejects.toThrow(
      'Apple never received the binary of build 632 (2.4.0, IOS) of app 1600000001: its upload record, created 2026-11-27T09:00:00-08:00, ' +
        'is still AWAITING_UPLOAD after 1 h, as a refused upload stays for ever. The log of the upload step (altool, Transporter or Xcode) ' +
        'says why Apple refused it, for example 90382 (the daily upload limit); so do the email to the account holder and Activity in App Store Connect. Upload the build again.'
    )
    expect(letters(seen)).toBe('U')
  })

  it('waits for an upload AWAITING_UPLOAD within the grace, and no longer', async () => {
    // Created at 10:00 Pacific, 18:00 UTC on the test clock: dead after 15 minutes.
    const awaiting: World = {
      builds: [],
      uploads: [{ id: 'u', buildNumber: '632', state: 'AWAITING_UPLOAD' }]
    }
    const { wait, sleeps } = timeline([awaiting])
    await expect(wait({}, 30)).rejects.toThrow(/still AWAITING_UPLOAD after 15 min 30 s/)
    expect(sleeps).toHaveLength(31)
  })

  it('without build-number, answers without a dead upload, newer than the answer though it is', async () => {
    const valid631 = build('VALID', {
      id: 'b-631',
      version: '631',
      uploaded: '2026-11-27T08:00:00-08:00'
    })
    const { wait, seen } = timeline([
      {
        builds: [valid631],
        uploads: [
          {
            id: 'u',
            buildNumber: '632',
            state: 'AWAITING_UPLOAD',
            created: '2026-11-27T09:00:00-08:00'
          }
        ]
      }
    ])
    const outcome = await wait({ filters: FILTERS })
    expect(outcome.result.build?.id).toBe('b-631')
    expect(letters(seen)).toBe('U B')
  })

  it('goes on after a check whose retries ran out, while time is left', async () => {
    const clock = testClock('2026-11-27T18:00:00Z')
    const infos: string[] = []
    let uploadsAsked = 0
    const { client } = mockApi(
      path => {
        if (!path.endsWith('/buildUploads')) return { body: buildsPage([build('VALID')]) }
        uploadsAsked++
        if (uploadsAsked === 2)
          return { status: 503, body: appleError(503, 'UNAVAILABLE', 'Later.') }
        return {
          body: uploadsPage([
            {
              id: 'u',
              buildNumber: '632',
              state: uploadsAsked < 3 ? 'PROCESSING' : 'COMPLETE',
              build: uploadsAsked < 3 ? undefined : { id: 'b-632', state: 'VALID' }
            }
          ])
        }
      },
      { clock, maxAttempts: 1 }
    )
    const outcome = await waitOn(client, clock, {}, { info: line => infos.push(line) })
    expect(outcome.result.build?.id).toBe('b-632')
    expect(infos).toContainEqual(
      expect.stringMatching(
        /^build 632 \(2\.4\.0, IOS\): this check failed \(App Store Connect answered 503 .*\); trying again at the next\.$/
      )
    )
  })

  it('honours a 429’s Retry-After of 120 s inside a 10-minute wait', async () => {
    const clock = testClock('2026-11-27T18:00:00Z')
    let uploadsAsked = 0
    const { client, sleeps } = mockApi(
      path => {
        if (!path.endsWith('/buildUploads')) return { body: buildsPage([build('VALID')]) }
        uploadsAsked++
        if (uploadsAsked === 2) {
          return {
            status: 429,
            body: appleError(429, 'RATE_LIMIT_EXCEEDED', 'Slow down.'),
            headers: { 'retry-after': '120' }
          }
        }
        return {
          body: uploadsPage([
            {
              id: 'u',
              buildNumber: '632',
              state: uploadsAsked < 3 ? 'PROCESSING' : 'COMPLETE',
              build: uploadsAsked < 3 ? undefined : { id: 'b-632', state: 'VALID' }
            }
          ])
        }
      },
      {
        clock,
        deadline: new Deadline(20 * 60_000, 'total-timeout-minutes plus wait-minutes (20 min)')
      }
    )
    const outcome = await waitOn(client, clock, {}, { waitMinutes: 10 })
    expect(outcome.result.build?.id).toBe('b-632')
    expect(sleeps).toEqual([30_000, 120_000])
    expect(outcome.waitedMs).toBe(150_000)
  })
})
