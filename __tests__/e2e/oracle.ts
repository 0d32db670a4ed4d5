// The expected answer, computed straight from the sandbox's catalogue, independently of the
// action's own selection code: a test fails if the two disagree.
import type {
  Catalogue,
  Platform,
  SandboxBuild,
  SandboxPreReleaseVersion
} from '../../sandbox/index.js'

/** Issue 11's readiness values, as the `ready-for` input spells them. */
export type ReadyFor = 'any' | 'internal-testing' | 'external-testing' | 'app-store'

export interface Question {
  appId: string
  /** As the platform input: IOS when unset (the action's default), 'any' for every platform. */
  platform?: string
  /** Matched by release train: '1.4', '1.4.0' and '01.4' are one version. */
  appVersion?: string
  buildNumber?: string
  audience?: string
  states?: string[]
  includeExpired?: boolean
  /** Readiness from the TestFlight states the catalogue holds (for builds not expired). */
  readyFor?: ReadyFor
  latestBy?: 'uploaded-date' | 'build-number' | 'app-version'
  now: Date
}

export interface Expected {
  build: SandboxBuild
  preReleaseVersion: SandboxPreReleaseVersion
  matching: number
}

/** Dotted numbers as lists of big integers, compared element by element; missing parts are 0. */
function numberParts(version: string): bigint[] {
  return version.split('.').map(part => BigInt(part))
}

function compareNumbers(a: string, b: string): number {
  const left = numberParts(a)
  const right = numberParts(b)
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = left[i] ?? 0n
    const r = right[i] ?? 0n
    if (l !== r) return l < r ? -1 : 1
  }
  return 0
}

function byBuildNumber(a: SandboxBuild, b: SandboxBuild): number {
  return compareNumbers(a.version, b.version)
}

/** One release train however it is spelled: equal as numbers, part by part ('1.07' = '1.7.0'). */
export function sameTrain(a: string, b: string): boolean {
  return compareNumbers(a, b) === 0
}

const uploaded = (build: SandboxBuild): number => new Date(build.uploadedDate).getTime()

const INTERNAL_READY = ['READY_FOR_BETA_TESTING', 'IN_BETA_TESTING']
const EXTERNAL_READY = ['READY_FOR_BETA_TESTING', 'IN_BETA_TESTING', 'BETA_APPROVED']
const APP_STORE_BLOCKING = [
  'MISSING_EXPORT_COMPLIANCE',
  'IN_EXPORT_COMPLIANCE_REVIEW',
  'PROCESSING_EXCEPTION',
  'PROCESSING'
]

/** Whether a build is ready for a ready-for value, over the TestFlight states the catalogue holds. */
export function isReady(build: SandboxBuild, readyFor: ReadyFor): boolean {
  const { internalBuildState, externalBuildState } = build.betaDetail
  switch (readyFor) {
    case 'any':
      return true
    case 'internal-testing':
      return INTERNAL_READY.includes(internalBuildState)
    case 'external-testing':
      return EXTERNAL_READY.includes(externalBuildState)
    case 'app-store':
      return (
        build.buildAudienceType !== 'INTERNAL_ONLY' &&
        !APP_STORE_BLOCKING.includes(internalBuildState)
      )
  }
}

/** Expired by Apple's flag, or by its expiration date, whatever the flag says. */
export function isExpiredAt(build: SandboxBuild, now: Date): boolean {
  return build.expired || new Date(build.expirationDate).getTime() <= now.getTime()
}

