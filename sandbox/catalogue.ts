// A seeded, deterministic App Store Connect catalogue: apps, prerelease versions, builds with
// their TestFlight details, and build uploads, shaped like the data Apple returns, including the
// traps that break naive "latest build" logic. `landmarks` names the planted builds and uploads.
import {
  failureDetails,
  forAudience,
  settledBetaStates,
  UPLOAD_ERRORS,
  UPLOAD_WARNINGS,
  type BetaStates,
  type StateDetail
} from './lifecycle.js'
import type {
  BuildAudienceType,
  BuildUploadState,
  ExternalBetaState,
  InternalBetaState,
  Platform,
  ProcessingState
} from './schema.js'

export interface SandboxApp {
  id: string
  bundleId: string
  name: string
  sku: string
  primaryLocale: string
}

export interface SandboxPreReleaseVersion {
  id: string
  appId: string
  /**
   * Marketing version as spelled by the train's first upload, e.g. '2.3.0' or '2.3'. Apple files
   * later uploads spelled '2.3' / '2.3.0' under the same train and keeps this spelling.
   */
  version: string
  platform: Platform
}

export interface IconAssetToken {
  /** Ends with '/{w}x{h}bb.{f}', as Apple's image service expects. */
  templateUrl: string
  width: number
  height: number
}

/** A build's buildBetaDetails resource (TestFlight readiness), one per build. */
export interface SandboxBuildBetaDetail {
  /** Its own id: clients join it to the build through the relationship, not by id. */
  id: string
  autoNotifyEnabled: boolean
  internalBuildState: InternalBetaState
  externalBuildState: ExternalBetaState
}

export interface SandboxBuild {
  id: string
  appId: string
  preReleaseVersionId: string
  /** Build number (CFBundleVersion), one to three integers: '9', '512', '20302', '1.4.7', '4.69.0'. */
  version: string
  /** ISO 8601 in Pacific time, as Apple writes it: '2026-09-07T10:42:15-07:00'. */
  uploadedDate: string
  /** Upload date plus 90 calendar days in Pacific wall time (the offset may change). */
  expirationDate: string
  /**
   * Apple's flag: true when expired by hand or once Apple has noticed the expiration date passed.
   * The sandbox re-judges it against its clock on every request, `expiryLagMs` late.
   */
  expired: boolean
  /** How long after expirationDate Apple's `expired` flag still says false (default 0). */
  expiryLagMs?: number
  minOsVersion: string
  lsMinimumSystemVersion: string | null
  computedMinMacOsVersion: string | null
  iconAssetToken: IconAssetToken | null
  processingState: ProcessingState
  buildAudienceType: BuildAudienceType
  /** The export compliance answer; null while nobody has answered it (MISSING_EXPORT_COMPLIANCE). */
  usesNonExemptEncryption: boolean | null
  betaDetail: SandboxBuildBetaDetail
}

export interface StateDetails {
  state: BuildUploadState
  errors: StateDetail[]
  warnings: StateDetail[]
  infos: StateDetail[]
}

/** A buildUploads resource: what altool / Transporter / Xcode sent, before and after it became a build. */
export interface SandboxBuildUpload {
  id: string
  appId: string
  /** As spelled in this upload's Info.plist, which may differ from its train's stored spelling. */
  cfBundleShortVersionString: string
  cfBundleVersion: string
  platform: Platform
  createdDate: string
  /** When the file arrived; null while AWAITING_UPLOAD. */
  uploadedDate: string | null
  state: StateDetails
  /** The build it became; null while in flight, and for good when it FAILED. */
  buildId: string | null
}

export interface Catalogue {
  apps: SandboxApp[]
  preReleaseVersions: SandboxPreReleaseVersion[]
  builds: SandboxBuild[]
  buildUploads: SandboxBuildUpload[]
  /** Ids of the planted traps, by name (see LandmarkName); small catalogues may lack some. */
  landmarks: Landmarks
}

/**
 * Named traps, for test authors. `weather` is com.example.weather (the main app), `widget`
 * com.example.weather.widget, `weatherpro` com.example.weatherpro, `newsIos` com.example.news.ios.
 */
