// A seeded, deterministic App Store Connect catalogue: apps, prerelease versions, builds with
// their TestFlight details, and build uploads, shaped like the data Apple returns, including the
// traps that break naive "latest build" logic. `landmarks` names the planted builds and uploads.
// The apps are planned in app-plans.ts and the traps in traps.ts; here each app's upload history
// is generated, then its TestFlight details and uploads.
import { APP_PLANS, MAIN_BUNDLE_ID, type AppPlan } from './app-plans.js'
import { plantAppStoreVersions } from './app-store-versions.js'
import { BuildNumberer, bumped, compareBuildNumbers } from './build-numbers.js'
import {
  BUILD_LIFETIME_DAYS,
  failureDetails,
  forAudience,
  settledBetaStates,
  UPLOAD_ERRORS,
  UPLOAD_WARNINGS,
  type BetaStates,
  type StateDetail
} from './lifecycle.js'
import { plantFixedApps } from './fixed-apps.js'
import { iconFor, osRequirements } from './platform-details.js'
import { Random, subSeed } from './random.js'
import type {
  Catalogue,
  LandmarkName,
  Landmarks,
  SandboxBuild,
  SandboxBuildBetaDetail,
  SandboxBuildUpload,
  SandboxPreReleaseVersion,
  StateDetails
} from './records.js'
import type {
  BuildUploadState,
  ExternalBetaState,
  InternalBetaState,
  Platform,
  ProcessingState
} from './schema.js'
import { addPacificDays, DAY, formatPacific, HOUR, MINUTE, SECOND } from './time.js'
import { trapsFor, usable, type Slot } from './traps.js'

export interface CatalogueOptions {
  /** PRNG seed; the same seed and `now` give the same catalogue. Default 1. */
  seed?: number
  /** The moment the catalogue is "taken"; every upload is before it. Default: the real time. */
  now?: Date
  /** Builds generated for each app. Default 600 (3,000 in total). */
  buildsPerApp?: number
}

export const DEFAULT_BUILDS_PER_APP = 600

/** Uploads are spread over about nine months before `now`. */
const HISTORY_DAYS = 270
/** Ordinary uploads stop this long before `now`; only the planted traps are more recent. */
const QUIET_PERIOD = 4 * HOUR

export function generateCatalogue(options: CatalogueOptions = {}): Catalogue {
  const seed = options.seed ?? 1
  const nowMs = Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000
  const perApp = Math.max(1, Math.floor(options.buildsPerApp ?? DEFAULT_BUILDS_PER_APP))

  const apps = APP_PLANS.map(plan => ({ ...plan.app }))
  const preReleaseVersions: SandboxPreReleaseVersion[] = []
  const builds: SandboxBuild[] = []
  const uploaded: number[] = []
  const planted = new Set<SandboxBuild>()
  const results: AppResult[] = []

  APP_PLANS.forEach((plan, index) => {
    const random = new Random(subSeed(seed, index))
    const result = generateApp(plan, perApp, nowMs, random, new Random(subSeed(seed, 200 + index)))
    results.push(result)
    preReleaseVersions.push(...result.preReleaseVersions)
    builds.push(...result.builds)
    uploaded.push(...result.uploadedMs)
    for (const build of result.planted) planted.add(build)
  })

  ensureVariety(builds, uploaded, planted, nowMs, new Random(subSeed(seed, 1000)))

  // TestFlight states and uploads last, once every build's state is final; from streams of
  // their own, so that they do not reshuffle the builds.
  const buildUploads: SandboxBuildUpload[] = []
  const landmarks: Landmarks = {}
  APP_PLANS.forEach((plan, index) => {
    const random = new Random(subSeed(seed, 100 + index))
    decorateApp(plan, results[index]!, nowMs, random, buildUploads, landmarks)
  })
  const catalogue: Catalogue = { apps, preReleaseVersions, builds, buildUploads, landmarks }
  // App Store versions pick among the final builds, from a stream of their own.
  catalogue.appStoreVersions = plantAppStoreVersions(
    catalogue,
    nowMs,
    new Random(subSeed(seed, 300))
  )
  plantFixedApps(catalogue, nowMs, seed)
  return catalogue
}

