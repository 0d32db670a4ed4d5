// Waiting for the build that was just uploaded, through the bundle as the runner runs it,
// against a sandbox whose uploads happen while the action waits (sandbox/timeline.ts). The
// widget app is iOS only and has nothing in flight, so every wait here is one the test made.
import { afterEach, describe, expect, it } from '@jest/globals'
import type { ActionRun, RunActionOptions } from '../../local-runner/run-action.js'
import {
  APPLE_REFUSALS,
  deadUpload,
  type SandboxApp,
  type UploadSchedule
} from '../../sandbox/index.js'
import { fastClock } from '../support/fast-clock.js'
import { startE2e, type E2eContext } from './harness.js'

let e2e: E2eContext | undefined
afterEach(async () => {
  await e2e?.sandbox.close()
  e2e = undefined
})

const WIDGET = 'com.example.weather.widget'

async function sandboxWith(
  options: Parameters<typeof startE2e>[0] = {}
): Promise<{ e2e: E2eContext; widget: SandboxApp }> {
  e2e = await startE2e(options)
  const widget = e2e.sandbox.catalogue.apps.find(app => app.bundleId === WIDGET)!
  return { e2e, widget }
}

/** An upload of the widget's current train that ends as `steps` say, seconds from the start. */
function upload(buildNumber: string, steps: UploadSchedule['steps']): UploadSchedule {
  return { bundleId: WIDGET, version: '2.4.0', buildNumber, steps }
}

const toValid = (buildNumber: string): UploadSchedule =>
  upload(buildNumber, [
    { at: 0.5 },
    { at: 1.5, upload: 'PROCESSING' },
    { at: 2.5, build: 'PROCESSING' },
    { at: 3.5, build: 'VALID' }
  ])

/** Runs the action with a one-second poll, the timeline started just before. */
/**
 * Runs the action with a one-second poll. The timeline starts once the action says it waits
 * when it waits for a build number (so that each step falls at its second of the wait, however
 * slowly the action started), and before it starts otherwise (so that the first look sees the
 * upload in flight).
 */
async function waitWith(
  context: E2eContext,
  inputs: Record<string, string>,
  options: RunActionOptions = {}
): Promise<ActionRun> {
  context.sandbox.resetRequests()
  const onStdout =
    inputs['build-number'] === undefined
      ? (context.sandbox.startTimeline(), undefined)
      : (text: string): void => {
          if (text.includes('Waiting up to')) context.sandbox.startTimeline()
        }
  return context.run(
    { 'wait-interval-seconds': '1', ...inputs },
    { timeoutMs: 90_000, onStdout, ...options }
  )
}