export type LandmarkName =
  // com.example.weather, iOS builds, newest upload first
  /** PROCESSING (internal/external PROCESSING), the newest iOS upload that became a build. */
  | 'weather.ios.processing'
  /** processingState FAILED (PROCESSING_EXCEPTION). */
  | 'weather.ios.failed'
  /** VALID, expirationDate ahead, expired by hand (EXPIRED). */
  | 'weather.ios.expiredByHand'
  /** The newest VALID non-expired iOS build: a hotfix of the previous version with a lower number, MISSING_EXPORT_COMPLIANCE, usesNonExemptEncryption null. */
  | 'weather.ios.latestValid'
  /** IN_EXPORT_COMPLIANCE_REVIEW (internal and external), usesNonExemptEncryption true; the highest VALID iOS build number. */
  | 'weather.ios.inExportComplianceReview'
  /** INTERNAL_ONLY, READY_FOR_BETA_TESTING / NOT_APPLICABLE: the newest build ready for internal testing. */
  | 'weather.ios.internalOnly'
  /** READY_FOR_BETA_TESTING / BETA_REJECTED: the newest build an App Store submission could use. */
  | 'weather.ios.betaRejected'
  /** READY_FOR_BETA_TESTING / READY_FOR_BETA_SUBMISSION. */
  | 'weather.ios.readyForBetaSubmission'
  /** READY_FOR_BETA_TESTING / IN_BETA_REVIEW. */
  | 'weather.ios.inBetaReview'
  /** IN_BETA_TESTING / WAITING_FOR_BETA_REVIEW. */
  | 'weather.ios.waitingForBetaReview'
  /** IN_BETA_TESTING / BETA_APPROVED: the newest build ready for external testing. */
  | 'weather.ios.betaApproved'
  // com.example.weather, other platforms
  /** MAC_OS, VALID, IN_BETA_TESTING / BETA_APPROVED: newer than every VALID iOS build. */
  | 'weather.mac.latestValid'
  /** MAC_OS, PROCESSING: the newest upload of the app. */
  | 'weather.mac.processing'
  // com.example.weather, uploads that never became builds (IOS, current train)
  /** FAILED with state.errors; cfBundleVersion one above the app's highest build number. */
  | 'weather.ios.upload.failed'
  /** PROCESSING, no build yet; cfBundleVersion two above the highest build number. */
  | 'weather.ios.upload.processing'
  /** AWAITING_UPLOAD, no uploadedDate; cfBundleVersion three above the highest build number. */
  | 'weather.ios.upload.awaiting'
  /** FAILED, same cfBundleVersion as weather.ios.latestValid, whose upload then succeeded. */
  | 'weather.ios.upload.failedThenReused'
  // prerelease versions (trains)
  /** IOS train stored as '2.x' (first upload); its later uploads say '2.x.0'. */
  | 'weather.ios.currentTrain'
  /** MAC_OS train of the same version stored as '2.x.0'; some later uploads say '2.x'. */
  | 'weather.mac.currentTrain'
  /** IOS train stored with a leading zero ('1.07'); later uploads say '1.7.0'. */
  | 'weatherpro.ios.leadingZeroTrain'
  /** Build numbers restart at 1 per version: the newest train, opened by the newest uploads. */
  | 'widget.ios.newTrain'
  /** The newest upload of the whole catalogue (build '2' of the new train). */
  | 'widget.ios.newest'
  /** The VALID non-expired build with the highest number: an older train's. */
  | 'widget.ios.highestValidBuildNumber'
  /** VALID, past its expirationDate, still `expired: false` for a few hours. */
  | 'newsIos.ios.expiryLagging'

export type Landmarks = Partial<Record<LandmarkName, string>>

export interface CatalogueOptions {
  /** PRNG seed; the same seed and `now` give the same catalogue. Default 1. */
  seed?: number
  /** The moment the catalogue is "taken"; every upload is before it. Default: the real time. */
  now?: Date
  /** Builds generated for each app. Default 600 (3,000 in total). */
  buildsPerApp?: number
}

export const DEFAULT_BUILDS_PER_APP = 600

