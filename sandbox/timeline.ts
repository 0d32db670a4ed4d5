// Uploads that happen while the sandbox runs. Each scheduled upload has its own steps, in real
// seconds from a start signal: it shows up as AWAITING_UPLOAD, the file arrives (PROCESSING),
// a PROCESSING build appears in /v1/builds, and processing ends VALID, INVALID or FAILED, or the
// upload itself FAILED with Apple's reasons in state.errors; TestFlight states move on after.
// Until its build step an upload is invisible to /v1/builds (reference notes, "From upload to
// usable"), so a test of a wait takes seconds, not the minutes Apple takes.
import {
  BUILD_LIFETIME_DAYS,
  failureDetails,
  redundantBinary,
  settledBetaStates,
  type StateDetail
} from './lifecycle.js'
import { iconFor, osRequirements } from './platform-details.js'
import { Random, subSeed } from './random.js'
import type { IconAssetToken, SandboxBuild, SandboxBuildUpload } from './records.js'
import {
  BUILD_AUDIENCE_TYPES,
  BUILD_UPLOAD_STATES,
  EXTERNAL_BETA_STATES,
  INTERNAL_BETA_STATES,
  PLATFORMS,
  PROCESSING_STATES,
  type BuildAudienceType,
  type BuildUploadState,
  type ExternalBetaState,
  type InternalBetaState,
  type Platform,
  type ProcessingState
} from './schema.js'
import type { CatalogueStore } from './store.js'
import { addPacificDays, formatPacific } from './time.js'

/** What changes at one moment of an upload's life. */
export interface UploadStep {
  /** Seconds after the start signal (fractions allowed); steps of an upload in this order. */
  at: number
  /**
   * The upload's state. The first step of a new upload makes it visible, AWAITING_UPLOAD unless
   * it says otherwise; PROCESSING and COMPLETE stamp uploadedDate (the file arrived); FAILED
   * without `errors` gets a typical error.
   */
  upload?: BuildUploadState
  /** Replace the upload's state.errors / warnings / infos (StateDetail: code, description). */
  errors?: StateDetail[]
  warnings?: StateDetail[]
  infos?: StateDetail[]
  /**
   * The build's processing state. The first one creates the build, visible in /v1/builds from
   * then on, filed under the app's train for the version however it is spelled ('2.0' and
   * '2.0.0' are one train), and turns the upload COMPLETE unless `upload` says otherwise.
   * TestFlight states follow (PROCESSING; PROCESSING_EXCEPTION after INVALID or FAILED;
   * MISSING_EXPORT_COMPLIANCE or ready after VALID) unless this step sets them. If the train
   * already has a build with this number, Apple rejects the upload instead: FAILED with
   * ITMS-90189, no build, and later steps change nothing.
   */
  build?: ProcessingState
  internalBuildState?: InternalBetaState
  externalBuildState?: ExternalBetaState
  /** Someone answered (or un-answered: null) the export compliance question. */
  usesNonExemptEncryption?: boolean | null
}

export interface UploadSchedule {
  /** Continue an upload already in the catalogue (e.g. one in flight) instead of adding one. */
  uploadId?: string
  /** The app of a new upload, by id or by exact bundle id. */
  appId?: string
  bundleId?: string
  /** Default IOS. */
  platform?: Platform
  /** CFBundleShortVersionString of a new upload, e.g. '2.9.0'. */
  version?: string
  /** CFBundleVersion of a new upload, e.g. '612'. */
  buildNumber?: string
  /** Default APP_STORE_ELIGIBLE. */
  buildAudienceType?: BuildAudienceType
  /**
   * The Info.plist's export compliance answer, shown once the build is VALID. Default false;
   * null leaves the question open (MISSING_EXPORT_COMPLIANCE).
   */
  usesNonExemptEncryption?: boolean | null
  /**
   * A new upload whose record Apple created this long before its first step: an upload begun
   * earlier, or (staying AWAITING_UPLOAD) one whose binary Apple refused, a record Apple keeps
   * for ever (reference notes, "Lessons from peers' bug trackers": the daily upload limit, 90382).
   */
  createdSecondsAgo?: number
  steps: UploadStep[]
}