const paths = (context: E2eContext): string[] =>
  context.sandbox.requests.map(request => request.path.replace(/\/v1\/apps\/\d+\//, 'apps/'))

/** The requests as letters: U an uploads request, B a builds request. */
const sequence = (context: E2eContext): string =>
  paths(context)
    .map(path => (path === 'apps/buildUploads' ? 'U' : path === '/v1/builds' ? 'B' : path))
    .join(' ')

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** Resolves once `count` timeline steps have been applied. */
async function stepsApplied(context: E2eContext, count: number): Promise<void> {
  while (context.sandbox.timeline.events.length < count) await sleep(10)
}

describe('waiting for a build number', () => {
  it('follows an upload to VALID and answers with its build', async () => {
    const { e2e, widget } = await sandboxWith()
    const handle = e2e.sandbox.scheduleUpload(toValid('910'))
    const result = await waitWith(e2e, {
      'app-id': widget.id,
      'build-number': '910',
      'wait-minutes': '2'
    })
    expect(result.errors).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      found: 'true',
      'build-id': handle.buildId,
      version: '910',
      'app-version': '2.4.0',
      'processing-state': 'VALID'
    })
    const waited = Number(result.outputs['waited-seconds'])
    expect(waited).toBeGreaterThanOrEqual(3)
    expect(waited).toBeLessThanOrEqual(6)
    expect(result.stdout).toMatch(
      /Waiting up to 2 min for build 910 \(IOS\) of app \d+ to match .*; it is not visible yet\. Checking every 1 s\./
    )
    expect(result.stdout).toMatch(/build 910 \(2\.4\.0, IOS\) is ready after \d+ s\./)
    expect(result.summary).toMatch(/It became ready after a wait of \d+ s\./)
    // The first look: the uploads with their builds, and (no upload yet) the builds. Then one
    // request a poll, a second apart: the uploads until the build exists (AWAITING_UPLOAD at
    // 0.5 s, PROCESSING at 1.5 s, a PROCESSING build at 2.5 s), then the builds (VALID at 3.5 s):
    // 'U B U U U B' on time, fewer uploads polls when a loaded machine makes polls late (the
    // exact sequence is asserted in process, __tests__/wait.test.ts).
    expect(sequence(e2e)).toMatch(/^U B (U ){1,3}B( B)?$/)
    const [first] = e2e.sandbox.requests
    const poll = e2e.sandbox.requests.at(-2)
    expect(first!.query).toMatchObject({
      'filter[cfBundleVersion]': ['910'],
      'filter[platform]': ['IOS'],
      include: ['build']
    })
    expect(poll!.query['include']).toEqual(['build'])
    // Once the upload is found, its marketing version is part of what is looked for.
    expect(poll!.query['filter[cfBundleShortVersionString]']).toEqual(['2.4.0,2.4'])
    expect(e2e.sandbox.requests.at(-1)!.query['filter[preReleaseVersion.version]']).toEqual([
      '2.4.0,2.4'
    ])
  })

  it('ends at once when the upload FAILED, naming the build, the state and Apple’s reasons', async () => {
    const { e2e, widget } = await sandboxWith()
    e2e.sandbox.scheduleUpload(
      upload('911', [
        { at: 0.5 },
        { at: 1.5, upload: 'PROCESSING' },
        {
          at: 2,
          upload: 'FAILED',
          errors: [APPLE_REFUSALS.missingPurposeString, APPLE_REFUSALS.uploadLimit]
        }
      ])
    )
    const result = await waitWith(e2e, {
      'app-id': widget.id,
      'build-number': '911',
      'wait-minutes': '2'
    })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      'The upload of build 911 (2.4.0, IOS) FAILED. Apple says: 90683: Missing purpose string in Info.plist.; ' +
        `90382: ${APPLE_REFUSALS.uploadLimit.description}`
    ])
    expect(result.outputs.found).toBe('false')
  })

  it('ends at once when processing ends INVALID', async () => {
    const { e2e, widget } = await sandboxWith()
    e2e.sandbox.scheduleUpload(
      upload('912', [
        { at: 0.5, upload: 'PROCESSING' },
        { at: 1, build: 'PROCESSING' },
        { at: 2, build: 'INVALID' }
      ])
    )
    const result = await waitWith(e2e, {
      'app-id': widget.id,
      'build-number': '912',
      'wait-minutes': '2'
    })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^build 912 \(2\.4\.0, IOS\) of app \d+ ended INVALID\. Apple emails the reason to the account holder, and the build's page under Activity in App Store Connect shows it: fix it, then upload a new build\.$/
      )
    ])
    expect(result.outputs.found).toBe('false')
  })

  it('answers at once, in two requests, for a build that already matches', async () => {
    const { e2e, widget } = await sandboxWith()
    const latest = e2e.sandbox.catalogue.builds
      .filter(build => build.appId === widget.id && build.processingState === 'VALID')
      .filter(build => !build.expired && Date.parse(build.expirationDate) > Date.now())
      .sort((a, b) => Date.parse(b.uploadedDate) - Date.parse(a.uploadedDate))[0]!
    const result = await waitWith(e2e, {
      'app-id': widget.id,
      'build-number': latest.version,
      'app-version': '',
      'wait-minutes': '5'
    })
    expect(result.outputs.found).toBe('true')
    // At once: the time of the first look only (a loaded machine may make it a second).
    expect(Number(result.outputs['waited-seconds'])).toBeLessThanOrEqual(1)
    // Its upload (COMPLETE, its build VALID), then the build itself.
    expect(sequence(e2e)).toBe('U B')
    expect(result.stdout).not.toMatch(/Waiting up to/)
  })

  it('runs out of time for a build never seen, its last poll at the deadline', async () => {
    // One minute of the action's clock passes in ten seconds: polls at 0, 30 and 60 s.
    const clock = fastClock(6, { sleeps: true })
    const { e2e, widget } = await sandboxWith({ now: clock.now })
    const result = await waitWith(
      e2e,
      {
        'app-id': widget.id,
        'build-number': '4040',
        'wait-minutes': '1',
        'wait-interval-seconds': '30'
      },
      { env: clock.env }
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^Waited 1 min \(wait-minutes\) for build 4040 \(IOS\) of app \d+; its last state was not visible yet, for 1 min\. Raise wait-minutes/
      )
    ])
    expect(result.outputs).toMatchObject({ found: 'false', 'waited-seconds': '60' })
    expect(sequence(e2e)).toBe('U B U U')
  })

  it('with an interval longer than the wait, polls at the start and at the deadline', async () => {
    const clock = fastClock(30, { sleeps: true })
    const { e2e, widget } = await sandboxWith({ now: clock.now })
    const result = await waitWith(
      e2e,
      {
        'app-id': widget.id,
        'build-number': '4042',
        'wait-minutes': '1',
        'wait-interval-seconds': '600'
      },
      { env: clock.env }
    )
    expect(result.outputs).toMatchObject({ found: 'false', 'waited-seconds': '60' })
    expect(sequence(e2e)).toBe('U B U')
    expect(result.stdout).toMatch(/Checking every 10 min\./)
  })

  it('rides out 429s and 503s during the wait', async () => {
    const { e2e, widget } = await sandboxWith()
    const handle = e2e.sandbox.scheduleUpload(toValid('913'))
    const faults = setTimeout(() => {
      e2e.sandbox.injectFault({ fault: { kind: 'status', status: 429, retryAfter: 1 } })
      e2e.sandbox.injectFault({ fault: { kind: 'status', status: 503 }, path: '/v1/builds' })
    }, 1200)
    const result = await waitWith(e2e, {
      'app-id': widget.id,
      'build-number': '913',
      'wait-minutes': '2'
    })
    clearTimeout(faults)
    expect(result.errors).toEqual([])
    expect(result.outputs['build-id']).toBe(handle.buildId)
    const faulted = e2e.sandbox.requests.filter(request => request.fault).map(r => r.fault)
    expect(faulted.sort()).toEqual(['status:429', 'status:503'])
    expect(result.stdout).toMatch(/App Store Connect answered 429 while .*; retrying in/)
    expect(result.stdout).toMatch(/App Store Connect answered 503 while .*; retrying in/)
  })

  it('signs new tokens as the wait goes on, and never meets a 401', async () => {
    // 480 times real time: a 15-minute token is renewed after 13 minutes, under 2 s, so the
    // 5.5 s until the build is VALID span three tokens at least.
    const clock = fastClock(480)
    // A quota large enough that polls are not spread out over the three hours of the wait.
    const { e2e, widget } = await sandboxWith({ now: clock.now, rateLimitPerHour: 100_000 })
    e2e.sandbox.scheduleUpload(
      upload('914', [
        { at: 0.5, upload: 'PROCESSING' },
        { at: 2, build: 'PROCESSING' },
        { at: 5.5, build: 'VALID' }
      ])
    )
    const result = await waitWith(
      e2e,
      { 'app-id': widget.id, 'build-number': '914', 'wait-minutes': '180' },
      { env: clock.env }
    )
    expect(result.errors).toEqual([])
    expect(result.outputs.found).toBe('true')
    const tokens = result.stdout.match(/^::add-mask::eyJ/gm) ?? []
    expect(tokens.length).toBeGreaterThanOrEqual(3)
    expect(e2e.sandbox.requests.every(request => request.status === 200)).toBe(true)
    expect(e2e.sandbox.requests.every(request => request.tokenVerified)).toBe(true)
  })

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops within two seconds on %s, outputs written as not found',
    async signal => {
      const { e2e, widget } = await sandboxWith()
      const result = await waitWith(
        e2e,
        {
          'app-id': widget.id,
          'build-number': '4041',
          'wait-minutes': '30',
          'wait-interval-seconds': '20'
        },
        { interrupt: { signal, once: /Waiting up to/ } }
      )
      expect(result.exitAfterSignalMs).toBeLessThan(2000)
      expect(result.exitCode).toBe(1)
      expect(result.errors).toEqual([
        `The job was cancelled (${signal}). It stopped before a build was found, so found is false: run the job again to search.`
      ])
      expect(result.outputs).toMatchObject({ found: 'false', 'build-id': '' })
    }
  )
})