/** How long TestFlight keeps a build, in calendar days. */
export const BUILD_LIFETIME_DAYS = 90

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** Uploads are spread over about nine months before `now`. */
const HISTORY_DAYS = 270
/** Ordinary uploads stop this long before `now`; only the planted traps are more recent. */
const QUIET_PERIOD = 4 * HOUR

// ---------------------------------------------------------------------------------------------
// Randomness

/** mulberry32: tiny, fast and good enough for test data; the same seed gives the same stream. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Mixes the seed with a stream number so each app has its own stream (adding one app does not reshuffle the others). */
function subSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

class Random {
  private readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  float(): number {
    return this.next()
  }
  int(minInclusive: number, maxInclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1))
  }
  chance(probability: number): boolean {
    return this.next() < probability
  }
  /** Picks a value by weight; the weights need not add up to 1. */
  pick<T>(weights: ReadonlyArray<readonly [T, number]>): T {
    let total = 0
    for (let i = 0; i < weights.length; i++) total += weights[i]![1]
    let r = this.next() * total
    for (let i = 0; i < weights.length - 1; i++) {
      r -= weights[i]![1]
      if (r < 0) return weights[i]![0]
    }
    return weights[weights.length - 1]![0]
  }
  /** A version 4 UUID drawn from the seeded stream (crypto.randomUUID would not be reproducible). */
  uuid(): string {
    const a = this.word()
    const b = this.word()
    const c = this.word()
    const d = this.word()
    return (
      hex8(a) +
      '-' +
      hex4(b >>> 16) +
      '-4' +
      hex4(b & 0xfff).slice(1) +
      '-' +
      hex4(((c >>> 16) & 0x3fff) | 0x8000) +
      '-' +
      hex4(c & 0xffff) +
      hex8(d)
    )
  }
  private word(): number {
    return (this.next() * 4294967296) >>> 0
  }
}

const HEX_BYTE = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'))
const hex4 = (n: number) => HEX_BYTE[(n >>> 8) & 0xff]! + HEX_BYTE[n & 0xff]!
const hex8 = (n: number) => hex4(n >>> 16) + hex4(n & 0xffff)

// ---------------------------------------------------------------------------------------------
// Pacific time, written by hand: Apple stamps dates in America/Los_Angeles, and doing the US DST
// rule directly is independent of the ICU data installed and fast enough for 20,000 builds.

const dstCache = new Map<number, readonly [number, number]>()

/** [start, end) of daylight saving time in UTC milliseconds for a year (rules since 2007). */
function pacificDstWindow(year: number): readonly [number, number] {
  const cached = dstCache.get(year)
  if (cached) return cached
  const march1 = new Date(Date.UTC(year, 2, 1)).getUTCDay()
  const secondSundayOfMarch = 1 + ((7 - march1) % 7) + 7
  const november1 = new Date(Date.UTC(year, 10, 1)).getUTCDay()
  const firstSundayOfNovember = 1 + ((7 - november1) % 7)
  // 02:00 PST is 10:00 UTC; 02:00 PDT is 09:00 UTC.
  const window = [
    Date.UTC(year, 2, secondSundayOfMarch, 10),
    Date.UTC(year, 10, firstSundayOfNovember, 9)
  ] as const
  dstCache.set(year, window)
  return window
}

const AVERAGE_YEAR_MS = 365.2425 * DAY