// ---------------------------------------------------------------------------------------------
// Each app's upload history: trains, build numbers, builds

/** A prerelease version and how its uploads spell it. */
interface Train {
  prv: SandboxPreReleaseVersion
  /** Spelling of uploads after the first (which spelled prv.version). */
  later: string
  /** Chance that a later upload uses `later` rather than prv.version. */
  mix: number
  uploads: number
}

interface AppResult {
  preReleaseVersions: SandboxPreReleaseVersion[]
  builds: SandboxBuild[]
  /** upload instant of each build, same order as builds */
  uploadedMs: number[]
  /** builds that carry a planted trap and must not be altered afterwards */
  planted: Set<SandboxBuild>
  /** CFBundleShortVersionString of each build's upload, same order as builds */
  spelledAs: string[]
  /** the newest train per platform */
  currentTrains: Map<Platform, Train>
  pinnedBeta: Map<SandboxBuild, readonly [InternalBetaState, ExternalBetaState]>
  landmarks: Landmarks
}

function generateApp(
  plan: AppPlan,
  total: number,
  nowMs: number,
  random: Random,
  spelling: Random
): AppResult {
  // Small catalogues keep the newest traps and at least one ordinary build.
  const allTraps = trapsFor(plan, nowMs)
  const traps = allTraps.slice(allTraps.length - Math.min(allTraps.length, total - 1))
  const regularCount = total - traps.length
  const historyStart = nowMs - HISTORY_DAYS * DAY
  const historyEnd = nowMs - QUIET_PERIOD

  const regular: Slot[] = []
  for (let i = 0; i < regularCount; i++) {
    const ms =
      historyStart + Math.floor((random.float() * (historyEnd - historyStart)) / 1000) * 1000
    regular.push({ ms, platform: random.pick(plan.platforms), hotfix: 'none' })
  }
  regular.sort((a, b) => a.ms - b.ms)
  // The newest regular upload is a usable build on the current version: the one a
  // "highest build number" rule should find, next to the lower-numbered hotfix uploaded later.
  const newestRegular = regular[regular.length - 1]
  if (newestRegular && traps.length > 0 && !plan.trapsOpenNewTrain) {
    newestRegular.platform = 'IOS'
    newestRegular.trap = usable
  }
  const slots = [...regular, ...traps].sort((a, b) => a.ms - b.ms)

  const versionCount = Math.min(40, Math.max(2, Math.round(total / 60)))
  const newTrains = plan.trapsOpenNewTrain ? 1 : 0
  const versions = marketingVersions(
    plan,
    versionCount + newTrains,
    random,
    plan.lastVersionMinor === true
  )
  const currentIndex = versionCount - 1 + newTrains
  const numberers = new Map<string, BuildNumberer>()
  const numbererFor = (platform: Platform): BuildNumberer => {
    const own = plan.platformSchemes?.[platform]
    const key = own ? platform : 'default'
    let numberer = numberers.get(key)
    if (!numberer) {
      numberer = new BuildNumberer(own ?? plan.scheme, versions)
      numberers.set(key, numberer)
    }
    return numberer
  }
  const span = historyEnd - historyStart
  const versionOf = (ms: number) =>
    Math.min(versionCount - 1, Math.max(0, Math.floor(((ms - historyStart) / span) * versionCount)))
  /** When each version train started, to allow hotfixes only shortly after a new release. */
  const versionStart = (v: number) => historyStart + (v * span) / versionCount

  const trains = new Map<string, Train>()
  const preReleaseVersions: SandboxPreReleaseVersion[] = []
  const landmarks: Landmarks = {}
  const trainFor = (platform: Platform, versionIndex: number): Train => {
    const key = `${platform}|${versionIndex}`
    let train = trains.get(key)
    if (!train) {
      const [stored, later, mix] = trainSpelling(plan, platform, versionIndex, versions, spelling)
      const prv = { id: random.uuid(), appId: plan.app.id, version: stored, platform }
      train = { prv, later, mix, uploads: 0 }
      trains.set(key, train)
      preReleaseVersions.push(prv)
      const zero = plan.leadingZeroTrain
      if (zero?.platform === platform && zero.versionIndex === versionIndex) {
        landmarks[zero.landmark] = prv.id
      }
    }
    return train
  }

  const builds: SandboxBuild[] = []
  const uploadedMs: number[] = []
  const planted = new Set<SandboxBuild>()
  const spelledAs: string[] = []
  const pinnedBeta = new Map<SandboxBuild, readonly [InternalBetaState, ExternalBetaState]>()
  for (const slot of slots) {
    const current = slot.newTrain ? versionCount : versionOf(slot.ms)
    const numberer = numbererFor(slot.platform)
    let versionIndex = current
    let number: string
    const previous = current - 1
    const earlyInTrain = slot.ms - versionStart(current) < (span / versionCount) * 0.3
    // No hotfix numbers on macOS: there build numbers must grow across all versions
    // (reference notes, "Versions as Apple compares them").
    const wantsHotfix =
      slot.platform !== 'MAC_OS' &&
      (slot.hotfix === 'forced' || (earlyInTrain && random.chance(0.04) && !slot.trap))
    if (
      wantsHotfix &&
      previous >= 0 &&
      trains.has(`${slot.platform}|${previous}`) &&
      numberer.canHotfix(previous, slot.hotfix !== 'forced')
    ) {
      versionIndex = previous
      number = numberer.hotfix(previous)
    } else {
      number = numberer.regular(current)
    }
    const train = trainFor(slot.platform, versionIndex)
    const build = describeBuild(train.prv, number, slot, versionIndex, versionCount, nowMs, random)
    spelledAs.push(
      train.uploads === 0 || !spelling.chance(train.mix) ? train.prv.version : train.later
    )
    train.uploads += 1
    if (slot.trap) {
      slot.trap(build)
      planted.add(build)
    }
    if (slot.beta) pinnedBeta.set(build, slot.beta)
    if (slot.landmark) landmarks[slot.landmark] = build.id
    builds.push(build)
    uploadedMs.push(slot.ms)
  }

  const currentTrains = new Map<Platform, Train>()
  for (const [platform] of plan.platforms) {
    const train = trains.get(`${platform}|${currentIndex}`)
    if (train) currentTrains.set(platform, train)
  }
  const mainTrains: ReadonlyArray<readonly [Platform, LandmarkName]> = [
    ['IOS', 'weather.ios.currentTrain'],
    ['MAC_OS', 'weather.mac.currentTrain']
  ]
  if (plan.app.bundleId === MAIN_BUNDLE_ID) {
    for (const [platform, name] of mainTrains) {
      const train = currentTrains.get(platform)
      if (train) landmarks[name] = train.prv.id
    }
  }
  if (plan.trapsOpenNewTrain) {
    const train = currentTrains.get('IOS')
    if (train) landmarks['widget.ios.newTrain'] = train.prv.id
  }
  return {
    preReleaseVersions,
    builds,
    uploadedMs,
    planted,
    spelledAs,
    currentTrains,
    pinnedBeta,
    landmarks
  }
}