describe('waiting without a build number', () => {
  it('waits for the newest upload still in flight and answers with it', async () => {
    const { e2e, widget } = await sandboxWith()
    const handle = e2e.sandbox.scheduleUpload(
      upload('915', [
        { at: 0, upload: 'PROCESSING' },
        { at: 1.5, build: 'PROCESSING' },
        { at: 3, build: 'VALID' }
      ])
    )
    const result = await waitWith(e2e, { 'app-id': widget.id, 'wait-minutes': '2' })
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({
      found: 'true',
      'build-id': handle.buildId,
      version: '915'
    })
    // It waited (how long depends on how soon the action started), and said so.
    expect(Number(result.outputs['waited-seconds'])).toBeGreaterThanOrEqual(1)
    expect(result.stdout).toMatch(/Waiting up to 2 min for build 915 /)
    // The first look: the uploads in flight, then the builds; then one request a poll.
    expect(sequence(e2e)).toMatch(/^U B (U )*(B )*B$/)
    expect(e2e.sandbox.requests[0]!.query['filter[state]']).toEqual(['AWAITING_UPLOAD,PROCESSING'])
  })

  it('answers at once when nothing is in flight, with one uploads request more', async () => {
    const { e2e, widget } = await sandboxWith()
    const result = await waitWith(e2e, { 'app-id': widget.id, 'wait-minutes': '2' })
    expect(result.outputs.found).toBe('true')
    // At once: the time of the first look only (a loaded machine may make it a second).
    expect(Number(result.outputs['waited-seconds'])).toBeLessThanOrEqual(1)
    expect(sequence(e2e)).toBe('U B')
  })

  it('does not wait for an upload of another platform', async () => {
    const { e2e, widget } = await sandboxWith()
    e2e.sandbox.scheduleUpload({
      ...upload('916', [
        { at: 0, upload: 'PROCESSING' },
        { at: 30, build: 'VALID' }
      ]),
      platform: 'MAC_OS'
    })
    const result = await waitWith(e2e, { 'app-id': widget.id, 'wait-minutes': '2' })
    expect(result.outputs.found).toBe('true')
    // At once: the time of the first look only (a loaded machine may make it a second).
    expect(Number(result.outputs['waited-seconds'])).toBeLessThanOrEqual(1)
    expect(result.outputs.version).not.toBe('916')
    expect(sequence(e2e)).toBe('U B')
    expect(e2e.sandbox.requests[0]!.query['filter[platform]']).toEqual(['IOS'])
  })
})

