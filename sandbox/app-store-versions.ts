// App Store versions (appStoreVersions): the versions of an app submitted to, in review at or
// live on the App Store, each with the build it ships. The record, its two state attributes,
// the lookups and filters the routes use, the versions planted in the seeded catalogue, and
// their life on the timeline. From Apple's OpenAPI document (4.4.1: AppStoreVersion,
// GET /v1/apps/{id}/appStoreVersions, GET /v1/appStoreVersions/{id}/build) and the reference
// notes ("Lessons from peers' bug trackers").
import { compareBuildNumbers } from './build-numbers.js'
import { APP_STORE_STATES, APP_VERSION_STATES } from './operations.js'
import type { ParsedQuery } from './query.js'
import type { Random } from './random.js'
import type {
  Catalogue,
  LandmarkName,
  SandboxApp,
  SandboxBuild,
  SandboxPreReleaseVersion
} from './records.js'
import { PLATFORMS, type Platform } from './schema.js'
import type { CatalogueStore } from './store.js'
import { formatPacific, HOUR, SECOND } from './time.js'
import type { IdSource, Timeline } from './timeline.js'

/** AppVersionState, the newer state attribute. */
export type AppVersionState = (typeof APP_VERSION_STATES)[number]
/** AppStoreVersionState, the older one (appStoreState, deprecated). */
export type AppStoreVersionState = (typeof APP_STORE_STATES)[number]
export const RELEASE_TYPES = ['MANUAL', 'AFTER_APPROVAL', 'SCHEDULED'] as const
export type ReleaseType = (typeof RELEASE_TYPES)[number]

/** An appStoreVersions resource. */
export interface SandboxAppStoreVersion {
  id: string
  appId: string
  platform: Platform
  /** The marketing version as entered in App Store Connect, e.g. '3.2' or '2.3.2'. */
  versionString: string
  /** The state; the deprecated appStoreState is derived from it (appStoreStateOf), never stored. */
  appVersionState: AppVersionState
  copyright: string | null
  releaseType: ReleaseType
  /** Set only for SCHEDULED releases; null otherwise, as in the recorded resources. */
  earliestReleaseDate: string | null
  downloadable: boolean
  /** Pacific time with its offset, as the recorded resource shows: '2019-09-24T06:02:48-07:00'. */
  createdDate: string
  /** The build the version ships (relationship `build`); null before one is attached. */
  buildId: string | null
}

// ---------------------------------------------------------------------------------------------
// The two state attributes

/**
 * The old name of each AppVersionState, read off the two enums of the OpenAPI document:
 * thirteen values are spelled alike in both, and the two that are not (PROCESSING_FOR_DISTRIBUTION,
 * READY_FOR_DISTRIBUTION) pair with the two old values left without a namesake that mean the same
 * step (PROCESSING_FOR_APP_STORE, READY_FOR_SALE; the notes: "READY_FOR_DISTRIBUTION, formerly
 * READY_FOR_SALE"). The old enum's other values (removed from sale, pending contract, preorder,
 * NOT_APPLICABLE) have no new counterpart, so no sandbox version is in them.
 */
const RENAMED: Readonly<Partial<Record<AppVersionState, AppStoreVersionState>>> = {
  PROCESSING_FOR_DISTRIBUTION: 'PROCESSING_FOR_APP_STORE',
  READY_FOR_DISTRIBUTION: 'READY_FOR_SALE'
}

/** The deprecated appStoreState that goes with an appVersionState. */
export function appStoreStateOf(state: AppVersionState): AppStoreVersionState {
  const renamed = RENAMED[state]
  if (renamed) return renamed
  if ((APP_STORE_STATES as readonly string[]).includes(state)) return state as AppStoreVersionState
  throw new Error(`no appStoreState for ${state}`)
}

/** The version on sale (the notes: "the live version (READY_FOR_DISTRIBUTION ...)"). */
const LIVE: AppVersionState = 'READY_FOR_DISTRIBUTION'
/** What a live version becomes once a newer one of its platform goes on sale. */
const REPLACED: AppVersionState = 'REPLACED_WITH_NEW_VERSION'

// ---------------------------------------------------------------------------------------------
// Lookups (CatalogueStore.appStoreVersions)

const createdMs = (version: SandboxAppStoreVersion) => Date.parse(version.createdDate)

