// Query parameters per operation, written from Apple's OpenAPI document (4.4.1): which
// parameters each operation takes, their enumerations and their limits (the resource types
// themselves are in schema.ts). Apple refuses what an operation does not list (400
// PARAMETER_ERROR.ILLEGAL) and values outside an enum or range (400 PARAMETER_ERROR.INVALID):
// query.ts applies these tables.
import {
  BUILD_AUDIENCE_TYPES,
  PLATFORMS,
  PROCESSING_STATES,
  SCHEMAS,
  type ResourceType
} from './schema.js'

const BETA_REVIEW_STATES = ['WAITING_FOR_REVIEW', 'IN_REVIEW', 'REJECTED', 'APPROVED'] as const
/** AppStoreVersionState: the older, deprecated state of an App Store version. */
export const APP_STORE_STATES = [
  'ACCEPTED',
  'DEVELOPER_REMOVED_FROM_SALE',
  'DEVELOPER_REJECTED',
  'IN_REVIEW',
  'INVALID_BINARY',
  'METADATA_REJECTED',
  'PENDING_APPLE_RELEASE',
  'PENDING_CONTRACT',
  'PENDING_DEVELOPER_RELEASE',
  'PREPARE_FOR_SUBMISSION',
  'PREORDER_READY_FOR_SALE',
  'PROCESSING_FOR_APP_STORE',
  'READY_FOR_REVIEW',
  'READY_FOR_SALE',
  'REJECTED',
  'REMOVED_FROM_SALE',
  'WAITING_FOR_EXPORT_COMPLIANCE',
  'WAITING_FOR_REVIEW',
  'REPLACED_WITH_NEW_VERSION',
  'NOT_APPLICABLE'
] as const
/** AppVersionState: the newer state of an App Store version. */
export const APP_VERSION_STATES = [
  'ACCEPTED',
  'DEVELOPER_REJECTED',
  'IN_REVIEW',
  'INVALID_BINARY',
  'METADATA_REJECTED',
  'PENDING_APPLE_RELEASE',
  'PENDING_DEVELOPER_RELEASE',
  'PREPARE_FOR_SUBMISSION',
  'PROCESSING_FOR_DISTRIBUTION',
  'READY_FOR_DISTRIBUTION',
  'READY_FOR_REVIEW',
  'REJECTED',
  'REPLACED_WITH_NEW_VERSION',
  'WAITING_FOR_EXPORT_COMPLIANCE',
  'WAITING_FOR_REVIEW'
] as const

/** fields[buildUploadFiles]: the sandbox holds no upload files, but the values are Apple's. */
const BUILD_UPLOAD_FILE_FIELDS = [
  'assetDeliveryState',
  'assetToken',
  'assetType',
  'fileName',
  'fileSize',
  'sourceFileChecksums',
  'uploadOperations',
  'uti'
] as const

const BUILD_SORTS = [
  'version',
  '-version',
  'uploadedDate',
  '-uploadedDate',
  'preReleaseVersion',
  '-preReleaseVersion'
] as const
const BUILD_UPLOAD_SORTS = [
  'cfBundleVersion',
  '-cfBundleVersion',
  'uploadedDate',
  '-uploadedDate'
] as const
const APP_SORTS = ['name', '-name', 'bundleId', '-bundleId', 'sku', '-sku'] as const
const PRE_RELEASE_VERSION_SORTS = ['version', '-version'] as const

/** How a parameter's value is checked. */
export type Rule =
  /** comma-separated free values */
  | { kind: 'values' }
  /** comma-separated values from a list; `noun` words the error like Apple's */
  | { kind: 'enum'; values: readonly string[]; noun: 'field' | 'relationship' | 'value' }
  /** comma-separated 'true' / 'false' */
  | { kind: 'booleans' }
  /** exists[...]: a single 'true' / 'false' */
  | { kind: 'boolean' }
  | { kind: 'limit'; max: number }
  | { kind: 'cursor' }

export type OperationId =
  | 'apps_getCollection'
  | 'apps_getInstance'
  | 'apps_builds_getToManyRelated'
  | 'apps_preReleaseVersions_getToManyRelated'
  | 'builds_getCollection'
  | 'builds_getInstance'
  | 'builds_preReleaseVersion_getToOneRelated'
  | 'preReleaseVersions_getCollection'
  | 'apps_buildUploads_getToManyRelated'
  | 'buildUploads_getInstance'
  | 'builds_buildBetaDetail_getToOneRelated'
  | 'buildBetaDetails_getCollection'
  | 'buildBetaDetails_getInstance'
  | 'apps_appStoreVersions_getToManyRelated'
  | 'appStoreVersions_build_getToOneRelated'

