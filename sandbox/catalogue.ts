// A seeded, deterministic App Store Connect catalogue: apps, prerelease versions and builds
// shaped like the data Apple returns, including the traps that break naive "latest build" logic.
import type { BuildAudienceType, Platform, ProcessingState } from './schema.js'

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
  /** Marketing version (CFBundleShortVersionString), e.g. '2.3.0'. */
  version: string
  platform: Platform
}

export interface IconAssetToken {
  /** Ends with '/{w}x{h}bb.{f}', as Apple's image service expects. */
  templateUrl: string
  width: number
  height: number
}

export interface SandboxBuild {
  id: string
  appId: string
  preReleaseVersionId: string
  /** Build number (CFBundleVersion): '9', '512', '20302', '1.4.0.7', '4.69.0'. */
  version: string
  /** ISO 8601 in Pacific time, as Apple writes it: '2026-09-07T10:42:15-07:00'. */
  uploadedDate: string
  /** Upload date plus 90 calendar days in Pacific wall time (the offset may change). */
  expirationDate: string
  /** True when the expiration date has passed, or when the build was expired by hand. */
  expired: boolean
  minOsVersion: string
  lsMinimumSystemVersion: string | null
  computedMinMacOsVersion: string | null
  iconAssetToken: IconAssetToken | null
  processingState: ProcessingState
  buildAudienceType: BuildAudienceType
  usesNonExemptEncryption: boolean | null
}

export interface Catalogue {
  apps: SandboxApp[]
  preReleaseVersions: SandboxPreReleaseVersion[]
  builds: SandboxBuild[]
}

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

const MINUTE = 60_000
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
 * Build-number schemes seen in the wild, chosen so that textual and numeric order disagree:
 * - counter: one integer per upload ('9', '10', … '512'); each marketing version starts at the
 *   next round number, and the skipped numbers are left for hotfixes of that version.
 * - marketing-dotted: marketing version plus a counter per version ('1.4.0.7', '1.10.0.2').
 * - marketing-packed: major, two-digit minor and a counter per version ('20302' = 2.3, build 2).
 * - major-counter: '4.69.0', '4.70.0', … ; hotfixes bump the last part ('4.69.1').
 */
type BuildNumberScheme =
  | { kind: 'counter'; start: number }
  | { kind: 'marketing-dotted' }
  | { kind: 'marketing-packed' }
  | { kind: 'major-counter'; major: number; start: number }

interface AppPlan {
  app: SandboxApp
  platforms: ReadonlyArray<readonly [Platform, number]>
  scheme: BuildNumberScheme
  firstVersion: readonly [number, number, number]
  /** Minor bumps only, so a train crosses 1.9 -> 1.10 (textual sorting trap). */
  minorBumpsOnly: boolean
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
    platforms: [
      ['IOS', 0.75],
      ['MAC_OS', 0.25]
    ],
    scheme: { kind: 'counter', start: 1 },
    firstVersion: [2, 0, 0],
    minorBumpsOnly: false
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
    scheme: { kind: 'counter', start: 480 },
    firstVersion: [1, 0, 0],
    minorBumpsOnly: false
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
    minorBumpsOnly: true
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

function marketingVersions(plan: AppPlan, count: number, random: Random): string[] {
  let [major, minor, patch] = plan.firstVersion
  const versions = [`${major}.${minor}.${patch}`]
  while (versions.length < count) {
    const step = plan.minorBumpsOnly
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
  /** per-marketing-version counters (dotted and packed schemes) */
  private readonly perVersion = new Map<number, number>()
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
      case 'marketing-dotted':
      case 'marketing-packed': {
        const n = (this.perVersion.get(versionIndex) ?? 0) + 1
        this.perVersion.set(versionIndex, n)
        const marketing = this.versions[versionIndex]!
        if (scheme.kind === 'marketing-dotted') return `${marketing}.${n}`
        const [major, minor] = marketing.split('.')
        return `${major}${minor!.padStart(2, '0')}${String(n).padStart(2, '0')}`
      }
    }
  }
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

// ---------------------------------------------------------------------------------------------
// Generation

/** One upload to be numbered and described, in upload order. */
interface Slot {
  ms: number
  platform: Platform
  /** 'forced': a hotfix of the previous marketing version; 'none': may still become one by chance */
  hotfix: 'none' | 'forced'
  trap?: (build: SandboxBuild) => void
}

interface AppResult {
  preReleaseVersions: SandboxPreReleaseVersion[]
  builds: SandboxBuild[]
  /** upload instant of each build, same order as builds */
  uploadedMs: number[]
  /** builds that carry a planted trap and must not be altered afterwards */
  planted: Set<SandboxBuild>
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