describe('the one upload waited for', () => {
  /** Version 2.5.0's upload of `buildNumber`, newer than every older one, VALID at 4.2 s. */
  const newer = (buildNumber: string): UploadSchedule => ({
    bundleId: WIDGET,
    version: '2.5.0',
    buildNumber,
    steps: [
      { at: 1.2 },
      { at: 2.2, upload: 'PROCESSING' },
      { at: 3.2, build: 'PROCESSING' },
      { at: 4.2, build: 'VALID' }
    ]
  })

  // The widget restarts its numbers per version: 2.3.0 has a VALID build 43 and an expired 42;
  // an INVALID 300 of 2.3.5 is made on the timeline.
  it.each([
    ['VALID', '43', false],
    ['expired', '42', false],
    ['INVALID', '300', true]
  ])(
    'is the newest upload of the number: an older version’s %s build of it neither ends nor fails the wait',
    async (_case, number, makeOld) => {
      const { e2e, widget } = await sandboxWith()
      if (makeOld) {
        e2e.sandbox.scheduleUpload({
          bundleId: WIDGET,
          version: '2.3.5',
          buildNumber: number,
          steps: [
            { at: 0, upload: 'PROCESSING' },
            { at: 0.05, build: 'INVALID' }
          ]
        })
      }
      const handle = e2e.sandbox.scheduleUpload(newer(number))
      e2e.sandbox.startTimeline()
      // The newer upload exists (AWAITING_UPLOAD) when the action starts.
      await stepsApplied(e2e, makeOld ? 3 : 1)
      e2e.sandbox.resetRequests()
      const result = await e2e.run(
        {
          'app-id': widget.id,
          'build-number': number,
          'wait-minutes': '2',
          'wait-interval-seconds': '1'
        },
        { timeoutMs: 90_000 }
      )
      expect(result.errors).toEqual([])
      expect(result.outputs).toMatchObject({
        found: 'true',
        'build-id': handle.buildId,
        version: number,
        'app-version': '2.5.0'
      })
      // Its upload first, whatever state it has reached by then.
      expect(sequence(e2e)).toMatch(/^U /)
    }
  )

  it('is not guessed when two uploads carry the number and neither is newer', async () => {
    const { e2e, widget } = await sandboxWith()
    for (const version of ['2.6.0', '2.7.0']) {
      e2e.sandbox.scheduleUpload({
        bundleId: WIDGET,
        version,
        buildNumber: '77',
        steps: [{ at: 0 }]
      })
    }
    e2e.sandbox.startTimeline()
    await stepsApplied(e2e, 2)
    e2e.sandbox.resetRequests()
    const result = await e2e.run({ 'app-id': widget.id, 'build-number': '77', 'wait-minutes': '2' })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^Two uploads of app \d+ carry build number 77 and neither is newer: 2\.[67]\.0 \(IOS, AWAITING_UPLOAD, created [^)]+\) and 2\.[67]\.0 \(IOS, AWAITING_UPLOAD, created [^)]+\)\. Set app-version to choose one\.$/
      )
    ])
    expect(result.errors[0]).toMatch(/2\.6\.0/)
    expect(result.errors[0]).toMatch(/2\.7\.0/)
    expect(sequence(e2e)).toBe('U')
  })
})

