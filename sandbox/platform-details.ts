// What a build carries per platform: the minimum OS versions and the app icon.
import type { Random } from './random.js'
import type { IconAssetToken, SandboxBuild } from './records.js'
import { PLATFORMS, type Platform } from './schema.js'

/** Minimum OS versions per platform: [older builds, current builds]. */
const MIN_OS: Record<Platform, readonly [string, string]> = {
  IOS: ['16.0', '17.0'],
  MAC_OS: ['13.0', '14.0'],
  TV_OS: ['17.0', '18.0'],
  VISION_OS: ['1.0', '2.0']
}

/** The macOS an iPhone/iPad build needs on Apple silicon, as Apple computes it. */
const IOS_TO_MAC: Record<string, string> = { '16.0': '13.0', '17.0': '14.0' }

export type OsRequirements = Pick<
  SandboxBuild,
  'minOsVersion' | 'lsMinimumSystemVersion' | 'computedMinMacOsVersion'
>

function requirements(platform: Platform, minOs: string): OsRequirements {
  return Object.freeze({
    minOsVersion: minOs,
    lsMinimumSystemVersion: platform === 'MAC_OS' ? minOs : null,
    computedMinMacOsVersion:
      platform === 'MAC_OS' ? minOs : platform === 'IOS' ? (IOS_TO_MAC[minOs] ?? null) : null
  })
}

/** Worked out once: the catalogue reads them for each of its thousands of builds. */
const OS_REQUIREMENTS = {} as Record<Platform, readonly [OsRequirements, OsRequirements]>
for (const platform of PLATFORMS) {
  const [older, current] = MIN_OS[platform]
  OS_REQUIREMENTS[platform] = [requirements(platform, older), requirements(platform, current)]
}

/** minOsVersion, lsMinimumSystemVersion and computedMinMacOsVersion of an older or a current build. */
export function osRequirements(platform: Platform, current: boolean): OsRequirements {
  return OS_REQUIREMENTS[platform][current ? 1 : 0]
}

const ICON_FILE: Record<Platform, readonly [string, number, number]> = {
  IOS: ['Icon-83.5@2x.png.png', 167, 167],
  MAC_OS: ['AppIcon-512@2x.png.png', 1024, 1024],
  TV_OS: ['AppIcon-Small.png.png', 400, 240],
  VISION_OS: ['AppIcon-1024.png.png', 1024, 1024]
}

/** An icon as Apple's image service serves it, at a seeded random address. */
export function iconFor(platform: Platform, random: Random): IconAssetToken {
  const id = random.uuid()
  const [file, width, height] = ICON_FILE[platform]
  const purple = 111 + random.int(0, 20)
  const host = `is${random.int(1, 5)}-ssl.mzstatic.com`
  const templateUrl =
    `https://${host}/image/thumb/Purple${purple}/v4/` +
    `${id.slice(0, 2)}/${id.slice(2, 4)}/${id.slice(4, 6)}/${id}/${file}/{w}x{h}bb.{f}`
  return { templateUrl, width, height }
}