/** Offset of Pacific time from UTC at an instant, in minutes (-420 in summer, -480 in winter). */
export function pacificOffsetMinutes(utcMs: number): number {
  // The estimated year can be off by one only around New Year, far outside any DST window.
  const [start, end] = pacificDstWindow(1970 + Math.floor(utcMs / AVERAGE_YEAR_MS))
  return utcMs >= start && utcMs < end ? -420 : -480
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'))

/** Civil date from days since 1970-01-01 (H. Hinnant's algorithm), without allocating a Date. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day]
}

function formatWithOffset(utcMs: number, offsetMinutes: number): string {
  const localSeconds = Math.floor((utcMs + offsetMinutes * MINUTE) / 1000)
  const days = Math.floor(localSeconds / 86400)
  const secondOfDay = localSeconds - days * 86400
  const [year, month, day] = civilFromDays(days)
  const abs = Math.abs(offsetMinutes)
  return (
    `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}` +
    `T${TWO_DIGITS[Math.floor(secondOfDay / 3600)]}:${TWO_DIGITS[Math.floor(secondOfDay / 60) % 60]}:${TWO_DIGITS[secondOfDay % 60]}` +
    `${offsetMinutes < 0 ? '-' : '+'}${TWO_DIGITS[Math.floor(abs / 60)]}:${TWO_DIGITS[abs % 60]}`
  )
}

/** '2026-09-07T10:42:15-07:00' for an instant, in Pacific time. */
export function formatPacific(utcMs: number): string {
  return formatWithOffset(utcMs, pacificOffsetMinutes(utcMs))
}

/**
 * Adds calendar days in Pacific wall time, the way Apple's expiration dates read: uploaded
 * '2022-09-07T10:42:15-07:00' expires '2022-12-06T10:42:15-08:00' (same clock time, new offset).
 */
export function addPacificDays(utcMs: number, days: number): number {
  const wall = utcMs + pacificOffsetMinutes(utcMs) * MINUTE + days * DAY
  let offset = pacificOffsetMinutes(wall + 480 * MINUTE)
  offset = pacificOffsetMinutes(wall - offset * MINUTE)
  return wall - offset * MINUTE
}

// ---------------------------------------------------------------------------------------------
// The apps, and how each one numbers its builds

/**
 * Build-number schemes seen in the wild, chosen so that textual and numeric order disagree. Every
 * number is one to three period-separated integers, as Apple requires (reference notes, build
 * attributes: TN2420).
 * - counter: one integer per upload ('9', '10', … '512'); each marketing version starts at the
 *   next round number, and the skipped numbers are left for hotfixes of that version.
 * - marketing-dotted: major and minor of the marketing version plus a counter ('1.4.7',
 *   '1.10.2'), growing across versions.
 * - marketing-packed: major, two-digit minor and a counter per version ('20302' = 2.3, build 2).
 * - major-counter: '4.69.0', '4.70.0', … ; hotfixes bump the last part ('4.69.1').
 * - per-version: an integer that restarts at 1 with each marketing version. iOS allows it (a
 *   build number must be unique only within its marketing version: reference notes, "Versions as
 *   Apple compares them"), so the highest number across versions can be an old version's build.
 */
type BuildNumberScheme =
  | { kind: 'counter'; start: number }
  | { kind: 'marketing-dotted' }
  | { kind: 'marketing-packed' }
  | { kind: 'major-counter'; major: number; start: number }
  | { kind: 'per-version' }

type Spelling = 'short-first' | 'long-first'

interface AppPlan {
  app: SandboxApp
  platforms: ReadonlyArray<readonly [Platform, number]>
  scheme: BuildNumberScheme
  /** Platforms numbered on their own (a separate target), e.g. macOS beside an iOS counter. */
  platformSchemes?: Partial<Record<Platform, BuildNumberScheme>>
  firstVersion: readonly [number, number, number]
  /** Minor bumps only, so a train crosses 1.9 -> 1.10 (textual sorting trap). */
  minorBumpsOnly: boolean
  /** The newest version is a minor bump ('2.9.0'), so its trains can also be spelled '2.9'. */
  lastVersionMinor?: boolean
  /** The planted traps open a new marketing version (a new train) after the history. */
  trapsOpenNewTrain?: boolean
  /** How the trains of the newest version are spelled, per platform. */
  currentTrainSpelling?: Partial<Record<Platform, Spelling>>
  /** A train whose first upload wrote the minor part with a leading zero ('1.07'). */
  leadingZeroTrain?: { platform: Platform; versionIndex: number; landmark: LandmarkName }
}

/** The main app of the demo; its newest uploads carry the traps. */
export const MAIN_BUNDLE_ID = 'com.example.weather'
/** Owns the newest upload of the whole catalogue, and shares the main app's bundle-id prefix. */
export const NEWEST_UPLOAD_BUNDLE_ID = 'com.example.weather.widget'

const APP_PLANS: readonly AppPlan[] = [
  {
    app: {
      id: '1600000001',
      bundleId: MAIN_BUNDLE_ID,
      name: 'Weather',
      sku: 'EXAMPLE-WEATHER',
      primaryLocale: 'en-US'
    },
    // One app record, several platforms (reference notes, "Versions as Apple compares them").
    platforms: [
      ['IOS', 0.65],
      ['MAC_OS', 0.25],
      ['TV_OS', 0.1]
    ],
    scheme: { kind: 'counter', start: 1 },
    // The macOS target numbers '2.9.4' on its own: on macOS numbers must grow across versions.
    platformSchemes: { MAC_OS: { kind: 'marketing-dotted' } },
    firstVersion: [2, 0, 0],
    minorBumpsOnly: false,
    lastVersionMinor: true,
    currentTrainSpelling: { IOS: 'short-first', MAC_OS: 'long-first' }
  },
  {
    app: {
      id: '1600000002',
      bundleId: NEWEST_UPLOAD_BUNDLE_ID,
      name: 'Weather Widget',
      sku: 'EXAMPLE-WEATHER-WIDGET',
      primaryLocale: 'en-US'
    },
    platforms: [['IOS', 1]],
    scheme: { kind: 'per-version' },
    firstVersion: [1, 0, 0],
    minorBumpsOnly: false,
    trapsOpenNewTrain: true
  },
  {
    app: {
      id: '1600000003',
      bundleId: 'com.example.weatherpro',
      name: 'Weather Pro',
      sku: 'EXAMPLE-WEATHERPRO',
      primaryLocale: 'en-US'
    },
    platforms: [
      ['IOS', 0.5],
      ['TV_OS', 0.25],
      ['VISION_OS', 0.25]
    ],
    scheme: { kind: 'marketing-dotted' },
    firstVersion: [1, 4, 0],
    minorBumpsOnly: true,
    leadingZeroTrain: {
      platform: 'IOS',
      versionIndex: 3,
      landmark: 'weatherpro.ios.leadingZeroTrain'
    }
  },
  {
    app: {
      id: '1600000004',
      bundleId: 'com.example.news',
      name: 'Example News',
      sku: 'EXAMPLE-NEWS',
      primaryLocale: 'en-GB'
    },
    platforms: [
      ['IOS', 0.6],
      ['MAC_OS', 0.4]
    ],
    scheme: { kind: 'marketing-packed' },
    firstVersion: [2, 1, 0],
    minorBumpsOnly: true
  },
  {
    app: {
      id: '1600000005',
      bundleId: 'com.example.news.ios',
      name: 'Example News for iPhone',
      sku: 'EXAMPLE-NEWS-IOS',
      primaryLocale: 'en-GB'
    },
    platforms: [['IOS', 1]],
    scheme: { kind: 'major-counter', major: 4, start: 60 },
    firstVersion: [4, 2, 0],
    minorBumpsOnly: false
  }
]

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

/** Hands out build numbers in upload order, per the app's scheme, including hotfix numbers. */
class BuildNumberer {
  private counter: number
  private currentVersionIndex = -1
  /** counter scheme: numbers skipped at a version change, reserved for that version's hotfixes. */
  private readonly reserved = new Map<number, number[]>()
  /** per-version counters (dotted: per major.minor; packed and per-version: per version) */
  private readonly perVersion = new Map<string, number>()
  /** major-counter scheme: last counter of each version, and its hotfix count */
  private readonly lastCounter = new Map<number, number>()
  private readonly hotfixCount = new Map<number, number>()

  constructor(
    private readonly scheme: BuildNumberScheme,
    private readonly versions: readonly string[]
  ) {
    this.counter =
      scheme.kind === 'counter' || scheme.kind === 'major-counter' ? scheme.start - 1 : 0
  }

  /** Whether a hotfix number can still be given to a version (random hotfixes keep one spare). */
  canHotfix(versionIndex: number, keepSpare: boolean): boolean {
    if (this.scheme.kind !== 'counter') return true
    const pool = this.reserved.get(versionIndex) ?? []
    return pool.length > (keepSpare ? 1 : 0)
  }

  regular(versionIndex: number): string {
    if (versionIndex !== this.currentVersionIndex) {
      if (this.scheme.kind === 'counter' && this.currentVersionIndex >= 0) {
        // Start the new version at the next round ten, at least six numbers on.
        const next = Math.ceil((this.counter + 7) / 10) * 10
        const pool: number[] = []
        for (let n = this.counter + 1; n < next; n++) pool.push(n)
        this.reserved.set(this.currentVersionIndex, pool)
        this.counter = next - 1
      }
      this.currentVersionIndex = versionIndex
    }
    return this.take(versionIndex)
  }

  hotfix(versionIndex: number): string {
    if (this.scheme.kind === 'counter') {
      const pool = this.reserved.get(versionIndex)
      const n = pool?.shift()
      if (n === undefined) throw new Error('no reserved build number left for a hotfix')
      return String(n)
    }
    if (this.scheme.kind === 'major-counter') {
      const k = (this.hotfixCount.get(versionIndex) ?? 0) + 1
      this.hotfixCount.set(versionIndex, k)
      const base = this.lastCounter.get(versionIndex) ?? this.counter
      return `${this.scheme.major}.${base}.${k}`
    }
    return this.take(versionIndex)
  }

  private next(key: string): number {
    const n = (this.perVersion.get(key) ?? 0) + 1
    this.perVersion.set(key, n)
    return n
  }

  private take(versionIndex: number): string {
    const scheme = this.scheme
    switch (scheme.kind) {
      case 'counter':
        this.counter += 1
        return String(this.counter)
      case 'major-counter':
        this.counter += 1
        this.lastCounter.set(versionIndex, this.counter)
        return `${scheme.major}.${this.counter}.0`
      case 'marketing-dotted': {
        const [major, minor] = this.versions[versionIndex]!.split('.') as [string, string]
        return `${major}.${minor}.${this.next(`${major}.${minor}`)}`
      }
      case 'marketing-packed': {
        const [major, minor] = this.versions[versionIndex]!.split('.') as [string, string]
        const n = this.next(String(versionIndex))
        return `${major}${minor.padStart(2, '0')}${String(n).padStart(2, '0')}`
      }
      case 'per-version':
        return String(this.next(String(versionIndex)))
    }
  }
}

/**
 * Compares build numbers by their integer parts ('10' > '9', '1.10' > '1.9'), missing parts as 0:
 * used to plant uploads above an app's highest build, not by any answer of the sandbox.
 */
function compareBuildNumbers(a: string, b: string): number {
  const left = a.split('.')
  const right = b.split('.')
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = BigInt(left[i] ?? '0')
    const r = BigInt(right[i] ?? '0')
    if (l !== r) return l < r ? -1 : 1
  }
  return 0
}