export interface ScheduledUpload {
  uploadId: string
  /** The id the build has, or will have once its first build step is applied. */
  buildId: string
  /** The id of its buildBetaDetails resource, likewise. */
  buildBetaDetailId: string
}

export interface TimelineEvent {
  /** The upload the step belongs to (absent for an App Store version's step). */
  uploadId?: string
  /** The App Store version the step belongs to (see app-store-versions.ts). */
  appStoreVersionId?: string
  /** Seconds after the start signal, as scheduled. */
  at: number
  /** Real milliseconds after the start signal when it was applied. */
  appliedAfterMs: number
  /** What changed: 'upload PROCESSING', 'build VALID', 'internal READY_FOR_BETA_TESTING'… */
  changes: string[]
}

interface Plan {
  handle: ScheduledUpload
  upload: SandboxBuildUpload
  /** Whether the upload is in the store (visible) yet. */
  visible: boolean
  build: SandboxBuild | undefined
  audience: BuildAudienceType
  encryption: boolean | null
  /** Apple refused the upload as a duplicate: its later steps change nothing. */
  rejected: boolean
  /** How long before its first step the record was created. */
  createdAgoMs: number
}

/** A step waiting for its time: an upload's, or another record's (App Store versions). */
export interface PendingStep {
  /** Seconds after the start signal. */
  at: number
  /** Whose step it is, as its event names it. */
  subject: Pick<TimelineEvent, 'uploadId' | 'appStoreVersionId'>
  /** Makes the change; returns what changed, in the words of TimelineEvent.changes. */
  apply: () => string[]
}

/** Ids and icons for records made while the sandbox runs (the timeline), from their own seed. */
export class IdSource {
  private readonly random: Random
  constructor(seed: number) {
    this.random = new Random(subSeed(seed, 7777))
  }
  uuid(): string {
    return this.random.uuid()
  }
  icon(platform: Platform): IconAssetToken {
    return iconFor(platform, this.random)
  }
}

export class Timeline {
  /** Applied steps, in order. */
  readonly events: TimelineEvent[] = []
  private readonly pending: PendingStep[] = []
  private timer: NodeJS.Timeout | undefined
  private readonly waiters: Array<() => void> = []
  private startedAt: number | undefined
  private closed = false
  private startInstantMs = 0

  constructor(
    private readonly store: CatalogueStore,
    private readonly clock: () => Date,
    /** Also gives the ids of App Store versions made while the sandbox runs. */
    readonly ids: IdSource
  ) {}

  /** The instant of the start signal on the sandbox clock, once given. */
  get started(): Date | undefined {
    return this.startedAt === undefined ? undefined : new Date(this.startInstantMs)
  }

  /** Real seconds since the start signal; undefined before it. */
  get elapsedSeconds(): number | undefined {
    return this.startedAt === undefined ? undefined : (performance.now() - this.startedAt) / 1000
  }

  /** Steps not applied yet. */
  get remaining(): number {
    return this.pending.length
  }

  schedule(schedule: UploadSchedule): ScheduledUpload {
    const plan = this.plan(schedule)
    check(plan, schedule.steps)
    this.scheduleSteps(
      schedule.steps.map(step => ({
        at: step.at,
        subject: { uploadId: plan.upload.id },
        apply: () => this.apply(plan, step)
      }))
    )
    return plan.handle
  }

  /** Adds steps of any kind, on the same start signal as uploads; applies those already due. */
  scheduleSteps(steps: readonly PendingStep[]): void {
    this.pending.push(...steps)
    // Stable: equal times keep the order they were scheduled in.
    this.pending.sort((a, b) => a.at - b.at)
    this.applyDue()
  }

  /** The instant on the sandbox clock `at` seconds after the start signal (0 before it). */
  instantAt(at: number): number {
    return this.startInstantMs + Math.round(at * 1000)
  }

  /** The start signal: steps fall due `at` seconds from now. Later calls change nothing. */
  start(): Date {
    if (this.startedAt === undefined) {
      this.startedAt = performance.now()
      this.startInstantMs = this.clock().getTime()
      this.applyDue()
    }
    return new Date(this.startInstantMs)
  }