/** The marketing versions an app went through, oldest first. */
function marketingVersions(
  plan: AppPlan,
  count: number,
  random: Random,
  lastMinor: boolean
): string[] {
  let [major, minor, patch] = plan.firstVersion
  const versions = [`${major}.${minor}.${patch}`]
  while (versions.length < count) {
    const step =
      plan.minorBumpsOnly || (lastMinor && versions.length === count - 1)
        ? 'minor'
        : random.pick([
            ['minor', 0.7],
            ['patch', 0.2],
            ['major', 0.1]
          ] as const)
    if (step === 'major') [major, minor, patch] = [major + 1, 0, 0]
    else if (step === 'minor') [minor, patch] = [minor + 1, 0]
    else patch += 1
    versions.push(`${major}.${minor}.${patch}`)
  }
  return versions
}

/**
 * [stored spelling, spelling of later uploads, chance a later upload uses it]. Apple treats '2.3'
 * and '2.3.0' as one train but keeps the spelling of its first upload, which is the only one
 * `filter[preReleaseVersion.version]` finds (reference notes, "Versions as Apple compares them").
 * Some trains are first uploaded as '2.3', some later uploads of a '2.3.0' train say '2.3'; one
 * train (weatherpro) was first spelled with a leading zero, which the same note says Apple's
 * comparison ignores.
 */