/** A build number `steps` above another, bumping its last part ('612' -> '614', '1.4.9' -> '1.4.10'). */
function bumped(number: string, steps: number): string {
  const parts = number.split('.')
  parts[parts.length - 1] = String(BigInt(parts[parts.length - 1]!) + BigInt(steps))
  return parts.join('.')
}

// ---------------------------------------------------------------------------------------------
// Per-platform details

const MIN_OS: Record<Platform, readonly [string, string]> = {
  IOS: ['16.0', '17.0'],
  MAC_OS: ['13.0', '14.0'],
  TV_OS: ['17.0', '18.0'],
  VISION_OS: ['1.0', '2.0']
}

/** The macOS an iPhone/iPad build needs on Apple silicon, as Apple computes it. */
const IOS_TO_MAC: Record<string, string> = { '16.0': '13.0', '17.0': '14.0' }

/** minOsVersion, lsMinimumSystemVersion and computedMinMacOsVersion of a current build. */
export function currentOsRequirements(
  platform: Platform
): Pick<SandboxBuild, 'minOsVersion' | 'lsMinimumSystemVersion' | 'computedMinMacOsVersion'> {
  const minOs = MIN_OS[platform][1]
  return {
    minOsVersion: minOs,
    lsMinimumSystemVersion: platform === 'MAC_OS' ? minOs : null,
    computedMinMacOsVersion:
      platform === 'MAC_OS' ? minOs : platform === 'IOS' ? (IOS_TO_MAC[minOs] ?? null) : null
  }
}