  APP_PLANS.forEach((plan, index) => {
    const random = new Random(subSeed(seed, index))
    const result = generateApp(plan, perApp, nowMs, random)
    preReleaseVersions.push(...result.preReleaseVersions)
    builds.push(...result.builds)
    uploaded.push(...result.uploadedMs)
    for (const build of result.planted) planted.add(build)
  })

  ensureVariety(builds, uploaded, planted, nowMs, new Random(subSeed(seed, 1000)))
  return { apps, preReleaseVersions, builds }
}

function trapsFor(plan: AppPlan, nowMs: number): Slot[] {
  if (plan.app.bundleId === MAIN_BUNDLE_ID) {
    // Oldest first. A hotfix of the previous marketing version, uploaded after builds with
    // higher numbers; then a build expired by hand, a failed one, and one still processing.
    return [
      {
        ms: nowMs - 3 * HOUR - 4 * MINUTE - 27_000,
        platform: 'IOS',
        hotfix: 'forced',
        trap: usable
      },
      {
        ms: nowMs - 2 * HOUR - 9 * MINUTE - 3_000,
        platform: 'IOS',
        hotfix: 'none',
        trap: b => {
          usable(b)
          b.expired = true
        }
      },
      {
        ms: nowMs - 52 * MINUTE - 41_000,
        platform: 'IOS',
        hotfix: 'none',
        trap: b => {
          b.processingState = 'FAILED'
          b.expired = false
        }
      },
      {
        ms: nowMs - 7 * MINUTE - 12_000,
        platform: 'IOS',
        hotfix: 'none',
        trap: b => {
          b.processingState = 'PROCESSING'
          b.iconAssetToken = null
          b.usesNonExemptEncryption = null
          b.expired = false
        }
      }
    ]
  }
  if (plan.app.bundleId === NEWEST_UPLOAD_BUNDLE_ID) {
    return [{ ms: nowMs - 2 * MINUTE - 5_000, platform: 'IOS', hotfix: 'none', trap: usable }]
  }
  return []
}

function usable(b: SandboxBuild): void {
  b.processingState = 'VALID'
  b.expired = false
  b.buildAudienceType = 'APP_STORE_ELIGIBLE'
}

function generateApp(plan: AppPlan, total: number, nowMs: number, random: Random): AppResult {
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
  if (newestRegular && traps.length > 0) {
    newestRegular.platform = 'IOS'
    newestRegular.trap = usable
  }
  const slots = [...regular, ...traps]

  const versionCount = Math.min(40, Math.max(2, Math.round(total / 60)))
  const versions = marketingVersions(plan, versionCount, random)
  const numberer = new BuildNumberer(plan.scheme, versions)
  const span = historyEnd - historyStart
  const versionOf = (ms: number) =>
    Math.min(versionCount - 1, Math.max(0, Math.floor(((ms - historyStart) / span) * versionCount)))
  /** When each version train started, to allow hotfixes only shortly after a new release. */
  const versionStart = (v: number) => historyStart + (v * span) / versionCount

  const prvByKey = new Map<string, SandboxPreReleaseVersion>()
  const preReleaseVersions: SandboxPreReleaseVersion[] = []
  const prvFor = (platform: Platform, versionIndex: number) => {
    const key = `${platform}|${versionIndex}`
    let prv = prvByKey.get(key)
    if (!prv) {
      prv = { id: random.uuid(), appId: plan.app.id, version: versions[versionIndex]!, platform }
      prvByKey.set(key, prv)
      preReleaseVersions.push(prv)
    }
    return prv
  }

  const builds: SandboxBuild[] = []
  const uploadedMs: number[] = []
  const planted = new Set<SandboxBuild>()
  for (const slot of slots) {
    const current = versionOf(slot.ms)
    let versionIndex = current
    let number: string
    const previous = current - 1
    const earlyInTrain = slot.ms - versionStart(current) < (span / versionCount) * 0.3
    const wantsHotfix =
      slot.hotfix === 'forced' || (earlyInTrain && random.chance(0.04) && !slot.trap)
    if (
      wantsHotfix &&
      previous >= 0 &&
      prvByKey.has(`${slot.platform}|${previous}`) &&
      numberer.canHotfix(previous, slot.hotfix !== 'forced')
    ) {
      versionIndex = previous
      number = numberer.hotfix(previous)
    } else {
      number = numberer.regular(current)
    }
    const prv = prvFor(slot.platform, versionIndex)
    const build = describeBuild(plan, prv, number, slot, versionIndex, versionCount, nowMs, random)
    if (slot.trap) {
      slot.trap(build)
      planted.add(build)
    }
    builds.push(build)
    uploadedMs.push(slot.ms)
  }
  return { preReleaseVersions, builds, uploadedMs, planted }
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

function describeBuild(
  plan: AppPlan,
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
    appId: plan.app.id,
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
    usesNonExemptEncryption: random.pick(ENCRYPTION_WEIGHTS)
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