function trainSpelling(
  plan: AppPlan,
  platform: Platform,
  versionIndex: number,
  versions: readonly string[],
  random: Random
): [string, string, number] {
  const canonical = versions[versionIndex]!
  const [major, minor, patch] = canonical.split('.') as [string, string, string]
  const short = `${major}.${minor}`
  const zero = plan.leadingZeroTrain
  if (zero?.platform === platform && zero.versionIndex === versionIndex) {
    return [`${major}.${minor.padStart(2, '0')}`, canonical, 1]
  }
  if (patch !== '0') return [canonical, canonical, 0]
  const current = versionIndex === versions.length - 1
  const planted = current ? plan.currentTrainSpelling?.[platform] : undefined
  if (planted === 'short-first') return [short, canonical, 1]
  if (planted === 'long-first') return [canonical, short, 0.5]
  if (!random.chance(0.2)) return [canonical, canonical, 0]
  return random.chance(0.5) ? [short, canonical, 0.4] : [canonical, short, 0.4]
}

const PROCESSING_STATE_WEIGHTS: ReadonlyArray<readonly [ProcessingState, number]> = [
  ['VALID', 0.945],
  ['FAILED', 0.035],
  ['INVALID', 0.02]
]

const ENCRYPTION_WEIGHTS: ReadonlyArray<readonly [boolean | null, number]> = [
  [false, 0.85],
  [true, 0.08],
  [null, 0.07]
]

/** Stands in until decorateApp gives each build its own, once the build's state is final. */
const PENDING_BETA_DETAIL: Readonly<SandboxBuildBetaDetail> = Object.freeze({
  id: '',
  autoNotifyEnabled: true,
  internalBuildState: 'PROCESSING',
  externalBuildState: 'PROCESSING'
})

function describeBuild(
  prv: SandboxPreReleaseVersion,
  number: string,
  slot: Slot,
  versionIndex: number,
  versionCount: number,
  nowMs: number,
  random: Random
): SandboxBuild {
  const platform = slot.platform
  const expiresMs = addPacificDays(slot.ms, BUILD_LIFETIME_DAYS)
  const processingState = random.pick(PROCESSING_STATE_WEIGHTS)
  const broken = processingState !== 'VALID'
  const naturallyExpired = expiresMs < nowMs
  const hasIcon = broken ? random.chance(0.5) : !random.chance(0.02)
  // The newer half of the versions requires the current OS versions.
  const os = osRequirements(platform, versionIndex >= versionCount / 2)
  return {
    id: random.uuid(),
    appId: prv.appId,
    preReleaseVersionId: prv.id,
    version: number,
    uploadedDate: formatPacific(slot.ms),
    expirationDate: formatPacific(expiresMs),
    // Testers lose builds early when someone expires them by hand in App Store Connect.
    expired: naturallyExpired || (!broken && random.chance(0.04)),
    minOsVersion: os.minOsVersion,
    lsMinimumSystemVersion: os.lsMinimumSystemVersion,
    computedMinMacOsVersion: os.computedMinMacOsVersion,
    iconAssetToken: hasIcon ? iconFor(platform, random) : null,
    processingState,
    buildAudienceType: random.chance(0.12) ? 'INTERNAL_ONLY' : 'APP_STORE_ELIGIBLE',
    usesNonExemptEncryption: random.pick(ENCRYPTION_WEIGHTS),
    betaDetail: PENDING_BETA_DETAIL
  }
}

/**
 * Small catalogues may miss a rare case by chance; plant one of each on older builds so every
 * catalogue has every processing state, both audiences and a build without an icon.
 */
function ensureVariety(
  builds: SandboxBuild[],
  uploadedMs: number[],
  planted: ReadonlySet<SandboxBuild>,
  nowMs: number,
  random: Random
): void {
  const older = builds.filter((build, i) => !planted.has(build) && uploadedMs[i]! < nowMs - DAY)
  if (older.length === 0) return
  const some = () => older[random.int(0, older.length - 1)]!
  if (!builds.some(b => b.processingState === 'INVALID')) some().processingState = 'INVALID'
  if (!builds.some(b => b.processingState === 'FAILED')) some().processingState = 'FAILED'
  if (!builds.some(b => b.buildAudienceType === 'INTERNAL_ONLY'))
    some().buildAudienceType = 'INTERNAL_ONLY'
  if (!builds.some(b => b.iconAssetToken === null)) some().iconAssetToken = null
}

