import { instant, type BuildResource, type IconAssetToken } from '../apple/apple-types.js'
import type { RateLimit } from '../apple/asc-client.js'
import type { FoundBuild } from '../choose/search-types.js'
import { isExpired } from '../choose/filters.js'

export const OUTPUT_NAMES = [
  'found',
  'build-id',
  'build-number',
  'version',
  'expiration-date',
  'uploaded-date',
  'expires-in-days',
  'expired',
  'processing-state',
  'app-version',
  'platform',
  'min-os-version',
  'build-audience-type',
  'internal-build-state',
  'external-build-state',
  'app-store-version',
  'app-store-state',
  'uses-non-exempt-encryption',
  'icon-url',
  'app-id',
  'build-json',
  'rate-limit-remaining',
  'next-build-number',
  'waited-seconds'
] as const
export type OutputName = (typeof OUTPUT_NAMES)[number]
export type Outputs = Record<OutputName, string>

const DAY_MS = 24 * 60 * 60 * 1000

/** Longest `build-json` written; a longer one is left empty (the other outputs still hold it). */
export const MAX_BUILD_JSON_BYTES = 64 * 1024

/** What the outputs are made of. */
export interface OutputSource {
  appId: string | undefined
  build: FoundBuild | undefined
  now: Date
  rateLimit?: RateLimit
  /** Set when next-build-number was asked for and worked out. */
  nextBuildNumber?: string
  /** Time spent waiting for the build (wait-minutes). */
  waitedMs?: number
}

/**
 * Every output, for a found build or, for none, all empty but `found`, `app-id`,
 * `rate-limit-remaining`, `next-build-number` and `waited-seconds`.
 */
export function outputsFor({
  appId,
  build,
  now,
  rateLimit,
  nextBuildNumber,
  waitedMs = 0
}: OutputSource): Outputs {
  const outputs = Object.fromEntries(OUTPUT_NAMES.map(name => [name, ''])) as Outputs
  outputs.found = String(build !== undefined)
  outputs['app-id'] = appId ?? ''
  outputs['rate-limit-remaining'] = rateLimit ? String(rateLimit.remaining) : ''
  outputs['next-build-number'] = nextBuildNumber ?? ''
  outputs['waited-seconds'] = String(Math.round(waitedMs / 1000))
  if (!build) return outputs

  const attributes = build.resource.attributes ?? {}
  outputs['build-id'] = build.id
  outputs['build-number'] = attributes.version ?? ''
  // Apple's name for the build number, kept for workflows that read it.
  outputs.version = outputs['build-number']
  outputs['expiration-date'] = attributes.expirationDate ?? ''
  outputs['uploaded-date'] = attributes.uploadedDate ?? ''
  outputs['expires-in-days'] = expiresInDays(attributes.expirationDate, now)
  outputs.expired = String(isExpired(build.resource, now))
  outputs['processing-state'] = attributes.processingState ?? ''
  outputs['app-version'] = build.preReleaseVersion?.version ?? ''
  outputs.platform = build.preReleaseVersion?.platform ?? ''
  outputs['min-os-version'] = attributes.minOsVersion ?? ''
  outputs['build-audience-type'] = attributes.buildAudienceType ?? ''
  outputs['internal-build-state'] = build.betaDetail?.internalBuildState ?? ''
  outputs['external-build-state'] = build.betaDetail?.externalBuildState ?? ''
  outputs['app-store-version'] = build.appStoreVersion?.versionString ?? ''
  outputs['app-store-state'] = build.appStoreVersion?.state ?? ''
  outputs['uses-non-exempt-encryption'] =
    typeof attributes.usesNonExemptEncryption === 'boolean'
      ? String(attributes.usesNonExemptEncryption)
      : ''
  outputs['icon-url'] = iconUrl(attributes.iconAssetToken)
  outputs['build-json'] = buildJson(build.resource)
  return outputs
}

/** Whole days left, rounded down, so a build expiring in 6.9 days fails a 7-day gate. */
function expiresInDays(expirationDate: string | undefined, now: Date): string {
  const expiration = instant(expirationDate)
  if (expiration === undefined) return ''
  return String(Math.floor((expiration - now.getTime()) / DAY_MS))
}

/** Apple's icon template (`.../{w}x{h}bb.{f}`) filled in with its own size, as a PNG. */
function iconUrl(token: IconAssetToken | null | undefined): string {
  if (!token?.templateUrl || !token.width || !token.height) return ''
  return token.templateUrl
    .replace('{w}', String(token.width))
    .replace('{h}', String(token.height))
    .replace('{f}', 'png')
}

/** The chosen build as compact JSON, or empty when it would be longer than MAX_BUILD_JSON_BYTES. */
export function buildJson(resource: BuildResource): string {
  const json = JSON.stringify(resource)
  return Buffer.byteLength(json) <= MAX_BUILD_JSON_BYTES ? json : ''
}