export function expectedBuild(catalogue: Catalogue, question: Question): Expected | undefined {
  const preReleases = new Map(catalogue.preReleaseVersions.map(prv => [prv.id, prv]))
  const states = question.states ?? ['VALID']
  const platform = question.platform ?? 'IOS'
  const readyFor = question.readyFor ?? 'any'
  if (readyFor !== 'any' && question.includeExpired) {
    throw new Error('the oracle judges readiness of builds not expired only')
  }
  const matching = catalogue.builds.filter(build => {
    const prv = preReleases.get(build.preReleaseVersionId)!
    return (
      build.appId === question.appId &&
      states.includes(build.processingState) &&
      (question.includeExpired || !isExpiredAt(build, question.now)) &&
      (platform === 'any' || prv.platform === platform) &&
      (!question.appVersion || sameTrain(prv.version, question.appVersion)) &&
      (!question.buildNumber || build.version === question.buildNumber) &&
      (!question.audience || build.buildAudienceType === question.audience) &&
      isReady(build, readyFor)
    )
  })
  const appVersionOf = (build: SandboxBuild): string =>
    preReleases.get(build.preReleaseVersionId)!.version
  const ranked = [...matching].sort((a, b) => {
    switch (question.latestBy) {
      case 'build-number':
        return byBuildNumber(b, a) || uploaded(b) - uploaded(a)
      case 'app-version':
        return (
          compareNumbers(appVersionOf(b), appVersionOf(a)) ||
          byBuildNumber(b, a) ||
          uploaded(b) - uploaded(a)
        )
      default:
        return uploaded(b) - uploaded(a) || byBuildNumber(b, a)
    }
  })
  const build = ranked[0]
  if (!build) return undefined
  return {
    build,
    preReleaseVersion: preReleases.get(build.preReleaseVersionId)!,
    matching: matching.length
  }
}

export interface NextBuildNumberQuestion {
  appId: string
  /** IOS when unset, as the action's default; 'any' for every platform. */
  platform?: Platform | 'any'
  appVersion?: string
  /** initial-build-number: '1' when unset. */
  initial?: string
}

/**
 * The next build number by Apple's rules: one more than the highest number the app uses,
 * in builds (any state) and uploads (any state); across every version on macOS, or on any
 * platform when the app has a macOS version; within appVersion elsewhere. Never below
 * `initial`; numbers with a part of more than 18 digits are not bumped.
 */
export function expectedNextBuildNumber(
  catalogue: Catalogue,
  question: NextBuildNumberQuestion
): { next: string; builds: number; highest: string | undefined } {
  const platform = question.platform ?? 'IOS'
  const initial = question.initial ?? '1'
  const preReleases = new Map(catalogue.preReleaseVersions.map(prv => [prv.id, prv]))
  const appHasMac = catalogue.preReleaseVersions.some(
    prv => prv.appId === question.appId && prv.platform === 'MAC_OS'
  )
  const acrossVersions = platform === 'MAC_OS' || (platform === 'any' && appHasMac)
  const onPlatform = (candidate: string): boolean => platform === 'any' || candidate === platform
  const inTrain = (version: string): boolean =>
    acrossVersions || !question.appVersion || sameTrain(version, question.appVersion)
  const builds = catalogue.builds.filter(build => {
    const prv = preReleases.get(build.preReleaseVersionId)!
    return build.appId === question.appId && onPlatform(prv.platform) && inTrain(prv.version)
  })
  const uploads = catalogue.buildUploads.filter(
    upload =>
      upload.appId === question.appId &&
      onPlatform(upload.platform) &&
      inTrain(upload.cfBundleShortVersionString)
  )
  const numbers = [...builds.map(build => build.version), ...uploads.map(u => u.cfBundleVersion)]
  const highest = numbers
    .filter(number => /^\d+(\.\d+)*$/.test(number) && number.split('.').every(p => p.length <= 18))
    .sort(compareNumbers)
    .at(-1)
  if (highest === undefined) return { next: initial, builds: builds.length, highest }
  const parts = highest.split('.')
  parts[parts.length - 1] = String(BigInt(parts.at(-1)!) + 1n)
  const next = parts.join('.')
  return {
    next: compareNumbers(next, initial) < 0 ? initial : next,
    builds: builds.length,
    highest
  }
}