// ---------------------------------------------------------------------------------------------
// TestFlight states and uploads

const RECENT_EXTERNAL: ReadonlyArray<readonly [ExternalBetaState, number]> = [
  ['READY_FOR_BETA_SUBMISSION', 0.4],
  ['WAITING_FOR_BETA_REVIEW', 0.2],
  ['IN_BETA_REVIEW', 0.1],
  ['IN_BETA_TESTING', 0.2],
  ['BETA_REJECTED', 0.1]
]
const SETTLED_EXTERNAL: ReadonlyArray<readonly [ExternalBetaState, number]> = [
  ['IN_BETA_TESTING', 0.4],
  ['READY_FOR_BETA_SUBMISSION', 0.4],
  ['BETA_APPROVED', 0.1],
  ['BETA_REJECTED', 0.05],
  ['READY_FOR_BETA_TESTING', 0.05]
]

/**
 * Where a build's TestFlight life got to by the time the catalogue is taken: the settled states
 * (lifecycle.ts) unless it is a usable build, which someone may have distributed, submitted for
 * beta review (recent builds may still wait for it) or sent to export compliance review.
 */
function randomBetaStates(build: SandboxBuild, ageMs: number, random: Random): BetaStates {
  const settled = settledBetaStates(build, build.expired)
  if (settled.internalBuildState !== 'READY_FOR_BETA_TESTING') return settled
  if (build.usesNonExemptEncryption === true && ageMs < 3 * DAY && random.chance(0.3)) {
    return {
      internalBuildState: 'IN_EXPORT_COMPLIANCE_REVIEW',
      externalBuildState: forAudience(build.buildAudienceType, 'IN_EXPORT_COMPLIANCE_REVIEW')
    }
  }
  return {
    internalBuildState: random.chance(0.75) ? 'IN_BETA_TESTING' : 'READY_FOR_BETA_TESTING',
    externalBuildState: forAudience(
      build.buildAudienceType,
      random.pick(ageMs < 2 * DAY ? RECENT_EXTERNAL : SETTLED_EXTERNAL)
    )
  }
}

/**
 * The empty StateDetail list, shared (frozen) by the catalogue's thousands of uploads to keep
 * generation fast: replace a list, never push into it.
 */
const NONE = Object.freeze([]) as unknown as StateDetail[]

function uploadRecord(
  random: Random,
  build: Pick<SandboxBuild, 'appId' | 'version'>,
  spelled: string,
  platform: Platform,
  createdMs: number,
  uploaded: number | string | null,
  state: BuildUploadState,
  details: Partial<Omit<StateDetails, 'state'>> = {},
  buildId: string | null = null
): SandboxBuildUpload {
  return {
    id: random.uuid(),
    appId: build.appId,
    cfBundleShortVersionString: spelled,
    cfBundleVersion: build.version,
    platform,
    createdDate: formatPacific(createdMs),
    uploadedDate: typeof uploaded === 'number' ? formatPacific(uploaded) : uploaded,
    state: {
      state,
      errors: details.errors ?? NONE,
      warnings: details.warnings ?? NONE,
      infos: details.infos ?? NONE
    },
    buildId
  }
}

/**
 * Every build gets its TestFlight details and its upload (COMPLETE, created a minute or so before
 * the file arrived). Now and then an earlier upload of the same number FAILED and the number was
 * used again, which Apple permits (a peer's upload gate documents it). The main app also gets
 * uploads that never became builds, numbered above all its builds: a "next build number" read
 * from /v1/builds alone collides with them (reference notes, "From upload to usable").
 */