/** Page size when a collection request gives no limit. */
export const DEFAULT_LIMIT = 50
const MAX_LIMIT = 200
const MAX_INCLUDED_LIMIT = 50
/** limit[...] of an included relationship when the request gives none: Apple's is guessed as 10. */
export const DEFAULT_INCLUDED_LIMIT = 10

const values: Rule = { kind: 'values' }
const enumOf = (list: readonly string[], noun: 'field' | 'relationship' | 'value'): Rule => ({
  kind: 'enum',
  values: list,
  noun
})
const paging = { limit: { kind: 'limit', max: MAX_LIMIT }, cursor: { kind: 'cursor' } } as const

/** fields[type]: the type's attributes and relationships. */
function fieldsParam(type: ResourceType): Record<string, Rule> {
  const { attributes, relationships } = SCHEMAS[type]
  return { [`fields[${type}]`]: enumOf([...attributes, ...Object.keys(relationships)], 'field') }
}

/**
 * fields[...], include and limit[...] of an operation answering `type` documents. Apple lists the
 * relationships that carry data as includable, and a limit[...] for each to-many one of them.
 * `otherFieldTypes`: related types the sandbox has no data for, legal but not checked.
 */
function documentParams(
  type: ResourceType,
  otherFieldTypes: readonly string[] = []
): Record<string, Rule> {
  const shapes = Object.entries(SCHEMAS[type].relationships)
  const includable = shapes.filter(([, shape]) => shape.cardinality).map(([name]) => name)
  const limited = shapes.filter(([, shape]) => shape.cardinality === 'many').map(([name]) => name)
  return {
    ...fieldsParam('apps'),
    ...fieldsParam('builds'),
    ...fieldsParam('preReleaseVersions'),
    ...Object.fromEntries(otherFieldTypes.map(other => [`fields[${other}]`, values])),
    include: enumOf(includable, 'relationship'),
    ...Object.fromEntries(
      limited.map(name => [`limit[${name}]`, { kind: 'limit', max: MAX_INCLUDED_LIMIT }])
    )
  }
}

const appDocumentParams = {
  ...documentParams('apps'),
  ...fieldsParam('appStoreVersions')
}
const buildDocumentParams = {
  ...documentParams('builds'),
  ...fieldsParam('appStoreVersions'),
  ...fieldsParam('buildBetaDetails'),
  ...fieldsParam('buildUploads')
}
/** GET /v1/buildUploads/{id}, and the documents of GET /v1/apps/{id}/buildUploads. */
const buildUploadDocumentParams: Record<string, Rule> = {
  ...fieldsParam('buildUploads'),
  ...fieldsParam('builds'),
  'fields[buildUploadFiles]': enumOf(BUILD_UPLOAD_FILE_FIELDS, 'field'),
  include: enumOf(['build', 'assetFile', 'assetDescriptionFile', 'assetSpiFile'], 'relationship')
}
/** buildBetaDetails documents: the detail, and its build when included. */
const buildBetaDetailDocumentParams: Record<string, Rule> = {
  ...fieldsParam('buildBetaDetails'),
  ...fieldsParam('builds'),
  include: enumOf(['build'], 'relationship')
}

/**
 * GET /v1/apps/{id}/appStoreVersions: filters, fields[...] of the types it can include (the
 * sandbox holds data for builds and apps; the others are legal and include nothing), include,
 * limit[...] of the to-many ones, and paging. No sort: the operation lists none.
 */
const APP_STORE_VERSION_OTHER_FIELD_TYPES = [
  'appStoreVersionLocalizations',
  'appStoreVersionPhasedReleases',
  'gameCenterAppVersions',
  'routingAppCoverages',
  'appStoreReviewDetails',
  'appStoreVersionSubmissions',
  'appClipDefaultExperiences',
  'appStoreVersionExperiments',
  'alternativeDistributionPackages'
] as const
const appStoreVersionListParams: Record<string, Rule> = {
  'filter[platform]': enumOf(PLATFORMS, 'value'),
  'filter[versionString]': values,
  'filter[appStoreState]': enumOf(APP_STORE_STATES, 'value'),
  'filter[appVersionState]': enumOf(APP_VERSION_STATES, 'value'),
  'filter[id]': values,
  ...fieldsParam('appStoreVersions'),
  ...fieldsParam('apps'),
  ...fieldsParam('builds'),
  ...Object.fromEntries(
    APP_STORE_VERSION_OTHER_FIELD_TYPES.map(other => [`fields[${other}]`, values])
  ),
  include: enumOf(
    Object.entries(SCHEMAS.appStoreVersions.relationships)
      .filter(([, shape]) => shape.cardinality)
      .map(([name]) => name),
    'relationship'
  ),
  'limit[appStoreVersionLocalizations]': { kind: 'limit', max: MAX_INCLUDED_LIMIT },
  'limit[appStoreVersionExperiments]': { kind: 'limit', max: MAX_INCLUDED_LIMIT },
  'limit[appStoreVersionExperimentsV2]': { kind: 'limit', max: MAX_INCLUDED_LIMIT },
  ...paging
}

