// Waiting for the build that was just uploaded, through the bundle as the runner runs it,
// against a sandbox whose uploads happen while the action waits (sandbox/timeline.ts). The
// widget app is iOS only and has nothing in flight, so every wait here is one the test made.
import { afterEach, describe, expect, it } from '@jest/globals'
import type { ActionRun, RunActionOptions } from '../../local-runner/run-action.js'
import type { SandboxApp, UploadSchedule } from '../../sandbox/index.js'
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
    expect(result.stdout).toMatch(/build 910 \(2\.4\.0, IOS\): .* -> build PROCESSING, \d+ s/)
    expect(result.stdout).toMatch(/build 910 \(2\.4\.0, IOS\) is ready after \d+ s\./)
    expect(result.summary).toMatch(/It became ready after a wait of \d+ s\./)
    // A poll a second at most (a busy machine makes them rarer, never more frequent), each one
    // request for the build and, before it is visible, one for its upload.
    const builds = paths(e2e).filter(path => path === '/v1/builds').length
    expect(builds).toBeGreaterThanOrEqual(3)
    expect(builds).toBeLessThanOrEqual(waited + 2)
    expect(e2e.sandbox.requests.length).toBeLessThanOrEqual(2 * builds)
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
          errors: [
            { code: 'ITMS-90062', description: 'The value for key CFBundleVersion is invalid.' },
            { code: 'ITMS-90034', description: 'Missing or invalid signature.' }
          ]
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
      'The upload of build 911 (2.4.0, IOS) FAILED. Apple says: The value for key CFBundleVersion is invalid.; Missing or invalid signature.'
    ])
    expect(result.outputs.found).toBe('false')
    expect(Number(result.outputs['waited-seconds'])).toBe(0)
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
      expect.stringMatching(/^build 912 \(2\.4\.0, IOS\) of app \d+ ended INVALID\./)
    ])
    expect(result.outputs.found).toBe('false')
  })

  it('answers at once, in one request, for a build that already matches', async () => {
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
    expect(result.outputs).toMatchObject({ found: 'true', 'waited-seconds': '0' })
    expect(paths(e2e)).toEqual(['/v1/builds'])
    expect(result.stdout).not.toMatch(/Waiting up to/)
  })

  it('runs out of time for a build never seen, saying what it waited for and how long', async () => {
    // One minute of the action's clock passes in two seconds.
    const clock = fastClock(30)
    const { e2e, widget } = await sandboxWith({ now: clock.now })
    const result = await waitWith(
      e2e,
      { 'app-id': widget.id, 'build-number': '4040', 'wait-minutes': '1' },
      { env: clock.env }
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^Waited 1 min( \d+ s)? \(wait-minutes\) for build 4040 \(IOS\) of app \d+; its last state was not visible yet, for 1 min( \d+ s)?\. Raise wait-minutes/
      )
    ])
    expect(result.outputs.found).toBe('false')
    // A poll's real second is half a minute of this clock: the last poll may pass the minute.
    expect(Number(result.outputs['waited-seconds'])).toBeGreaterThanOrEqual(60)
    expect(Number(result.outputs['waited-seconds'])).toBeLessThanOrEqual(100)
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
    // The first look: the builds, then one uploads request to see what is in flight.
    expect(paths(e2e).slice(0, 2)).toEqual(['/v1/builds', 'apps/buildUploads'])
  })

  it('answers at once when nothing is in flight, with one uploads request more', async () => {
    const { e2e, widget } = await sandboxWith()
    const result = await waitWith(e2e, { 'app-id': widget.id, 'wait-minutes': '2' })
    expect(result.outputs).toMatchObject({ found: 'true', 'waited-seconds': '0' })
    expect(paths(e2e)).toEqual(['/v1/builds', 'apps/buildUploads'])
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
    expect(result.outputs).toMatchObject({ found: 'true', 'waited-seconds': '0' })
    expect(result.outputs.version).not.toBe('916')
    expect(paths(e2e)).toEqual(['/v1/builds', 'apps/buildUploads'])
    expect(e2e.sandbox.requests[1]!.query['filter[platform]']).toEqual(['IOS'])
  })
})