const ICON_FILE: Record<Platform, readonly [string, number, number]> = {
  IOS: ['Icon-83.5@2x.png.png', 167, 167],
  MAC_OS: ['AppIcon-512@2x.png.png', 1024, 1024],
  TV_OS: ['AppIcon-Small.png.png', 400, 240],
  VISION_OS: ['AppIcon-1024.png.png', 1024, 1024]
}

function iconFor(platform: Platform, random: Random): IconAssetToken {
  const id = random.uuid()
  const [file, width, height] = ICON_FILE[platform]
  const purple = 111 + random.int(0, 20)
  const host = `is${random.int(1, 5)}-ssl.mzstatic.com`
  const templateUrl =
    `https://${host}/image/thumb/Purple${purple}/v4/` +
    `${id.slice(0, 2)}/${id.slice(2, 4)}/${id.slice(4, 6)}/${id}/${file}/{w}x{h}bb.{f}`
  return { templateUrl, width, height }
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

// ---------------------------------------------------------------------------------------------
// Generation

/** One upload to be numbered and described, in upload order. */
interface Slot {
  ms: number
  platform: Platform
  /** 'forced': a hotfix of the previous marketing version; 'none': may still become one by chance */
  hotfix: 'none' | 'forced'
  trap?: (build: SandboxBuild) => void
  landmark?: LandmarkName
  /** TestFlight states planted with the trap; otherwise they follow from the build. */
  beta?: readonly [InternalBetaState, ExternalBetaState]
  /** Belongs to the train the traps open (plan.trapsOpenNewTrain). */
  newTrain?: boolean
}

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
  return { apps, preReleaseVersions, builds, buildUploads, landmarks }
}