/** The query parameters each operation takes, by name. */
export const OPERATIONS: Record<OperationId, Record<string, Rule>> = {
  apps_getCollection: {
    'filter[name]': values,
    'filter[bundleId]': values,
    'filter[sku]': values,
    'filter[appStoreVersions.appStoreState]': enumOf(APP_STORE_STATES, 'value'),
    'filter[appStoreVersions.platform]': enumOf(PLATFORMS, 'value'),
    'filter[appStoreVersions.appVersionState]': enumOf(APP_VERSION_STATES, 'value'),
    'filter[appStoreVersions]': values,
    'filter[id]': values,
    sort: enumOf(APP_SORTS, 'field'),
    ...appDocumentParams,
    ...paging
  },
  apps_getInstance: appDocumentParams,
  // The page Apple documents: only these two, everything else is ILLEGAL (sort included).
  apps_builds_getToManyRelated: { ...fieldsParam('builds'), ...paging },
  apps_preReleaseVersions_getToManyRelated: { ...fieldsParam('preReleaseVersions'), ...paging },
  builds_getCollection: {
    'filter[version]': values,
    'filter[expired]': { kind: 'booleans' },
    'filter[processingState]': enumOf(PROCESSING_STATES, 'value'),
    'filter[betaAppReviewSubmission.betaReviewState]': enumOf(BETA_REVIEW_STATES, 'value'),
    'filter[usesNonExemptEncryption]': { kind: 'booleans' },
    'filter[preReleaseVersion.version]': values,
    'filter[preReleaseVersion.platform]': enumOf(PLATFORMS, 'value'),
    'filter[buildAudienceType]': enumOf(BUILD_AUDIENCE_TYPES, 'value'),
    'filter[preReleaseVersion]': values,
    'filter[app]': values,
    'filter[appStoreVersion]': values,
    'filter[id]': values,
    'exists[usesNonExemptEncryption]': { kind: 'boolean' },
    sort: enumOf(BUILD_SORTS, 'field'),
    ...buildDocumentParams,
    ...paging
  },
  builds_getInstance: buildDocumentParams,
  builds_preReleaseVersion_getToOneRelated: fieldsParam('preReleaseVersions'),
  preReleaseVersions_getCollection: {
    'filter[platform]': enumOf(PLATFORMS, 'value'),
    'filter[version]': values,
    'filter[app]': values,
    'filter[builds]': values,
    sort: enumOf(PRE_RELEASE_VERSION_SORTS, 'field'),
    ...documentParams('preReleaseVersions'),
    ...paging
  },
  apps_buildUploads_getToManyRelated: {
    'filter[cfBundleShortVersionString]': values,
    'filter[cfBundleVersion]': values,
    'filter[platform]': enumOf(PLATFORMS, 'value'),
    // The spec lists filter[state] as free strings (no enum), so an unknown state is not refused:
    // it matches nothing.
    'filter[state]': values,
    sort: enumOf(BUILD_UPLOAD_SORTS, 'field'),
    ...buildUploadDocumentParams,
    ...paging
  },
  buildUploads_getInstance: buildUploadDocumentParams,
  builds_buildBetaDetail_getToOneRelated: buildBetaDetailDocumentParams,
  buildBetaDetails_getCollection: {
    'filter[build]': values,
    'filter[id]': values,
    ...buildBetaDetailDocumentParams,
    ...paging
  },
  buildBetaDetails_getInstance: buildBetaDetailDocumentParams,
  apps_appStoreVersions_getToManyRelated: appStoreVersionListParams,
  // The attached build, without include (BuildWithoutIncludesResponse).
  appStoreVersions_build_getToOneRelated: fieldsParam('builds')
}