  /** Applies every step that is due; requests call it first, so none sees a stale state. */
  applyDue(): void {
    if (this.startedAt === undefined) return
    const elapsed = performance.now() - this.startedAt
    while (this.pending.length > 0 && this.pending[0]!.at * 1000 <= elapsed) {
      const { at, subject, apply } = this.pending.shift()!
      this.events.push({ ...subject, at, appliedAfterMs: elapsed, changes: apply() })
    }
    if (this.pending.length === 0) for (const resolve of this.waiters.splice(0)) resolve()
    this.arm()
  }

  /** Resolves once every scheduled step has been applied (after the start signal). */
  done(): Promise<void> {
    if (this.pending.length === 0) return Promise.resolve()
    return new Promise(resolve => this.waiters.push(resolve))
  }

  close(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.closed = true
  }

  /** One timer, for the next step; timers can fire a fraction of a millisecond early. */
  private arm(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.closed || this.startedAt === undefined || this.pending.length === 0) return
    const due = this.startedAt + this.pending[0]!.at * 1000
    this.timer = setTimeout(() => this.applyDue(), Math.max(0, due - performance.now()) + 1)
    this.timer.unref()
  }

  private plan(schedule: UploadSchedule): Plan {
    const encryption =
      schedule.usesNonExemptEncryption === undefined ? false : schedule.usesNonExemptEncryption
    if (schedule.uploadId !== undefined) {
      const upload = this.store.buildUpload(schedule.uploadId)
      if (!upload)
        throw new Error(`scheduleUpload: no upload ${schedule.uploadId} in the catalogue`)
      const build = upload.buildId === null ? undefined : this.store.build(upload.buildId)
      return {
        handle: {
          uploadId: upload.id,
          buildId: build?.id ?? this.ids.uuid(),
          buildBetaDetailId: build?.betaDetail.id ?? this.ids.uuid()
        },
        upload,
        visible: true,
        build,
        audience: schedule.buildAudienceType ?? build?.buildAudienceType ?? 'APP_STORE_ELIGIBLE',
        encryption,
        rejected: false,
        createdAgoMs: 0
      }
    }
    const app = this.store.apps.find(
      candidate => candidate.id === schedule.appId || candidate.bundleId === schedule.bundleId
    )
    if (!app) {
      throw new Error(
        `scheduleUpload: no app ${schedule.appId ?? schedule.bundleId ?? '(give appId or bundleId)'}`
      )
    }
    if (!schedule.version || !schedule.buildNumber) {
      throw new Error('scheduleUpload: a new upload needs version and buildNumber')
    }
    const platform = schedule.platform ?? 'IOS'
    if (!PLATFORMS.includes(platform))
      throw new Error(`scheduleUpload: unknown platform ${platform}`)
    const audience = schedule.buildAudienceType ?? 'APP_STORE_ELIGIBLE'
    if (!BUILD_AUDIENCE_TYPES.includes(audience)) {
      throw new Error(`scheduleUpload: unknown buildAudienceType ${audience}`)
    }
    const upload: SandboxBuildUpload = {
      id: this.ids.uuid(),
      appId: app.id,
      cfBundleShortVersionString: schedule.version,
      cfBundleVersion: schedule.buildNumber,
      platform,
      createdDate: '',
      uploadedDate: null,
      state: { state: 'AWAITING_UPLOAD', errors: [], warnings: [], infos: [] },
      buildId: null
    }
    return {
      handle: { uploadId: upload.id, buildId: this.ids.uuid(), buildBetaDetailId: this.ids.uuid() },
      upload,
      visible: false,
      build: undefined,
      audience,
      encryption,
      rejected: false,
      createdAgoMs: createdAgo(schedule.createdSecondsAgo)
    }
  }

  private apply(plan: Plan, step: UploadStep): string[] {
    if (plan.rejected) return ['nothing: Apple rejected the upload']
    const changes: string[] = []
    const stamp = formatPacific(this.instantAt(step.at))
    const upload = plan.upload
    const appearing = !plan.visible
    if (appearing) {
      upload.createdDate = formatPacific(this.instantAt(step.at) - plan.createdAgoMs)
      plan.visible = true
      this.store.addUpload(upload)
    }

    const creating = step.build !== undefined && plan.build === undefined
    if (creating && this.usedInTrain(upload)) {
      // The number is taken in this train: Apple rejects the upload as a duplicate (reference
      // notes, "From upload to usable": two quick runs picking the same number).
      upload.state.state = 'FAILED'
      upload.uploadedDate ??= stamp
      upload.state.errors = [
        redundantBinary(upload.cfBundleVersion, upload.cfBundleShortVersionString)
      ]
      plan.rejected = true
      this.store.touched()
      return [...changes, 'upload FAILED (redundant binary)']
    }
    const uploadState = step.upload ?? (creating ? 'COMPLETE' : undefined)
    if (appearing || (uploadState !== undefined && uploadState !== upload.state.state)) {
      upload.state.state = uploadState ?? upload.state.state
      changes.push(`upload ${upload.state.state}`)
    }
    if (
      upload.uploadedDate === null &&
      (uploadState === 'PROCESSING' || uploadState === 'COMPLETE')
    ) {
      upload.uploadedDate = stamp
    }
    if (step.errors) upload.state.errors = step.errors.map(detail => ({ ...detail }))
    if (step.warnings) upload.state.warnings = step.warnings.map(detail => ({ ...detail }))
    if (step.infos) upload.state.infos = step.infos.map(detail => ({ ...detail }))
    if (uploadState === 'FAILED' && upload.state.errors.length === 0) {
      upload.state.errors = failureDetails(0)
    }

    let settle = false
    if (step.build !== undefined) {
      if (!plan.build) {
        plan.build = this.createBuild(plan, step.build, upload.uploadedDate ?? stamp)
      } else if (plan.build.processingState !== step.build) {
        plan.build.processingState = step.build
      }
      if (step.build === 'VALID') {
        const build = plan.build
        build.iconAssetToken ??= this.ids.icon(upload.platform)
        if (build.usesNonExemptEncryption === null) build.usesNonExemptEncryption = plan.encryption
      }
      changes.push(`build ${step.build}`)
      settle = true
    }
    const build = plan.build
    if (build && step.usesNonExemptEncryption !== undefined) {
      build.usesNonExemptEncryption = step.usesNonExemptEncryption
      changes.push(`usesNonExemptEncryption ${String(step.usesNonExemptEncryption)}`)
      settle = true
    }
    if (build) {
      const before = { ...build.betaDetail }
      if (settle) Object.assign(build.betaDetail, settledBetaStates(build, build.expired))
      if (step.internalBuildState) build.betaDetail.internalBuildState = step.internalBuildState
      if (step.externalBuildState) build.betaDetail.externalBuildState = step.externalBuildState
      if (build.betaDetail.internalBuildState !== before.internalBuildState) {
        changes.push(`internal ${build.betaDetail.internalBuildState}`)
      }
      if (build.betaDetail.externalBuildState !== before.externalBuildState) {
        changes.push(`external ${build.betaDetail.externalBuildState}`)
      }
    }
    this.store.touched()
    return changes
  }

  /** Whether a build of the upload's train (however spelled) already has its number. */
  private usedInTrain(upload: SandboxBuildUpload): boolean {
    const prv = this.store.trainOf(upload.appId, upload.platform, upload.cfBundleShortVersionString)
    return (
      prv !== undefined &&
      this.store.buildsOfPreReleaseVersion(prv.id).some(b => b.version === upload.cfBundleVersion)
    )
  }

  private createBuild(plan: Plan, state: ProcessingState, uploadedDate: string): SandboxBuild {
    const { upload, handle } = plan
    let prv = this.store.trainOf(upload.appId, upload.platform, upload.cfBundleShortVersionString)
    if (!prv) {
      prv = {
        id: this.ids.uuid(),
        appId: upload.appId,
        version: upload.cfBundleShortVersionString,
        platform: upload.platform
      }
      this.store.addPreReleaseVersion(prv)
    }
    const uploadedMs = Date.parse(uploadedDate)
    const build: SandboxBuild = {
      id: handle.buildId,
      appId: upload.appId,
      preReleaseVersionId: prv.id,
      version: upload.cfBundleVersion,
      uploadedDate,
      expirationDate: formatPacific(addPacificDays(uploadedMs, BUILD_LIFETIME_DAYS)),
      expired: false,
      ...osRequirements(upload.platform, true),
      iconAssetToken: null,
      processingState: state,
      buildAudienceType: plan.audience,
      // Unknown until processing has read the Info.plist.
      usesNonExemptEncryption: null,
      betaDetail: {
        id: handle.buildBetaDetailId,
        autoNotifyEnabled: true,
        internalBuildState: 'PROCESSING',
        externalBuildState: 'PROCESSING'
      }
    }
    this.store.addBuild(build, upload)
    return build
  }
}

