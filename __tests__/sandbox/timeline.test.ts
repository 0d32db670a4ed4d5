// The timeline: uploads that happen while the sandbox runs, on short real-time schedules.
import { describe, expect, it } from '@jest/globals'
import {
  generateCatalogue,
  MAIN_BUNDLE_ID,
  parseUploadSchedules,
  UPLOAD_ERRORS,
  type Catalogue,
  type CollectionDocument,
  type InstanceDocument,
  type Resource,
  type Sandbox
} from '../../sandbox/index.js'
import { getOn, makeKey, NOW, token, withSandbox } from './helpers.js'

const key = makeKey('TIMELINE01', 'issuer-timeline')
const bearer = token(key)
/** Each test gets its own catalogue: the timeline changes it. */
const fresh = () => generateCatalogue({ now: NOW, buildsPerApp: 40 })
const MAIN_ID = '1600000001'

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

async function eventsApplied(sandbox: Sandbox, count: number): Promise<void> {
  const deadline = Date.now() + 5000
  while (sandbox.timeline.events.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${sandbox.timeline.events.length} events`)
    await sleep(5)
  }
}

/** Runs a test on a sandbox of its own, over `catalogue`, with a client for it. */
function onOwnSandbox(
  catalogue: Catalogue,
  use: (sandbox: Sandbox, api: ReturnType<typeof client>) => Promise<void>
): Promise<void> {
  return withSandbox({ catalogue, keys: [key] }, sandbox => use(sandbox, client(sandbox)))
}

function client(sandbox: Sandbox) {
  const getResponse = getOn(sandbox, bearer)
  const get = <T = CollectionDocument>(path: string) => getResponse<T>(path).then(res => res.body)
  return {
    get,
    uploads: (number: string) =>
      get(
        `/v1/apps/${MAIN_ID}/buildUploads?filter[cfBundleVersion]=${number}&fields[buildUploads]=state,uploadedDate,createdDate,build`
      ).then(body => body.data),
    builds: (number: string) =>
      get(
        `/v1/builds?filter[app]=${MAIN_ID}&filter[version]=${number}&include=buildBetaDetail,preReleaseVersion`
      ),
    beta: (buildId: string) =>
      get<InstanceDocument>(`/v1/builds/${buildId}/buildBetaDetail`).then(
        body => body.data.attributes as { internalBuildState: string; externalBuildState: string }
      )
  }
}

const uploadState = (r: Resource) => (r.attributes!['state'] as { state: string }).state

describe('an upload on the timeline', () => {
  it('appears, receives its file, becomes a PROCESSING build, then VALID, each on time', async () => {
    const catalogue = fresh()
    const trainId = catalogue.landmarks['weather.ios.currentTrain']!
    const stored = catalogue.preReleaseVersions.find(p => p.id === trainId)!.version
    expect(stored).toMatch(/^\d+\.\d+$/)
    await onOwnSandbox(catalogue, async (sandbox, api) => {
      const handle = sandbox.scheduleUpload({
        bundleId: MAIN_BUNDLE_ID,
        version: `${stored}.0`,
        buildNumber: '600',
        steps: [
          { at: 0.3 },
          { at: 0.7, upload: 'PROCESSING' },
          { at: 1.1, build: 'PROCESSING' },
          { at: 1.5, build: 'VALID' }
        ]
      })
      await sleep(350)
      // Nothing happens before the start signal. (Steps are 0.4 s apart: each check below runs
      // right after a step, long before the next.)
      expect(await api.uploads('600')).toEqual([])
      const started = sandbox.startTimeline()
      expect(started).toEqual(NOW)
      expect(sandbox.startTimeline()).toEqual(started)
      expect(await api.uploads('600')).toEqual([])

      await eventsApplied(sandbox, 1)
      const [awaiting] = await api.uploads('600')
      expect(awaiting).toMatchObject({
        id: handle.uploadId,
        attributes: {
          createdDate: '2026-11-20T10:00:00-08:00',
          uploadedDate: null,
          state: { state: 'AWAITING_UPLOAD', errors: [], warnings: [], infos: [] }
        },
        relationships: { build: { data: null } }
      })
      expect((await api.builds('600')).data).toEqual([])

      await eventsApplied(sandbox, 2)
      const [processing] = await api.uploads('600')
      expect(uploadState(processing!)).toBe('PROCESSING')
      expect(processing!.attributes!['uploadedDate']).toBe('2026-11-20T10:00:00-08:00')
      // Still invisible to /v1/builds: only the upload says anything is happening.
      expect((await api.builds('600')).data).toEqual([])

      await eventsApplied(sandbox, 3)
      const building = await api.builds('600')
      expect(building.data.map(r => r.id)).toEqual([handle.buildId])
      expect(building.data[0]!.attributes).toMatchObject({
        processingState: 'PROCESSING',
        usesNonExemptEncryption: null,
        iconAssetToken: null,
        uploadedDate: '2026-11-20T10:00:00-08:00',
        expirationDate: '2027-02-18T10:00:00-08:00'
      })
      // Uploaded as X.Y.0, filed under the train stored as X.Y.
      const train = building.included!.find(r => r.type === 'preReleaseVersions')!
      expect(train.id).toBe(trainId)
      expect(train.attributes!['version']).toBe(stored)
      expect(await api.beta(handle.buildId)).toMatchObject({
        internalBuildState: 'PROCESSING',
        externalBuildState: 'PROCESSING'
      })
      const [complete] = await api.uploads('600')
      expect(uploadState(complete!)).toBe('COMPLETE')
      expect(complete!.relationships!['build']!.data).toEqual({
        type: 'builds',
        id: handle.buildId
      })

      await eventsApplied(sandbox, 4)
      const valid = await api.builds('600')
      expect(valid.data[0]!.attributes).toMatchObject({
        processingState: 'VALID',
        usesNonExemptEncryption: false,
        iconAssetToken: expect.objectContaining({ width: 167 })
      })
      expect(await api.beta(handle.buildId)).toMatchObject({
        internalBuildState: 'READY_FOR_BETA_TESTING',
        externalBuildState: 'READY_FOR_BETA_SUBMISSION'
      })
      expect(sandbox.timeline.events.map(e => [e.at, e.changes])).toEqual([
        [0.3, ['upload AWAITING_UPLOAD']],
        [0.7, ['upload PROCESSING']],
        [1.1, ['upload COMPLETE', 'build PROCESSING']],
        [
          1.5,
          ['build VALID', 'internal READY_FOR_BETA_TESTING', 'external READY_FOR_BETA_SUBMISSION']
        ]
      ])
      for (const event of sandbox.timeline.events) {
        expect(event.appliedAfterMs).toBeGreaterThanOrEqual(event.at * 1000)
      }
      expect(sandbox.timeline.remaining).toBe(0)
      // The catalogue is live: the new build and upload are in it.
      expect(catalogue.builds.some(b => b.id === handle.buildId)).toBe(true)
    })
  })

  it('can end FAILED with Apple’s reasons, never becoming a build', async () => {
    await onOwnSandbox(fresh(), async (sandbox, api) => {
      const steps = [
        { at: 0 },
        { at: 0.05, upload: 'PROCESSING' as const },
        { at: 0.1, upload: 'FAILED' as const, errors: [UPLOAD_ERRORS.invalidBundle] }
      ]
      sandbox.scheduleUpload({ appId: MAIN_ID, version: '3.2.0', buildNumber: '601', steps })
      // Without errors given, a typical one.
      sandbox.scheduleUpload({
        appId: MAIN_ID,
        version: '3.2.0',
        buildNumber: '602',
        steps: [{ at: 0.1, upload: 'FAILED' }]
      })
      sandbox.startTimeline()
      await sandbox.timeline.done()
      const [failed] = await api.uploads('601')
      expect(failed!.attributes!['state']).toEqual({
        state: 'FAILED',
        errors: [UPLOAD_ERRORS.invalidBundle],
        warnings: [],
        infos: []
      })
      expect(failed!.relationships!['build']!.data).toBeNull()
      expect((await api.builds('601')).data).toEqual([])
      const [early] = await api.uploads('602')
      expect(early!.attributes).toMatchObject({
        uploadedDate: null,
        state: { state: 'FAILED', errors: [expect.objectContaining({ code: expect.any(String) })] }
      })
    })
  })

  it('is rejected as a duplicate when its train already has the number, however spelled', async () => {
    const catalogue = fresh()
    const trainId = catalogue.landmarks['weather.ios.currentTrain']!
    const stored = catalogue.preReleaseVersions.find(p => p.id === trainId)!.version
    const taken = catalogue.builds.find(b => b.preReleaseVersionId === trainId)!.version
    await onOwnSandbox(catalogue, async (sandbox, api) => {
      const before = (await api.builds(taken)).data.map(r => r.id)
      sandbox.scheduleUpload({
        appId: MAIN_ID,
        version: `${stored}.0`,
        buildNumber: taken,
        steps: [
          { at: 0, upload: 'PROCESSING' },
          { at: 0.05, build: 'PROCESSING' },
          { at: 0.1, build: 'VALID' }
        ]
      })
      sandbox.startTimeline()
      await sandbox.timeline.done()
      expect((await api.builds(taken)).data.map(r => r.id)).toEqual(before)
      const failed = (await api.uploads(taken)).find(r => uploadState(r) === 'FAILED')!
      expect(failed.attributes!['state']).toMatchObject({
        errors: [{ code: 'ITMS-90189', description: expect.stringContaining(`'${taken}'`) }]
      })
      expect(sandbox.timeline.events.map(e => e.changes)).toEqual([
        ['upload PROCESSING'],
        ['upload FAILED (redundant binary)'],
        ['nothing: Apple rejected the upload']
      ])
    })
  })

  it('can end INVALID (PROCESSING_EXCEPTION), in a new train of another platform', async () => {
    const catalogue = fresh()
    await onOwnSandbox(catalogue, async (sandbox, api) => {
      const handle = sandbox.scheduleUpload({
        appId: MAIN_ID,
        platform: 'MAC_OS',
        version: '9.0',
        buildNumber: '9.0.1',
        steps: [
          { at: 0, upload: 'PROCESSING' },
          { at: 0.05, build: 'PROCESSING' },
          { at: 0.1, build: 'INVALID' }
        ]
      })
      sandbox.startTimeline()
      await sandbox.timeline.done()
      const res = await api.builds('9.0.1')
      expect(res.data[0]!.attributes!['processingState']).toBe('INVALID')
      const train = res.included!.find(r => r.type === 'preReleaseVersions')!
      expect(train.attributes).toEqual({ version: '9.0', platform: 'MAC_OS' })
      expect(catalogue.preReleaseVersions.map(p => p.id)).toContain(train.id)
      expect(await api.beta(handle.buildId)).toMatchObject({
        internalBuildState: 'PROCESSING_EXCEPTION',
        externalBuildState: 'PROCESSING_EXCEPTION'
      })
      expect(uploadState((await api.uploads('9.0.1'))[0]!)).toBe('COMPLETE')
    })
  })

  it('moves TestFlight states: compliance review, then beta review to BETA_APPROVED', async () => {
    await onOwnSandbox(fresh(), async (sandbox, api) => {
      const handle = sandbox.scheduleUpload({
        appId: MAIN_ID,
        version: '3.2.0',
        buildNumber: '603',
        usesNonExemptEncryption: true,
        steps: [
          { at: 0, upload: 'PROCESSING' },
          { at: 0.05, build: 'PROCESSING' },
          {
            at: 0.1,
            build: 'VALID',
            internalBuildState: 'IN_EXPORT_COMPLIANCE_REVIEW',
            externalBuildState: 'IN_EXPORT_COMPLIANCE_REVIEW'
          },
          {
            at: 0.4,
            internalBuildState: 'READY_FOR_BETA_TESTING',
            externalBuildState: 'WAITING_FOR_BETA_REVIEW'
          },
          { at: 0.7, externalBuildState: 'IN_BETA_REVIEW' },
          { at: 1.0, internalBuildState: 'IN_BETA_TESTING', externalBuildState: 'BETA_APPROVED' }
        ]
      })
      sandbox.startTimeline()
      const seen: string[] = []
      for (const count of [3, 4, 5, 6]) {
        await eventsApplied(sandbox, count)
        const beta = await api.beta(handle.buildId)
        seen.push(`${beta.internalBuildState}/${beta.externalBuildState}`)
      }
      expect(seen).toEqual([
        'IN_EXPORT_COMPLIANCE_REVIEW/IN_EXPORT_COMPLIANCE_REVIEW',
        'READY_FOR_BETA_TESTING/WAITING_FOR_BETA_REVIEW',
        'READY_FOR_BETA_TESTING/IN_BETA_REVIEW',
        'IN_BETA_TESTING/BETA_APPROVED'
      ])
      const approved = await api.get(
        `/v1/builds?filter[app]=${MAIN_ID}&filter[betaAppReviewSubmission.betaReviewState]=APPROVED&filter[version]=603`
      )
      expect(approved.data.map(r => r.id)).toEqual([handle.buildId])
    })
  })

  it('leaves export compliance open when the Info.plist does not answer, until someone does', async () => {
    await onOwnSandbox(fresh(), async (sandbox, api) => {
      const handle = sandbox.scheduleUpload({
        appId: MAIN_ID,
        version: '3.2.0',
        buildNumber: '604',
        usesNonExemptEncryption: null,
        steps: [
          { at: 0, upload: 'PROCESSING' },
          { at: 0.05, build: 'VALID' },
          { at: 0.4, usesNonExemptEncryption: false }
        ]
      })
      sandbox.startTimeline()
      await eventsApplied(sandbox, 2)
      expect(await api.beta(handle.buildId)).toMatchObject({
        internalBuildState: 'MISSING_EXPORT_COMPLIANCE',
        externalBuildState: 'MISSING_EXPORT_COMPLIANCE'
      })
      expect((await api.builds('604')).data[0]!.attributes!['usesNonExemptEncryption']).toBeNull()
      await eventsApplied(sandbox, 3)
      expect(await api.beta(handle.buildId)).toMatchObject({
        internalBuildState: 'READY_FOR_BETA_TESTING',
        externalBuildState: 'READY_FOR_BETA_SUBMISSION'
      })
    })
  })

  it('continues the catalogue’s uploads and builds in flight', async () => {
    const catalogue = fresh()
    const inFlight = catalogue.landmarks['weather.ios.upload.processing']!
    const processingBuild = catalogue.landmarks['weather.ios.processing']!
    const itsUpload = catalogue.buildUploads.find(u => u.buildId === processingBuild)!
    await onOwnSandbox(catalogue, async (sandbox, api) => {
      const upload = sandbox.scheduleUpload({
        uploadId: inFlight,
        steps: [
          { at: 0.05, build: 'PROCESSING' },
          { at: 0.1, build: 'VALID' }
        ]
      })
      const build = sandbox.scheduleUpload({
        uploadId: itsUpload.id,
        steps: [{ at: 0.1, build: 'VALID' }]
      })
      expect(build.buildId).toBe(processingBuild)
      sandbox.startTimeline()
      await sandbox.timeline.done()
      const number = catalogue.buildUploads.find(u => u.id === inFlight)!.cfBundleVersion
      const res = await api.builds(number)
      expect(res.data.map(r => [r.id, r.attributes!['processingState']])).toEqual([
        [upload.buildId, 'VALID']
      ])
      const before = await api.get<InstanceDocument>(`/v1/builds/${processingBuild}`)
      expect(before.data.attributes!['processingState']).toBe('VALID')
    })
  })

  it('starts with the sandbox when given in its options', async () => {
    await withSandbox(
      {
        catalogue: fresh(),
        keys: [key],
        startTimeline: true,
        uploads: [
          {
            bundleId: MAIN_BUNDLE_ID,
            version: '3.2.0',
            buildNumber: '605',
            steps: [{ at: 0.05, upload: 'PROCESSING' }]
          }
        ]
      },
      async sandbox => {
        await sandbox.timeline.done()
        expect(uploadState((await client(sandbox).uploads('605'))[0]!)).toBe('PROCESSING')
      }
    )
  })
})

describe('schedules Apple could not produce', () => {
  it.each<[string, object]>([
    [
      'a build from a FAILED upload',
      {
        steps: [
          { at: 0, upload: 'FAILED' },
          { at: 1, build: 'VALID' }
        ]
      }
    ],
    [
      'a build before the file arrived',
      { steps: [{ at: 0, upload: 'AWAITING_UPLOAD', build: 'PROCESSING' }] }
    ],
    [
      'TestFlight states before the build',
      { steps: [{ at: 0, internalBuildState: 'IN_BETA_TESTING' }] }
    ],
    ['steps out of order', { steps: [{ at: 2 }, { at: 1, upload: 'PROCESSING' }] }],
    ['no steps', { steps: [] }],
    ['an unknown state', { steps: [{ at: 0, upload: 'DONE' }] }],
    ['an unknown app', { appId: '42', steps: [{ at: 0 }] }],
    ['no build number', { buildNumber: undefined, steps: [{ at: 0 }] }]
  ])('refuses %s', async (_case, schedule) => {
    await withSandbox({ catalogue: fresh(), keys: [key] }, async sandbox => {
      expect(() =>
        sandbox.scheduleUpload({
          appId: MAIN_ID,
          version: '3.2.0',
          buildNumber: '700',
          ...schedule
        } as never)
      ).toThrow(/scheduleUpload/)
      expect(sandbox.timeline.remaining).toBe(0)
    })
  })
})

describe('parseUploadSchedules', () => {
  it('reads an array, or { uploads }, of schedules as JSON', () => {
    const one = {
      bundleId: MAIN_BUNDLE_ID,
      version: '3.2.0',
      buildNumber: '700',
      steps: [{ at: 1 }]
    }
    expect(parseUploadSchedules(JSON.stringify([one]))).toEqual([one])
    expect(parseUploadSchedules(JSON.stringify({ uploads: [one] }))).toEqual([one])
    expect(() => parseUploadSchedules('{')).toThrow(/not JSON/)
    expect(() => parseUploadSchedules('{"uploads": 3}')).toThrow(/array/)
    expect(() => parseUploadSchedules('[{"version": "1"}]')).toThrow(/steps/)
  })
})