describe('dead uploads', () => {
  it('with build-number: one error at once, saying Apple never received the binary', async () => {
    const { e2e, widget } = await sandboxWith()
    e2e.sandbox.scheduleUpload(
      deadUpload({ bundleId: WIDGET, version: '2.4.0', buildNumber: '3', hoursAgo: 3 })
    )
    e2e.sandbox.startTimeline()
    await stepsApplied(e2e, 1)
    e2e.sandbox.resetRequests()
    const created = e2e.sandbox.catalogue.buildUploads.at(-1)!.createdDate
    const result = await e2e.run({ 'app-id': widget.id, 'build-number': '3', 'wait-minutes': '30' })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      `Apple never received the binary of build 3 (2.4.0, IOS) of app ${widget.id}: its upload record, created ${created}, ` +
        'is still AWAITING_UPLOAD after 3 h, as a refused upload stays for ever. The log of the upload step (altool, Transporter or Xcode) ' +
        'says why Apple refused it, for example 90382 (the daily upload limit); so do the email to the account holder and Activity in App Store Connect. Upload the build again.'
    ])
    expect(result.outputs).toMatchObject({ found: 'false', 'waited-seconds': '0' })
    expect(sequence(e2e)).toBe('U')
  })

  it('without build-number: not waited for, the answer of today at once', async () => {
    const { e2e, widget } = await sandboxWith()
    // Newer than 2.3.0's newest build (hours old), but created 3 h ago and never received.
    e2e.sandbox.scheduleUpload(
      deadUpload({ bundleId: WIDGET, version: '2.3.0', buildNumber: '63', hoursAgo: 3 })
    )
    e2e.sandbox.startTimeline()
    await stepsApplied(e2e, 1)
    e2e.sandbox.resetRequests()
    const result = await e2e.run({
      'app-id': widget.id,
      'app-version': '2.3.0',
      'wait-minutes': '30'
    })
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({ found: 'true', version: '62' })
    expect(Number(result.outputs['waited-seconds'])).toBeLessThanOrEqual(1)
    expect(sequence(e2e)).toBe('U B')
    expect(result.stdout).not.toMatch(/Waiting up to/)
  })

  it('without build-number: stops waiting once the upload is past the grace, and answers without it', async () => {
    // 30 times real time: the record, 12 min old at the start, is dead 3 minutes later.
    const clock = fastClock(30, { sleeps: true })
    const { e2e, widget } = await sandboxWith({ now: clock.now })
    e2e.sandbox.scheduleUpload({
      bundleId: WIDGET,
      version: '2.3.0',
      buildNumber: '64',
      createdSecondsAgo: 12 * 60,
      steps: [{ at: 0 }]
    })
    e2e.sandbox.startTimeline()
    await stepsApplied(e2e, 1)
    e2e.sandbox.resetRequests()
    const result = await e2e.run(
      {
        'app-id': widget.id,
        'app-version': '2.3.0',
        'wait-minutes': '30',
        'wait-interval-seconds': '30'
      },
      { env: clock.env, timeoutMs: 90_000 }
    )
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({ found: 'true', version: '62' })
    expect(result.stdout).toMatch(/Waiting up to 30 min for build 64 \(2\.3\.0, IOS\)/)
    expect(result.stdout).toMatch(
      /Apple never received the binary of build 64 \(2\.3\.0, IOS\) of app \d+: its upload record, created .*, is still AWAITING_UPLOAD after 15 min( \d+ s)?, as a refused upload stays for ever\. Answering without it\./
    )
    // Dead 15 min after its record was created, 12 min before the timeline started.
    const waited = Number(result.outputs['waited-seconds'])
    expect(waited).toBeGreaterThan(0)
    expect(waited).toBeLessThan(10 * 60)
    expect(sequence(e2e)).toMatch(/^U B (U )+B$/)
  })
})

