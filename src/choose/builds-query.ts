// The builds query of `GET /v1/builds` and the reading of its pages: shared by the search, the
// wait and the next build number, so that each asks for and reads builds the same way.
import type { BuildResource, CollectionDocument, IncludedResource } from '../apple/apple-types.js'
import { log } from '../log.js'
import { filterQuery } from './filters.js'
import type { BetaDetail } from './readiness.js'
import type {
  AppStoreVersionInfo,
  BuildFilters,
  FoundBuild,
  PreReleaseVersionInfo
} from './search-types.js'

/** Only what the outputs and the checks use, so that a page of 200 builds stays small. */
export const BUILD_FIELDS = [
  'version',
  'uploadedDate',
  'expirationDate',
  'expired',
  'minOsVersion',
  'iconAssetToken',
  'processingState',
  'buildAudienceType',
  'usesNonExemptEncryption',
  'preReleaseVersion',
  'buildBetaDetail',
  'appStoreVersion'
].join(',')
/** Enough builds to re-check Apple's upload-date order on the client in the same request. */
export const UPLOADED_DATE_PAGE_SIZE = 50
/** Apple's maximum page size: the fewest requests when every build must be seen. */
export const FULL_SCAN_PAGE_SIZE = 200

/** The query of `GET /v1/builds` for a search: the filters, sorted, with what the checks read. */
export function buildsQuery(
  appId: string,
  filters: BuildFilters,
  pageSize: number
): Record<string, string> {
  return {
    ...filterQuery(appId, filters),
    sort: '-uploadedDate',
    include: 'preReleaseVersion,buildBetaDetail,appStoreVersion',
    'fields[builds]': BUILD_FIELDS,
    'fields[preReleaseVersions]': 'version,platform',
    'fields[buildBetaDetails]': 'internalBuildState,externalBuildState',
    'fields[appStoreVersions]': 'versionString,appVersionState',
    limit: String(pageSize)
  }
}

/** The builds of a page with their included marketing version, platform and TestFlight state. */
export function readBuilds(page: CollectionDocument<BuildResource>): FoundBuild[] {
  const preReleaseVersions = new Map<string, PreReleaseVersionInfo>()
  const appStoreVersions = new Map<string, AppStoreVersionInfo>()
  const betaDetails: IncludedResource[] = []
  for (const resource of page.included ?? []) {
    const attributes = resource.attributes ?? {}
    if (resource.type === 'appStoreVersions') {
      appStoreVersions.set(resource.id, {
        versionString: stringOrUndefined(attributes.versionString),
        state: stringOrUndefined(attributes.appVersionState)
      })
    } else if (resource.type === 'preReleaseVersions') {
      preReleaseVersions.set(resource.id, {
        version: stringOrUndefined(attributes.version),
        // As sent: a platform Apple added later matches no filter (filters.ts).
        platform: stringOrUndefined(attributes.platform)
      })
    } else if (resource.type === 'buildBetaDetails') {
      betaDetails.push(resource)
    }
  }
  return (page.data ?? []).map(resource => {
    const preReleaseId = resource.relationships?.preReleaseVersion?.data?.id
    const preReleaseVersion = preReleaseId ? preReleaseVersions.get(preReleaseId) : undefined
    const appStoreId = resource.relationships?.appStoreVersion?.data?.id
    const appStoreVersion = appStoreId ? appStoreVersions.get(appStoreId) : undefined
    return {
      id: resource.id,
      buildNumber: resource.attributes?.version ?? '',
      uploadedDate: resource.attributes?.uploadedDate ?? '',
      appVersion: preReleaseVersion?.version,
      resource,
      preReleaseVersion,
      betaDetail: betaDetailOf(resource, betaDetails),
      ...(appStoreVersion ? { appStoreVersion } : {})
    }
  })
}

/** An included attribute that is text, else undefined. */
function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** Builds already warned about, so that a wait's polls say it once. */
const conflictsWarned = new Set<string>()

/**
 * The TestFlight detail of a build, by its links only: the one the build's relationship names
 * (unless that detail names another build), and any whose own `build` link names this build.
 * Details that disagree make the build not ready: none of them can be trusted.
 */
function betaDetailOf(
  build: BuildResource,
  details: readonly IncludedResource[]
): BetaDetail | undefined {
  const named = build.relationships?.buildBetaDetail?.data?.id
  const linked = details.filter(detail => {
    const ownBuild = detail.relationships?.build?.data?.id
    return ownBuild === build.id || (detail.id === named && ownBuild === undefined)
  })
  const states = [
    ...new Set(
      linked.map(
        ({ attributes }) =>
          `internal ${stringOrUndefined(attributes?.internalBuildState) ?? 'none'}, external ${stringOrUndefined(attributes?.externalBuildState) ?? 'none'}`
      )
    )
  ]
  if (states.length > 1) {
    if (!conflictsWarned.has(build.id)) {
      conflictsWarned.add(build.id)
      log.warning(
        `App Store Connect sent ${linked.length} TestFlight details for build ${build.attributes?.version ?? '?'} (${build.id}) ` +
          `that disagree (${states.join('; ')}): it counts as not ready in TestFlight until they agree.`
      )
    }
    return { conflicting: true }
  }
  return linked[0]?.attributes
}