function trapsFor(plan: AppPlan, nowMs: number): Slot[] {
  const ago = (h: number, m: number, s = 0) => nowMs - h * HOUR - m * MINUTE - s * SECOND
  if (plan.app.bundleId === MAIN_BUNDLE_ID) {
    const ios = (
      ms: number,
      landmark: LandmarkName,
      trap: (b: SandboxBuild) => void,
      beta?: readonly [InternalBetaState, ExternalBetaState]
    ): Slot => ({ ms, platform: 'IOS', hotfix: 'none', trap, landmark, beta })
    // Oldest first. VALID iOS builds in every TestFlight state, so that "ready for internal
    // testing", "ready for external testing" and "usable for the App Store" each pick another
    // build than "latest VALID"; then a hotfix of the previous marketing version uploaded after
    // builds with higher numbers (the latest VALID iOS build, with export compliance missing), a
    // build expired by hand, a failed one and one still processing; and macOS builds newer than
    // all of them (the newest VALID build and the newest upload are not iOS).
    return [
      ios(ago(3, 55), 'weather.ios.betaApproved', answered, ['IN_BETA_TESTING', 'BETA_APPROVED']),
      ios(ago(3, 48), 'weather.ios.waitingForBetaReview', answered, [
        'IN_BETA_TESTING',
        'WAITING_FOR_BETA_REVIEW'
      ]),
      ios(ago(3, 41), 'weather.ios.inBetaReview', answered, [
        'READY_FOR_BETA_TESTING',
        'IN_BETA_REVIEW'
      ]),
      ios(ago(3, 34), 'weather.ios.readyForBetaSubmission', answered, [
        'READY_FOR_BETA_TESTING',
        'READY_FOR_BETA_SUBMISSION'
      ]),
      ios(ago(3, 27), 'weather.ios.betaRejected', answered, [
        'READY_FOR_BETA_TESTING',
        'BETA_REJECTED'
      ]),
      ios(
        ago(3, 20),
        'weather.ios.internalOnly',
        b => {
          answered(b)
          b.buildAudienceType = 'INTERNAL_ONLY'
        },
        ['READY_FOR_BETA_TESTING', 'NOT_APPLICABLE']
      ),
      ios(
        ago(3, 12),
        'weather.ios.inExportComplianceReview',
        b => {
          usable(b)
          b.usesNonExemptEncryption = true
        },
        ['IN_EXPORT_COMPLIANCE_REVIEW', 'IN_EXPORT_COMPLIANCE_REVIEW']
      ),
      {
        ms: ago(3, 4, 27),
        platform: 'IOS',
        hotfix: 'forced',
        landmark: 'weather.ios.latestValid',
        trap: b => {
          usable(b)
          b.usesNonExemptEncryption = null
        }
      },
      ios(ago(2, 9, 3), 'weather.ios.expiredByHand', b => {
        answered(b)
        b.expired = true
      }),
      ios(ago(0, 52, 41), 'weather.ios.failed', b => {
        b.processingState = 'FAILED'
        b.expired = false
      }),
      {
        ms: ago(0, 30, 8),
        platform: 'MAC_OS',
        hotfix: 'none',
        landmark: 'weather.mac.latestValid',
        trap: answered,
        beta: ['IN_BETA_TESTING', 'BETA_APPROVED']
      },
      ios(ago(0, 7, 12), 'weather.ios.processing', processing),
      {
        ms: ago(0, 4, 2),
        platform: 'MAC_OS',
        hotfix: 'none',
        landmark: 'weather.mac.processing',
        trap: processing
      }
    ]
  }
  if (plan.app.bundleId === NEWEST_UPLOAD_BUNDLE_ID) {
    // A new marketing version whose build numbers start again at 1.
    return [
      { ms: ago(1, 12, 40), platform: 'IOS', hotfix: 'none', trap: answered, newTrain: true },
      {
        ms: ago(0, 2, 5),
        platform: 'IOS',
        hotfix: 'none',
        trap: answered,
        newTrain: true,
        landmark: 'widget.ios.newest'
      }
    ]
  }
  if (plan.app.bundleId === 'com.example.news.ios') {
    // `expired` can lag `expirationDate` (reference notes, "Things that have broken in the
    // wild"): this build passed its date 40 minutes ago and Apple still says expired: false,
    // for six more hours.
    return [
      {
        ms: uploadedToExpireAt(nowMs - 40 * MINUTE),
        platform: 'IOS',
        hotfix: 'none',
        landmark: 'newsIos.ios.expiryLagging',
        trap: b => {
          answered(b)
          b.expired = false
          b.expiryLagMs = 6 * HOUR
        },
        beta: ['IN_BETA_TESTING', 'IN_BETA_TESTING']
      }
    ]
  }
  return []
}