function createdAgo(seconds: number | undefined): number {
  if (seconds === undefined) return 0
  if (!(Number.isFinite(seconds) && seconds >= 0)) {
    throw new Error(`scheduleUpload: createdSecondsAgo must be a number of seconds >= 0`)
  }
  return Math.round(seconds * 1000)
}

/** Refuses schedules Apple could not produce, at scheduling time rather than mid-test. */
function check(plan: Plan, steps: readonly UploadStep[]): void {
  const fail = (message: string): never => {
    throw new Error(`scheduleUpload (${plan.upload.cfBundleVersion}): ${message}`)
  }
  if (!Array.isArray(steps) || steps.length === 0) fail('steps must list at least one step')
  let uploadState: BuildUploadState | undefined = plan.visible ? plan.upload.state.state : undefined
  let hasBuild = plan.build !== undefined
  let last = 0
  for (const step of steps) {
    if (typeof step.at !== 'number' || !Number.isFinite(step.at) || step.at < 0) {
      fail(`step time ${String(step.at)} is not a number of seconds >= 0`)
    }
    if (step.at < last) fail(`steps must be in time order (${step.at} s after ${last} s)`)
    last = step.at
    if (step.upload !== undefined && !BUILD_UPLOAD_STATES.includes(step.upload)) {
      fail(`unknown upload state ${step.upload}`)
    }
    if (step.build !== undefined && !PROCESSING_STATES.includes(step.build)) {
      fail(`unknown processing state ${step.build}`)
    }
    if (step.internalBuildState && !INTERNAL_BETA_STATES.includes(step.internalBuildState)) {
      fail(`unknown internalBuildState ${step.internalBuildState}`)
    }
    if (step.externalBuildState && !EXTERNAL_BETA_STATES.includes(step.externalBuildState)) {
      fail(`unknown externalBuildState ${step.externalBuildState}`)
    }
    const before = uploadState
    uploadState = step.upload ?? (step.build !== undefined && !hasBuild ? 'COMPLETE' : before)
    uploadState ??= 'AWAITING_UPLOAD'
    if (before === 'FAILED' && uploadState !== 'FAILED') fail('a FAILED upload stays FAILED')
    if (step.build !== undefined) {
      if (uploadState === 'FAILED') fail('a FAILED upload never becomes a build')
      if (uploadState === 'AWAITING_UPLOAD') fail('a build needs the file: upload PROCESSING first')
      hasBuild = true
    }
    if (hasBuild && uploadState === 'FAILED') fail('an upload that became a build cannot fail')
    const touchesBuild =
      step.internalBuildState !== undefined ||
      step.externalBuildState !== undefined ||
      step.usesNonExemptEncryption !== undefined
    if (touchesBuild && !hasBuild)
      fail(`step at ${step.at} s changes a build that does not exist yet`)
  }
}

/**
 * Schedules from JSON, e.g. an environment variable of a self-test workflow: an array of
 * UploadSchedule, or { "uploads": [...] }. Steps are checked when scheduled.
 */
export function parseUploadSchedules(json: string): UploadSchedule[] {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    throw new Error(`upload schedules are not JSON: ${(error as Error).message}`, {
      cause: error
    })
  }
  const list =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as { uploads?: unknown }).uploads
      : value
  if (!Array.isArray(list)) {
    throw new Error('upload schedules must be an array, or an object with an "uploads" array')
  }
  return list.map((item: unknown, index) => {
    if (
      typeof item !== 'object' ||
      item === null ||
      !Array.isArray((item as UploadSchedule).steps)
    ) {
      throw new Error(`upload schedule ${index} must be an object with a "steps" array`)
    }
    return item as UploadSchedule
  })
}
