// Build numbers as apps hand them out: the schemes seen in the wild, and their hotfix numbers.

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
export type BuildNumberScheme =
  | { kind: 'counter'; start: number }
  | { kind: 'marketing-dotted' }
  | { kind: 'marketing-packed' }
  | { kind: 'major-counter'; major: number; start: number }
  | { kind: 'per-version' }

/** Hands out build numbers in upload order, per the app's scheme, including hotfix numbers. */
export class BuildNumberer {
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
export function compareBuildNumbers(a: string, b: string): number {
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
export function bumped(number: string, steps: number): string {
  const parts = number.split('.')
  parts[parts.length - 1] = String(BigInt(parts[parts.length - 1]!) + BigInt(steps))
  return parts.join('.')
}
