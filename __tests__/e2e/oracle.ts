// The expected answer, computed straight from the sandbox's catalogue, independently of the
// action's own selection code: a test fails if the two disagree.
import type { Catalogue, SandboxBuild, SandboxPreReleaseVersion } from '../../sandbox/index.js'

export interface Question {
  appId: string
  /** As the platform input: IOS when unset (the action's default), 'any' for every platform. */
  platform?: string
  appVersion?: string
  buildNumber?: string
  audience?: string
  states?: string[]
  includeExpired?: boolean
  latestBy?: 'uploaded-date' | 'build-number'
  now: Date
}

export interface Expected {
  build: SandboxBuild
  preReleaseVersion: SandboxPreReleaseVersion
  matching: number
}

/** Build numbers as lists of big integers, compared element by element; missing parts are 0. */
function numberParts(version: string): bigint[] {
  return version.split('.').map(part => BigInt(part))
}

function byBuildNumber(a: SandboxBuild, b: SandboxBuild): number {
  const left = numberParts(a.version)
  const right = numberParts(b.version)
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = left[i] ?? 0n
    const r = right[i] ?? 0n
    if (l !== r) return l < r ? -1 : 1
  }
  return 0
}

const uploaded = (build: SandboxBuild): number => new Date(build.uploadedDate).getTime()

export function expectedBuild(catalogue: Catalogue, question: Question): Expected | undefined {
  const preReleases = new Map(catalogue.preReleaseVersions.map(prv => [prv.id, prv]))
  const states = question.states ?? ['VALID']
  const platform = question.platform ?? 'IOS'
  const matching = catalogue.builds.filter(build => {
    const prv = preReleases.get(build.preReleaseVersionId)!
    const expired =
      build.expired || new Date(build.expirationDate).getTime() <= question.now.getTime()
    return (
      build.appId === question.appId &&
      states.includes(build.processingState) &&
      (question.includeExpired || !expired) &&
      (platform === 'any' || prv.platform === platform) &&
      (!question.appVersion || prv.version === question.appVersion) &&
      (!question.buildNumber || build.version === question.buildNumber) &&
      (!question.audience || build.buildAudienceType === question.audience)
    )
  })
  const ranked = [...matching].sort((a, b) =>
    question.latestBy === 'build-number'
      ? byBuildNumber(b, a) || uploaded(b) - uploaded(a)
      : uploaded(b) - uploaded(a) || byBuildNumber(b, a)
  )
  const build = ranked[0]
  if (!build) return undefined
  return {
    build,
    preReleaseVersion: preReleases.get(build.preReleaseVersionId)!,
    matching: matching.length
  }
}