describe('a race between the uploads and the builds', () => {
  it('answers with the upload that turned VALID while its uploads answer was slow', async () => {
    const { e2e, widget } = await sandboxWith()
    const handle = e2e.sandbox.scheduleUpload(
      upload('631', [
        { at: 0, upload: 'PROCESSING' },
        { at: 1.7, build: 'VALID' }
      ])
    )
    e2e.sandbox.injectFault({
      fault: { kind: 'slow', seconds: 2.5 },
      path: `/v1/apps/${widget.id}/buildUploads`
    })
    e2e.sandbox.startTimeline()
    e2e.sandbox.resetRequests()
    const result = await e2e.run(
      { 'app-id': widget.id, 'wait-minutes': '2' },
      { timeoutMs: 90_000 }
    )
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({
      found: 'true',
      'build-id': handle.buildId,
      version: '631'
    })
    expect(Number(result.outputs['waited-seconds'])).toBeGreaterThan(0)
    expect(sequence(e2e)).toBe('U B')
    expect(e2e.sandbox.requests[0]!.fault).toBe('slow')
  })
})

describe('transient trouble during a wait', () => {
  /** Visible as a PROCESSING build from the start, VALID at `validAt` real seconds. */
  const processing = (buildNumber: string, validAt: number): UploadSchedule =>
    upload(buildNumber, [
      { at: 0, upload: 'PROCESSING' },
      { at: 0.05, build: 'PROCESSING' },
      { at: validAt, build: 'VALID' }
    ])

  it('with 1 request left this hour, spends it at the deadline instead of giving up', async () => {
    // 30 times real time: the 10-minute wait lasts 20 s, the build is VALID 10 s in.
    const clock = fastClock(30, { sleeps: true })
    // The first look takes two requests, which leave 1.
    const { e2e, widget } = await sandboxWith({ now: clock.now, rateLimitUsed: { count: 3597 } })
    const handle = e2e.sandbox.scheduleUpload(processing('917', 10))
    e2e.sandbox.startTimeline()
    await stepsApplied(e2e, 2)
    e2e.sandbox.resetRequests()
    const result = await e2e.run(
      { 'app-id': widget.id, 'wait-minutes': '10' },
      { env: clock.env, timeoutMs: 90_000 }
    )
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({ found: 'true', 'build-id': handle.buildId })
    expect(result.stdout).toMatch(
      // The time left once the first look is done: the whole wait, less that look.
      /The rate limit sets the pace: 1 request left this hour \(X-Rate-Limit\), so the next check is in (\d min( \d+ s)?|10 min)\./
    )
    expect(result.outputs['waited-seconds']).toBe('600')
    expect(sequence(e2e)).toBe('U B B')
    expect(e2e.sandbox.requests.map(request => request.status)).toEqual([200, 200, 200])
  }, 60_000)

  it('with 0 left, paces itself as the hour gives requests back, not sleeping the whole wait', async () => {
    // 10 times real time: a set-up slower than 6 s would already have given a request back.
    const clock = fastClock(10, { sleeps: true })
    // 60 an hour, 58 spent at a steady pace in the hour before: one comes back every 62 s.
    const { e2e, widget } = await sandboxWith({
      now: clock.now,
      rateLimitPerHour: 60,
      rateLimitUsed: { count: 58, spreadOverHour: true }
    })
    const handle = e2e.sandbox.scheduleUpload(processing('918', 10))
    e2e.sandbox.startTimeline()
    await stepsApplied(e2e, 2)
    e2e.sandbox.resetRequests()
    const result = await e2e.run(
      { 'app-id': widget.id, 'wait-minutes': '10' },
      { env: clock.env, timeoutMs: 90_000 }
    )
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({ found: 'true', 'build-id': handle.buildId })
    expect(result.stdout).toMatch(/The rate limit sets the pace: 0 requests left this hour/)
    expect(Number(result.outputs['waited-seconds'])).toBeLessThan(400)
  }, 90_000)

  it('rides out two 503 outages minutes apart: the retry budget is per outage', async () => {
    // 60 times real time: a real second is a minute of the action's clock.
    const clock = fastClock(60, { sleeps: true })
    const { e2e, widget } = await sandboxWith({ now: clock.now, rateLimitPerHour: 100_000 })
    const handle = e2e.sandbox.scheduleUpload(processing('919', 16))
    e2e.sandbox.startTimeline()
    const timelineStart = performance.now()
    await stepsApplied(e2e, 2)
    // Outages of 90 s, 7 minutes apart, from the first minute of the wait on.
    const outagesOnceWaiting = (text: string): void => {
      if (!text.includes('Waiting up to')) return
      const waitingAt = (performance.now() - timelineStart) / 1000
      for (const from of [waitingAt + 1, waitingAt + 8]) {
        e2e.sandbox.injectFault({
          fault: { kind: 'status', status: 503 },
          during: { from, until: from + 1.5 }
        })
      }
    }
    const result = await e2e.run(
      { 'app-id': widget.id, 'wait-minutes': '30' },
      { env: clock.env, timeoutMs: 90_000, onStdout: outagesOnceWaiting }
    )
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({ found: 'true', 'build-id': handle.buildId })
    const outages = e2e.sandbox.requests.filter(request => request.status === 503)
    expect(outages.length).toBeGreaterThanOrEqual(2)
    expect(result.stdout).toMatch(/App Store Connect answered 503 while .*; retrying in/)
  }, 60_000)

  it('honours a 429 asking for 120 s inside a 10-minute wait', async () => {
    // 60 times real time, sleeps included: the 120 s asked for take two real seconds.
    const clock = fastClock(60, { sleeps: true })
    const { e2e, widget } = await sandboxWith({ now: clock.now })
    const handle = e2e.sandbox.scheduleUpload(processing('920', 4))
    e2e.sandbox.injectFault({
      fault: { kind: 'status', status: 429, retryAfter: 120 },
      path: '/v1/builds'
    })
    e2e.sandbox.startTimeline()
    await stepsApplied(e2e, 2)
    const result = await e2e.run(
      { 'app-id': widget.id, 'wait-minutes': '10' },
      { env: clock.env, timeoutMs: 90_000 }
    )
    expect(result.errors).toEqual([])
    expect(result.outputs).toMatchObject({ found: 'true', 'build-id': handle.buildId })
    expect(result.stdout).toMatch(
      /App Store Connect answered 429 while listing the builds of app \d+; retrying in 120\.0 s \(attempt 2 of 4\)\./
    )
    expect(Number(result.outputs['waited-seconds'])).toBeLessThan(600)
  })

  it('a long outage ends the run with a message naming total-timeout-minutes', async () => {
    const clock = fastClock(10, { sleeps: true })
    const { e2e, widget } = await sandboxWith({ now: clock.now })
    e2e.sandbox.injectFault({
      fault: { kind: 'status', status: 503 },
      path: '/v1/builds',
      times: 20
    })
    const result = await e2e.run(
      { 'app-id': widget.id, 'max-attempts': '10', 'total-timeout-minutes': '1' },
      { env: clock.env, timeoutMs: 90_000 }
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        // 3/10 of one minute; backoff waits of at least 0.5, 1, 2, 4, 8 and 16 s pass it by the 7th try.
        /answered 503 .* Gave up: retrying this outage would pass the 18 s limit, 3\/10 of total-timeout-minutes: raise total-timeout-minutes, or run the job again later\.$/
      )
    ])
  })
})