function decorateApp(
  plan: AppPlan,
  result: AppResult,
  nowMs: number,
  random: Random,
  uploads: SandboxBuildUpload[],
  landmarks: Landmarks
): void {
  Object.assign(landmarks, result.landmarks)
  const platformOf = new Map(result.preReleaseVersions.map(prv => [prv.id, prv.platform]))
  const hotfixId = result.landmarks['weather.ios.latestValid']
  let hotfixUpload: SandboxBuildUpload | undefined
  result.builds.forEach((build, i) => {
    const ms = result.uploadedMs[i]!
    const pinned = result.pinnedBeta.get(build)
    const states: BetaStates = pinned
      ? { internalBuildState: pinned[0], externalBuildState: pinned[1] }
      : randomBetaStates(build, nowMs - ms, random)
    build.betaDetail = {
      id: random.uuid(),
      autoNotifyEnabled: random.chance(0.8),
      internalBuildState: states.internalBuildState,
      externalBuildState: states.externalBuildState
    }

    const platform = platformOf.get(build.preReleaseVersionId)!
    const spelled = result.spelledAs[i]!
    const createdMs = ms - random.int(10, 90) * SECOND
    if (!result.planted.has(build) && random.chance(0.015)) {
      const failedMs = createdMs - random.int(5, 40) * MINUTE
      const errors = failureDetails(random.int(0, 2))
      uploads.push(
        uploadRecord(random, build, spelled, platform, failedMs, failedMs + 40 * SECOND, 'FAILED', {
          errors
        })
      )
    }
    const warnings = random.chance(0.05) ? [{ ...UPLOAD_WARNINGS.pushEntitlement }] : NONE
    const upload = uploadRecord(
      random,
      build,
      spelled,
      platform,
      createdMs,
      build.uploadedDate,
      'COMPLETE',
      { warnings },
      build.id
    )
    uploads.push(upload)
    if (build.id === hotfixId) hotfixUpload = upload
  })

  if (plan.trapsOpenNewTrain) {
    const highest = result.builds
      .filter(
        b => b.processingState === 'VALID' && !b.expired && Date.parse(b.expirationDate) > nowMs
      )
      .reduce<SandboxBuild | undefined>(
        (best, b) =>
          !best ||
          compareBuildNumbers(b.version, best.version) > 0 ||
          (compareBuildNumbers(b.version, best.version) === 0 &&
            Date.parse(b.uploadedDate) > Date.parse(best.uploadedDate))
            ? b
            : best,
        undefined
      )
    if (highest) landmarks['widget.ios.highestValidBuildNumber'] = highest.id
  }

  const train = result.currentTrains.get('IOS')
  if (plan.app.bundleId !== MAIN_BUNDLE_ID || !train || result.builds.length === 0) return
  const highest = result.builds.reduce(
    (max, b) => (compareBuildNumbers(b.version, max) > 0 ? b.version : max),
    result.builds[0]!.version
  )
  const app = { appId: plan.app.id }
  const ago = (m: number, s: number) => nowMs - m * MINUTE - s * SECOND
  const inFlight: ReadonlyArray<
    readonly [LandmarkName, number, number, number | null, BuildUploadState, StateDetail[]]
  > = [
    [
      'weather.ios.upload.failed',
      1,
      ago(25, 3),
      ago(24, 11),
      'FAILED',
      [UPLOAD_ERRORS.missingIcon]
    ],
    ['weather.ios.upload.processing', 2, ago(3, 20), ago(2, 41), 'PROCESSING', []],
    ['weather.ios.upload.awaiting', 3, ago(0, 50), null, 'AWAITING_UPLOAD', []]
  ]
  for (const [name, steps, createdMs, uploadedMs, state, errors] of inFlight) {
    const number = { ...app, version: bumped(highest, steps) }
    const upload = uploadRecord(random, number, train.later, 'IOS', createdMs, uploadedMs, state, {
      errors: errors.map(error => ({ ...error }))
    })
    uploads.push(upload)
    landmarks[name] = upload.id
  }
  const hotfix = result.builds.find(b => b.id === hotfixId)
  if (hotfix && hotfixUpload) {
    const createdMs = Date.parse(hotfixUpload.createdDate) - 9 * MINUTE
    const failed = uploadRecord(
      random,
      hotfix,
      hotfixUpload.cfBundleShortVersionString,
      'IOS',
      createdMs,
      createdMs + 55 * SECOND,
      'FAILED',
      { errors: [{ ...UPLOAD_ERRORS.invalidSignature }] }
    )
    uploads.push(failed)
    landmarks['weather.ios.upload.failedThenReused'] = failed.id
  }
}