/** The upload instant whose expiration (90 Pacific calendar days later) is `expiresMs`. */
function uploadedToExpireAt(expiresMs: number): number {
  let ms = expiresMs - BUILD_LIFETIME_DAYS * DAY
  for (let i = 0; i < 2; i++) ms += expiresMs - addPacificDays(ms, BUILD_LIFETIME_DAYS)
  return Math.floor(ms / 1000) * 1000
}

function usable(b: SandboxBuild): void {
  b.processingState = 'VALID'
  b.expired = false
  b.buildAudienceType = 'APP_STORE_ELIGIBLE'
}

/** Usable, with the export compliance question answered (Info.plist says no non-exempt encryption). */
function answered(b: SandboxBuild): void {
  usable(b)
  b.usesNonExemptEncryption = false
}

function processing(b: SandboxBuild): void {
  b.processingState = 'PROCESSING'
  b.buildAudienceType = 'APP_STORE_ELIGIBLE'
  b.iconAssetToken = null
  b.usesNonExemptEncryption = null
  b.expired = false
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
  const minOs = MIN_OS[platform][versionIndex < versionCount / 2 ? 0 : 1]
  const hasIcon = broken ? random.chance(0.5) : !random.chance(0.02)
  return {
    id: random.uuid(),
    appId: prv.appId,
    preReleaseVersionId: prv.id,
    version: number,
    uploadedDate: formatPacific(slot.ms),
    expirationDate: formatPacific(expiresMs),
    // Testers lose builds early when someone expires them by hand in App Store Connect.
    expired: naturallyExpired || (!broken && random.chance(0.04)),
    minOsVersion: minOs,
    lsMinimumSystemVersion: platform === 'MAC_OS' ? minOs : null,
    computedMinMacOsVersion:
      platform === 'MAC_OS' ? minOs : platform === 'IOS' ? (IOS_TO_MAC[minOs] ?? null) : null,
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