/**
 * The order of GET /v1/apps/{id}/appStoreVersions. The operation has no sort parameter and Apple
 * documents no order; peers sort on the client (fastlane by createdDate, taking the last), while
 * others take data[0] as "the latest". The sandbox answers oldest first (createdDate, then id),
 * so data[0] is the oldest version, often one long replaced.
 */
function oldestFirst(a: SandboxAppStoreVersion, b: SandboxAppStoreVersion): number {
  return createdMs(a) - createdMs(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** The versions of a catalogue by id, by app and by attached build; kept current by the timeline. */
export class AppStoreVersionIndex {
  private readonly byId = new Map<string, SandboxAppStoreVersion>()
  private readonly byBuild = new Map<string, SandboxAppStoreVersion>()

  constructor(private readonly list: SandboxAppStoreVersion[]) {
    for (const version of list) this.index(version)
  }

  private index(version: SandboxAppStoreVersion): void {
    this.byId.set(version.id, version)
    if (version.buildId !== null) this.byBuild.set(version.buildId, version)
  }

  add(version: SandboxAppStoreVersion): void {
    this.list.push(version)
    this.index(version)
  }

  get(id: string): SandboxAppStoreVersion | undefined {
    return this.byId.get(id)
  }

  /** The version a build is attached to (the build's to-one `appStoreVersion`). */
  ofBuild(buildId: string): SandboxAppStoreVersion | undefined {
    return this.byBuild.get(buildId)
  }

  /** An app's versions, oldest first (see oldestFirst). */
  ofApp(appId: string): SandboxAppStoreVersion[] {
    return this.list.filter(version => version.appId === appId).sort(oldestFirst)
  }

  attach(version: SandboxAppStoreVersion, buildId: string): void {
    if (version.buildId !== null && this.byBuild.get(version.buildId) === version) {
      this.byBuild.delete(version.buildId)
    }
    version.buildId = buildId
    this.byBuild.set(buildId, version)
  }

  /**
   * Moves a version to a state. When it goes on sale, the version of the same app and platform
   * that was on sale becomes REPLACED_WITH_NEW_VERSION (and so READY_FOR_SALE becomes
   * REPLACED_WITH_NEW_VERSION in appStoreState too): one live version per platform. Returns the
   * versions it replaced.
   */
  moveTo(version: SandboxAppStoreVersion, state: AppVersionState): SandboxAppStoreVersion[] {
    version.appVersionState = state
    if (state !== LIVE) return []
    const replaced = this.list.filter(
      other =>
        other !== version &&
        other.appId === version.appId &&
        other.platform === version.platform &&
        other.appVersionState === LIVE
    )
    for (const other of replaced) other.appVersionState = REPLACED
    return replaced
  }
}

// ---------------------------------------------------------------------------------------------
// Filters

type Matcher = (version: SandboxAppStoreVersion, value: string) => boolean

/** The filterable attributes of AppStoreVersion (the OpenAPI operation's filter[...]). */
const MATCHERS = {
  id: (version, value) => version.id === value,
  platform: (version, value) => version.platform === value,
  // Exact, as Apple's filters on version strings are (reference notes, "Versions as Apple
  // compares them": only the spelling stored is found).
  versionString: (version, value) => version.versionString === value,
  appStoreState: (version, value) => appStoreStateOf(version.appVersionState) === value,
  appVersionState: (version, value) => version.appVersionState === value
} as const satisfies Record<string, Matcher>

type FilterNames = Partial<Record<keyof typeof MATCHERS, string>>

/**
 * A test of a version against the filters of a query named in `names` (comma-separated values
 * OR together, filters AND), or undefined when the query has none of them.
 */
function versionFilter(
  query: ParsedQuery,
  names: FilterNames
): ((version: SandboxAppStoreVersion) => boolean) | undefined {
  const tests = Object.entries(names).flatMap(([attribute, name]) => {
    const wanted = query.values.get(name)
    const matches: Matcher = MATCHERS[attribute as keyof typeof MATCHERS]
    return wanted
      ? [(version: SandboxAppStoreVersion) => wanted.some(v => matches(version, v))]
      : []
  })
  return tests.length === 0 ? undefined : version => tests.every(test => test(version))
}

/** GET /v1/apps/{id}/appStoreVersions: the app's versions, filtered, oldest first. */
export function selectAppStoreVersions(
  store: CatalogueStore,
  query: ParsedQuery,
  appId: string
): SandboxAppStoreVersion[] {
  const versions = store.appStoreVersions.ofApp(appId)
  const test = versionFilter(query, {
    id: 'filter[id]',
    platform: 'filter[platform]',
    versionString: 'filter[versionString]',
    appStoreState: 'filter[appStoreState]',
    appVersionState: 'filter[appVersionState]'
  })
  return test ? versions.filter(test) : versions
}

/**
 * /v1/apps filters on App Store versions: an app matches when one of its versions passes all of
 * them (the altool log filters apps by filter[appStoreVersions.platform] this way). Undefined when
 * the query has none. include=appStoreVersions still lists all of the app's versions: the
 * recorded answer (one version) cannot tell whether Apple filters those too.
 */
export function appVersionsFilter(
  store: CatalogueStore,
  query: ParsedQuery
): ((app: SandboxApp) => boolean) | undefined {
  const test = versionFilter(query, {
    id: 'filter[appStoreVersions]',
    platform: 'filter[appStoreVersions.platform]',
    appStoreState: 'filter[appStoreVersions.appStoreState]',
    appVersionState: 'filter[appStoreVersions.appVersionState]'
  })
  return test && (app => store.appStoreVersions.ofApp(app.id).some(test))
}

/** /v1/builds filter[appStoreVersion]: builds attached to one of the listed versions. */
export function attachedTo(store: CatalogueStore, build: SandboxBuild, versionId: string): boolean {
  return store.appStoreVersions.ofBuild(build.id)?.id === versionId
}

// ---------------------------------------------------------------------------------------------
// The seeded catalogue's versions

/**
 * Plants the App Store versions of the catalogue and names them in its landmarks. It only picks
 * among the builds generated (none is added or changed, so every /v1/builds answer stays as it
 * was), from a random stream of its own:
 * - com.example.weather, iOS: a replaced version, the live one, and the one being prepared on
 *   the current train with a recent build ready for submission (weather.ios.betaRejected);
 * - com.example.weather, macOS: a live version of another train with a macOS build;
 * - com.example.weather.widget: no live version, one WAITING_FOR_REVIEW on its newest train,
 *   with the train's first build rather than its newest.
 * Small catalogues may lack some (a train without a fitting build plants nothing).
 */
export function plantAppStoreVersions(
  catalogue: Catalogue,
  nowMs: number,
  random: Random
): SandboxAppStoreVersion[] {
  const versions: SandboxAppStoreVersion[] = []
  const { landmarks } = catalogue
  const prvById = new Map(catalogue.preReleaseVersions.map(prv => [prv.id, prv]))
  const trainBuilds = new Map<string, SandboxBuild[]>()
  for (const build of catalogue.builds) {
    const list = trainBuilds.get(build.preReleaseVersionId) ?? []
    list.push(build)
    trainBuilds.set(build.preReleaseVersionId, list)
  }
  const buildsOf = (train: SandboxPreReleaseVersion) => trainBuilds.get(train.id) ?? []
  const uploaded = (build: SandboxBuild) => Date.parse(build.uploadedDate)
  const newest = (builds: readonly SandboxBuild[]) =>
    builds.reduce<SandboxBuild | undefined>(
      (a, b) => (!a || uploaded(b) > uploaded(a) ? b : a),
      undefined
    )
  // What App Store review takes: processed VALID, and never INTERNAL_ONLY (reference notes, "From
  // upload to usable"). TestFlight expiry does not matter: it is a TestFlight notion.
  const submittable = (build: SandboxBuild) =>
    build.processingState === 'VALID' && build.buildAudienceType === 'APP_STORE_ELIGIBLE'
  /** The trains of an app and platform older than `current`, newest first. */
  const olderTrains = (current: SandboxPreReleaseVersion) =>
    catalogue.preReleaseVersions
      .filter(
        prv =>
          prv.appId === current.appId &&
          prv.platform === current.platform &&
          compareBuildNumbers(prv.version, current.version) < 0
      )
      .sort((a, b) => compareBuildNumbers(b.version, a.version))

  const plant = (
    name: LandmarkName,
    train: SandboxPreReleaseVersion,
    build: SandboxBuild,
    state: AppVersionState,
    {
      copyrighted = true,
      releaseType = 'MANUAL'
    }: { copyrighted?: boolean; releaseType?: ReleaseType } = {}
  ): void => {
    // Created in App Store Connect a day or two before the train's first upload, so versions
    // of later trains are created later.
    const firstUpload = Math.min(...buildsOf(train).map(uploaded))
    const created = firstUpload - random.int(HOUR / SECOND, (48 * HOUR) / SECOND) * SECOND
    const createdDate = formatPacific(created)
    const version: SandboxAppStoreVersion = {
      id: random.uuid(),
      appId: train.appId,
      platform: train.platform,
      versionString: train.version,
      appVersionState: state,
      copyright: copyrighted ? `${createdDate.slice(0, 4)} Example Corp.` : null,
      releaseType,
      earliestReleaseDate: null,
      downloadable: true,
      createdDate,
      buildId: build.id
    }
    versions.push(version)
    landmarks[name] = version.id
  }
  const newestSubmittable = (train: SandboxPreReleaseVersion) =>
    newest(buildsOf(train).filter(submittable))!
  const trainAt = (name: LandmarkName) => {
    const id = landmarks[name]
    return id === undefined ? undefined : prvById.get(id)
  }

  const iosTrain = trainAt('weather.ios.currentTrain')
  if (iosTrain) {
    // Live: the newest older train whose every build is past its TestFlight expiration date, so
    // the build on sale is long expired. Trains with newer uploads cannot be the live version:
    // Apple refuses uploads of a version string already approved (UPLOAD_ERRORS.invalidBundle),
    // and the previous train still gets hotfixes (weather.ios.latestValid).
    const older = olderTrains(iosTrain)
    const liveAt = older.findIndex(
      train =>
        buildsOf(train).length > 0 &&
        buildsOf(train).every(b => Date.parse(b.expirationDate) < nowMs) &&
        buildsOf(train).some(submittable)
    )
    const live = older[liveAt]
    const replaced = older.slice(liveAt + 1).find(train => buildsOf(train).some(submittable))
    if (live && replaced) {
      plant('weather.ios.appStore.replaced', replaced, newestSubmittable(replaced), REPLACED)
    }
    if (live) plant('weather.ios.appStore.live', live, newestSubmittable(live), LIVE)
    // Being prepared: the current train's newest build a submission could use (export compliance
    // settled, not expired); nobody has filled in the copyright yet (null, as in a recorded body).
    const ready = newest(
      buildsOf(iosTrain).filter(
        b =>
          submittable(b) &&
          !b.expired &&
          Date.parse(b.expirationDate) > nowMs &&
          (b.betaDetail.internalBuildState === 'READY_FOR_BETA_TESTING' ||
            b.betaDetail.internalBuildState === 'IN_BETA_TESTING')
      )
    )
    if (ready) {
      plant('weather.ios.appStore.preparing', iosTrain, ready, 'PREPARE_FOR_SUBMISSION', {
        copyrighted: false
      })
    }
  }

  // macOS: the train before the current one is on sale, with its newest submittable build.
  const macTrain = trainAt('weather.mac.currentTrain')
  const macLive = macTrain && olderTrains(macTrain).find(train => buildsOf(train).some(submittable))
  if (macLive) plant('weather.mac.appStore.live', macLive, newestSubmittable(macLive), LIVE)

  // The widget's first submission, waiting for review with the first build of its newest train;
  // released automatically once approved (AFTER_APPROVAL, as in a recorded body).
  const widgetTrain = trainAt('widget.ios.newTrain')
  const firstBuild =
    widgetTrain &&
    buildsOf(widgetTrain)
      .filter(submittable)
      .sort((a, b) => uploaded(a) - uploaded(b))[0]
  if (widgetTrain && firstBuild) {
    plant('widget.ios.appStore.waitingForReview', widgetTrain, firstBuild, 'WAITING_FOR_REVIEW', {
      releaseType: 'AFTER_APPROVAL'
    })
  }
  return versions
}

// ---------------------------------------------------------------------------------------------
// Versions on the timeline

/** One moment of an App Store version's life. */
export interface AppStoreVersionStep {
  /** Seconds after the start signal (fractions allowed); steps in time order. */
  at: number
  /**
   * The appVersionState it moves to (appStoreState follows). The usual path is
   * PREPARE_FOR_SUBMISSION, WAITING_FOR_REVIEW, IN_REVIEW, PENDING_DEVELOPER_RELEASE,
   * READY_FOR_DISTRIBUTION; going on sale replaces the version on sale before it.
   */
  state: AppVersionState
}

export interface AppStoreVersionSchedule {
  /** Continue a version already in the catalogue (e.g. weather.ios.appStore.preparing). */
  appStoreVersionId?: string
  /** The app of a new version, by id or by exact bundle id. */
  appId?: string
  bundleId?: string
  /** Default IOS. */
  platform?: Platform
  /** The version string of a new version, e.g. '3.3'. */
  versionString?: string
  /**
   * The build to attach at the first step: by number (CFBundleVersion) among the app's builds of
   * that platform filed under the version's train ('3.3' and '3.3.0' are one train), or by id
   * (e.g. a scheduleUpload handle's buildId). Looked up when the step applies, so a build the
   * timeline uploads first can be attached; it must be VALID and APP_STORE_ELIGIBLE by then,
   * otherwise the version keeps its build (or none) and the event says why.
   */
  buildNumber?: string
  buildId?: string
  /** Of a new version; default MANUAL (released by hand from PENDING_DEVELOPER_RELEASE). */
  releaseType?: ReleaseType
  steps: AppStoreVersionStep[]
}

interface VersionPlan {
  version: SandboxAppStoreVersion
  /** Whether the version is in the store (listed) yet. */
  visible: boolean
  build?: { number: string } | { id: string }
  attached: boolean
}

/**
 * Adds an App Store version's life to the timeline: a new version appears at its first step
 * (createdDate is that moment), and each step moves its state. Returns the version's id.
 */
export function scheduleAppStoreVersion(
  timeline: Timeline,
  store: CatalogueStore,
  schedule: AppStoreVersionSchedule
): string {
  const plan = planVersion(store, timeline.ids, schedule)
  checkVersionSteps(plan, schedule.steps)
  const failure = plan.build && whyNotAttachable(store, plan, false)
  if (failure) throw new Error(`scheduleAppStoreVersion: ${failure}`)
  timeline.scheduleSteps(
    schedule.steps.map(step => ({
      at: step.at,
      subject: { appStoreVersionId: plan.version.id },
      apply: () => applyVersionStep(timeline, store, plan, step)
    }))
  )
  return plan.version.id
}

function planVersion(
  store: CatalogueStore,
  ids: IdSource,
  schedule: AppStoreVersionSchedule
): VersionPlan {
  const build =
    schedule.buildId !== undefined
      ? { id: schedule.buildId }
      : schedule.buildNumber !== undefined
        ? { number: schedule.buildNumber }
        : undefined
  if (schedule.appStoreVersionId !== undefined) {
    const version = store.appStoreVersions.get(schedule.appStoreVersionId)
    if (!version) {
      throw new Error(`scheduleAppStoreVersion: no version ${schedule.appStoreVersionId}`)
    }
    return { version, visible: true, build, attached: false }
  }
  const app = store.apps.find(
    candidate => candidate.id === schedule.appId || candidate.bundleId === schedule.bundleId
  )
  if (!app) {
    throw new Error(
      `scheduleAppStoreVersion: no app ${schedule.appId ?? schedule.bundleId ?? '(give appId or bundleId)'}`
    )
  }
  // Like CFBundleShortVersionString: one to three period-separated integers.
  if (!schedule.versionString || !/^\d+(\.\d+){0,2}$/.test(schedule.versionString)) {
    throw new Error(
      `scheduleAppStoreVersion: a new version needs a versionString such as '3.3', not ${String(schedule.versionString)}`
    )
  }
  const platform = schedule.platform ?? 'IOS'
  if (!PLATFORMS.includes(platform)) {
    throw new Error(`scheduleAppStoreVersion: unknown platform ${platform}`)
  }
  const releaseType = schedule.releaseType ?? 'MANUAL'
  if (!RELEASE_TYPES.includes(releaseType)) {
    throw new Error(`scheduleAppStoreVersion: unknown releaseType ${releaseType}`)
  }
  return {
    version: {
      id: ids.uuid(),
      appId: app.id,
      platform,
      versionString: schedule.versionString,
      appVersionState: 'PREPARE_FOR_SUBMISSION',
      copyright: null,
      releaseType,
      earliestReleaseDate: null,
      downloadable: true,
      createdDate: '',
      buildId: null
    },
    visible: false,
    build,
    attached: false
  }
}

/** Refuses schedules Apple could not produce, at scheduling time rather than mid-test. */
function checkVersionSteps(plan: VersionPlan, steps: readonly AppStoreVersionStep[]): void {
  const fail = (message: string): never => {
    throw new Error(`scheduleAppStoreVersion (${plan.version.versionString}): ${message}`)
  }
  if (!Array.isArray(steps) || steps.length === 0) fail('steps must list at least one step')
  let state: AppVersionState | undefined = plan.visible ? plan.version.appVersionState : undefined
  let last = 0
  for (const step of steps) {
    if (typeof step.at !== 'number' || !Number.isFinite(step.at) || step.at < 0) {
      fail(`step time ${String(step.at)} is not a number of seconds >= 0`)
    }
    if (step.at < last) fail(`steps must be in time order (${step.at} s after ${last} s)`)
    last = step.at
    if (!APP_VERSION_STATES.includes(step.state)) fail(`unknown appVersionState ${step.state}`)
    // A version on sale leaves that state only when a newer one replaces it.
    if (state === LIVE || state === REPLACED) fail(`a version ${state} does not change any more`)
    if (step.state === REPLACED) {
      fail(`${REPLACED} is what releasing a newer version does to the live one`)
    }
    state = step.state
  }
}

/** The build a plan names, as the store has it now. */
function plannedBuild(store: CatalogueStore, plan: VersionPlan): SandboxBuild | undefined {
  const wanted = plan.build
  if (!wanted) return undefined
  if ('id' in wanted) return store.build(wanted.id)
  const { version } = plan
  // Number, platform and version together (reference notes: the same number can exist under two
  // marketing versions on iOS), '3.3' and '3.3.0' being one train.
  return store.buildsOfApp(version.appId).find(build => {
    const train = store.preReleaseVersionOf(build)
    return (
      build.version === wanted.number &&
      train.platform === version.platform &&
      compareBuildNumbers(train.version, version.versionString) === 0
    )
  })
}

/**
 * Why the planned build cannot be attached now, or undefined when it can. A build not there yet
 * is fine when scheduling (`whenApplied` false): the timeline may upload it first.
 */
function whyNotAttachable(
  store: CatalogueStore,
  plan: VersionPlan,
  whenApplied: boolean
): string | undefined {
  const build = plannedBuild(store, plan)
  const name =
    plan.build && 'id' in plan.build ? `build ${plan.build.id}` : `build ${plan.build?.number}`
  if (!build) {
    return whenApplied
      ? `no ${name} of ${plan.version.versionString} on ${plan.version.platform}`
      : undefined
  }
  const attachedTo = store.appStoreVersions.ofBuild(build.id)
  if (attachedTo && attachedTo !== plan.version) {
    return `${name} already ships with version ${attachedTo.versionString}`
  }
  // Reference notes, "From upload to usable": an INTERNAL_ONLY build can never go to the App Store.
  if (build.buildAudienceType !== 'APP_STORE_ELIGIBLE') return `${name} is INTERNAL_ONLY`
  if (build.processingState !== 'VALID') return `${name} is ${build.processingState}, not VALID`
  return undefined
}

function applyVersionStep(
  timeline: Timeline,
  store: CatalogueStore,
  plan: VersionPlan,
  step: AppStoreVersionStep
): string[] {
  const changes: string[] = []
  const { version } = plan
  if (!plan.visible) {
    version.createdDate = formatPacific(timeline.instantAt(step.at))
    version.appVersionState = step.state
    store.appStoreVersions.add(version)
    plan.visible = true
    changes.push(`version ${version.versionString} ${version.platform} created`)
  }
  if (plan.build && !plan.attached) {
    plan.attached = true
    const failure = whyNotAttachable(store, plan, true)
    const build = plannedBuild(store, plan)
    if (failure || !build) changes.push(`build not attached: ${failure}`)
    else {
      store.appStoreVersions.attach(version, build.id)
      changes.push(`build ${build.version} attached`)
    }
  }
  const before = version.appVersionState
  const replaced = store.appStoreVersions.moveTo(version, step.state)
  if (step.state !== before || changes.length > 0) changes.push(`state ${step.state}`)
  for (const other of replaced) changes.push(`version ${other.versionString} ${REPLACED}`)
  return changes
}
