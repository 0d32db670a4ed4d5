// Query parameters per operation, written from Apple's OpenAPI document (4.4.1), and the
// filtering and sorting they ask for. Apple refuses what an operation does not list (400
// PARAMETER_ERROR.ILLEGAL) and values outside an enum or range (400 PARAMETER_ERROR.INVALID).
import type {
  SandboxApp,
  SandboxBuild,
  SandboxBuildUpload,
  SandboxPreReleaseVersion
} from './catalogue.js'
import { illegalParameter, invalidParameter, repeatedParameter, type ErrorSpec } from './errors.js'
import { betaReviewStateOf } from './lifecycle.js'
import {
  BUILD_AUDIENCE_TYPES,
  PLATFORMS,
  PROCESSING_STATES,
  SCHEMAS,
  type ResourceType
} from './schema.js'
import type { CatalogueStore } from './store.js'

// ---------------------------------------------------------------------------------------------
// Filter enumerations, related field types and sort keys from the spec (the resource types
// themselves are in schema.ts)

const BETA_REVIEW_STATES = ['WAITING_FOR_REVIEW', 'IN_REVIEW', 'REJECTED', 'APPROVED'] as const
const APP_STORE_STATES = [
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
const APP_VERSION_STATES = [
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
const REVIEW_SUBMISSION_STATES = [
  'READY_FOR_REVIEW',
  'WAITING_FOR_REVIEW',
  'IN_REVIEW',
  'UNRESOLVED_ISSUES',
  'CANCELING',
  'COMPLETING',
  'COMPLETE'
] as const

/** fields[...] of related types the sandbox has no data for: listed so they are legal. */
const APP_OTHER_FIELD_TYPES = [
  'appEncryptionDeclarations',
  'buildIcons',
  'ciProducts',
  'betaGroups',
  'appStoreVersions',
  'betaAppLocalizations',
  'betaLicenseAgreements',
  'betaAppReviewDetails',
  'appInfos',
  'appClips',
  'endUserLicenseAgreements',
  'inAppPurchases',
  'subscriptionGroups',
  'gameCenterEnabledVersions',
  'appCustomProductPages',
  'promotedPurchases',
  'appEvents',
  'reviewSubmissions',
  'subscriptionGracePeriods',
  'gameCenterDetails',
  'appStoreVersionExperiments',
  'androidToIosAppMappingDetails'
] as const
const BUILD_OTHER_FIELD_TYPES = [
  'betaTesters',
  'betaGroups',
  'betaBuildLocalizations',
  'appEncryptionDeclarations',
  'betaAppReviewSubmissions',
  'appStoreVersions',
  'buildIcons',
  'buildBundles'
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

// ---------------------------------------------------------------------------------------------
// Parameter rules and operations

type Rule =
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

const DEFAULT_LIMIT = 50
const MAX_LIMIT = 200
const MAX_INCLUDED_LIMIT = 50

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

const appDocumentParams = documentParams('apps', APP_OTHER_FIELD_TYPES)
const buildDocumentParams = {
  ...documentParams('builds', BUILD_OTHER_FIELD_TYPES),
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

const OPERATIONS: Record<OperationId, Record<string, Rule>> = {
  apps_getCollection: {
    'filter[name]': values,
    'filter[bundleId]': values,
    'filter[sku]': values,
    'filter[appStoreVersions.appStoreState]': enumOf(APP_STORE_STATES, 'value'),
    'filter[appStoreVersions.platform]': enumOf(PLATFORMS, 'value'),
    'filter[appStoreVersions.appVersionState]': enumOf(APP_VERSION_STATES, 'value'),
    'filter[reviewSubmissions.state]': enumOf(REVIEW_SUBMISSION_STATES, 'value'),
    'filter[reviewSubmissions.platform]': enumOf(PLATFORMS, 'value'),
    'filter[appStoreVersions]': values,
    'filter[id]': values,
    'exists[gameCenterEnabledVersions]': { kind: 'boolean' },
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
    'filter[betaGroups]': values,
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
    'filter[builds.buildAudienceType]': enumOf(BUILD_AUDIENCE_TYPES, 'value'),
    'filter[builds.expired]': { kind: 'booleans' },
    'filter[builds.processingState]': enumOf(PROCESSING_STATES, 'value'),
    'filter[builds.version]': values,
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
  buildBetaDetails_getInstance: buildBetaDetailDocumentParams
}

// ---------------------------------------------------------------------------------------------
// Parsing and validation

export interface ParsedQuery {
  /** Values per parameter, comma lists split (the values OR together). */
  readonly values: ReadonlyMap<string, readonly string[]>
  /** Page size (collections). */
  readonly limit: number
  /** Position decoded from the cursor (collections). */
  readonly offset: number
}

export type QueryResult = { ok: true; query: ParsedQuery } | { ok: false; errors: ErrorSpec[] }

export function parseQuery(operation: OperationId, params: URLSearchParams): QueryResult {
  const rules = OPERATIONS[operation]
  const merged = new Map<string, string[]>()
  const errors: ErrorSpec[] = []
  let limit = DEFAULT_LIMIT
  let offset = 0

  const seen = new Set<string>()
  const repeated = new Set<string>()
  for (const [name, raw] of params) {
    const rule = Object.hasOwn(rules, name) ? rules[name] : undefined
    if (!rule) {
      errors.push(illegalParameter(name))
      continue
    }
    // Apple rejects a query that repeats a parameter name (reference notes, "Things that have
    // broken in the wild"): several values go in one comma-separated list.
    if (seen.has(name)) {
      if (!repeated.has(name)) errors.push(repeatedParameter(name))
      repeated.add(name)
      continue
    }
    seen.add(name)
    const problem = checkValue(name, raw, rule)
    if (problem) {
      errors.push(problem)
      continue
    }
    if (rule.kind === 'limit' && name === 'limit') limit = Number(raw)
    if (rule.kind === 'cursor') offset = decodeCursor(raw)!
    const list = merged.get(name) ?? []
    list.push(...(rule.kind === 'limit' || rule.kind === 'cursor' ? [raw] : raw.split(',')))
    merged.set(name, list)
  }
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, query: { values: merged, limit, offset } }
}

function checkValue(name: string, raw: string, rule: Rule): ErrorSpec | undefined {
  switch (rule.kind) {
    case 'values':
      return raw.split(',').some(v => v === '')
        ? invalidParameter(name, `'${raw}' is not a valid value for the parameter '${name}'`)
        : undefined
    case 'enum': {
      const bad = raw.split(',').find(v => !rule.values.includes(v))
      if (bad === undefined) return undefined
      const detail =
        rule.noun === 'field'
          ? `'${bad}' is not a valid field name`
          : rule.noun === 'relationship'
            ? `'${bad}' is not a valid relationship name`
            : `'${bad}' is not a valid value for the filter '${name}'`
      return invalidParameter(name, detail)
    }
    case 'booleans':
      return raw.split(',').every(v => v === 'true' || v === 'false')
        ? undefined
        : invalidParameter(name, `'${raw}' is not a valid value for the parameter '${name}'`)
    case 'boolean':
      return raw === 'true' || raw === 'false'
        ? undefined
        : invalidParameter(name, `'${raw}' is not a valid value for the parameter '${name}'`)
    case 'limit': {
      const n = /^[0-9]+$/.test(raw) ? Number(raw) : NaN
      return Number.isSafeInteger(n) && n >= 1 && n <= rule.max
        ? undefined
        : invalidParameter(
            name,
            `'${raw}' is not a valid value for the parameter '${name}'. It must be an integer from 1 to ${rule.max}.`
          )
    }
    case 'cursor':
      return decodeCursor(raw) === undefined
        ? invalidParameter(name, `'${raw}' is not a valid cursor for this request`)
        : undefined
  }
}

/** Opaque to clients; base64url of {"offset":"N"}, the shape Apple's cursors decode to. */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset: String(offset) }), 'utf8').toString('base64url')
}

export function decodeCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (typeof value !== 'object' || value === null) return undefined
    const offset = (value as { offset?: unknown }).offset
    if (typeof offset !== 'string' || !/^[0-9]{1,9}$/.test(offset)) return undefined
    return Number(offset)
  } catch {
    return undefined
  }
}

/** fields[type] as a set, or undefined when the type is not trimmed. */
export function fieldsOf(query: ParsedQuery, type: string): ReadonlySet<string> | undefined {
  const list = query.values.get(`fields[${type}]`)
  return list ? new Set(list) : undefined
}

export function includesOf(query: ParsedQuery): ReadonlySet<string> {
  return new Set(query.values.get('include') ?? [])
}

/** limit[relationship] for included to-many relationships; Apple's default there is guessed as 10. */
export function includedLimit(query: ParsedQuery, relationship: string): number {
  const raw = query.values.get(`limit[${relationship}]`)
  return raw ? Number(raw[raw.length - 1]) : 10
}

// ---------------------------------------------------------------------------------------------
// Filtering and sorting

type Predicate<T> = (item: T) => boolean

function applyFilters<T>(items: readonly T[], predicates: readonly Predicate<T>[]): T[] {
  return predicates.length === 0 ? [...items] : items.filter(item => predicates.every(p => p(item)))
}

/** Adds a predicate when the filter is present: the item matches if any listed value matches. */
function whenFilter<T>(
  predicates: Predicate<T>[],
  query: ParsedQuery,
  name: string,
  matches: (item: T, value: string) => boolean
): void {
  const wanted = query.values.get(name)
  if (wanted) predicates.push(item => wanted.some(value => matches(item, value)))
}

/** Filters on data the sandbox does not hold (beta groups, App Store versions…): nothing matches. */
function whenFiltersOnMissingData<T>(
  predicates: Predicate<T>[],
  query: ParsedQuery,
  names: readonly string[]
): void {
  for (const name of names) whenFilter(predicates, query, name, () => false)
}

/** Textual, code-unit order: Apple sorts build numbers as text ('9' after '10' ascending). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

const compareIds = (a: { id: string }, b: { id: string }): number => compareText(a.id, b.id)

type Comparator<T> = (a: T, b: T) => number

function sortBy<T extends { id: string }>(
  items: T[],
  keys: readonly string[],
  comparators: Record<string, Comparator<T>>
): T[] {
  const chain = keys.map(key => {
    const descending = key.startsWith('-')
    const compare = comparators[descending ? key.slice(1) : key]!
    return descending ? (a: T, b: T) => compare(b, a) : compare
  })
  // The id breaks ties so that every page boundary is stable.
  return items.sort((a, b) => {
    for (const compare of chain) {
      const order = compare(a, b)
      if (order !== 0) return order
    }
    return compareIds(a, b)
  })
}

/** FNV-1a: a cheap stable hash to scramble an order without randomness. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export function selectBuilds(store: CatalogueStore, query: ParsedQuery, now: Date): SandboxBuild[] {
  const p: Predicate<SandboxBuild>[] = []
  const prv = (b: SandboxBuild) => store.preReleaseVersionOf(b)
  whenFilter(p, query, 'filter[app]', (b, v) => b.appId === v)
  whenFilter(p, query, 'filter[id]', (b, v) => b.id === v)
  whenFilter(p, query, 'filter[version]', (b, v) => b.version === v)
  whenFilter(p, query, 'filter[processingState]', (b, v) => b.processingState === v)
  whenFilter(p, query, 'filter[buildAudienceType]', (b, v) => b.buildAudienceType === v)
  whenFilter(p, query, 'filter[expired]', (b, v) => store.isExpired(b, now) === (v === 'true'))
  whenFilter(
    p,
    query,
    'filter[usesNonExemptEncryption]',
    (b, v) => b.usesNonExemptEncryption === (v === 'true')
  )
  whenFilter(
    p,
    query,
    'exists[usesNonExemptEncryption]',
    (b, v) => (b.usesNonExemptEncryption !== null) === (v === 'true')
  )
  whenFilter(p, query, 'filter[preReleaseVersion]', (b, v) => b.preReleaseVersionId === v)
  whenFilter(p, query, 'filter[preReleaseVersion.version]', (b, v) => prv(b).version === v)
  whenFilter(p, query, 'filter[preReleaseVersion.platform]', (b, v) => prv(b).platform === v)
  whenFilter(
    p,
    query,
    'filter[betaAppReviewSubmission.betaReviewState]',
    (b, v) => betaReviewStateOf(store.betaDetailAt(b, now).externalBuildState) === v
  )
  whenFiltersOnMissingData(p, query, ['filter[betaGroups]', 'filter[appStoreVersion]'])

  // Sort the whole catalogue once per sort order, then filter: filtering keeps the order, and
  // expiry (which moves with the clock) is still judged on every request.
  const sort = query.values.get('sort') ?? []
  const ordered = store.memo(`builds?sort=${sort.join(',')}`, () =>
    sort.length === 0
      ? [...store.builds].sort(compareIds)
      : sortBy([...store.builds], sort, {
          version: (a, b) => compareText(a.version, b.version),
          uploadedDate: (a, b) => store.uploadedMs(a) - store.uploadedMs(b),
          preReleaseVersion: (a, b) => compareText(prv(a).version, prv(b).version)
        })
  )
  return applyFilters(ordered, p)
}

/**
 * /v1/apps/{id}/builds: Apple documents no order. The sandbox scrambles by a hash of the id,
 * stable across requests and unrelated to upload order (without sort, /v1/builds orders by id).
 */
export function appBuildsOrder(store: CatalogueStore, appId: string): readonly SandboxBuild[] {
  return store.memo(`apps/${appId}/builds`, () =>
    [...store.buildsOfApp(appId)].sort((a, b) => hash(a.id) - hash(b.id) || compareIds(a, b))
  )
}

/** /v1/apps/{id}/preReleaseVersions: by id, like /v1/preReleaseVersions without sort. */
export function appPreReleaseVersionsOrder(
  store: CatalogueStore,
  appId: string
): SandboxPreReleaseVersion[] {
  return [...store.preReleaseVersionsOfApp(appId)].sort(compareIds)
}

export function selectApps(store: CatalogueStore, query: ParsedQuery): SandboxApp[] {
  const p: Predicate<SandboxApp>[] = []
  whenFilter(p, query, 'filter[id]', (a, v) => a.id === v)
  // Not an exact match: 'com.acme.app' also finds 'com.acme.app.widget'.
  whenFilter(p, query, 'filter[bundleId]', (a, v) => a.bundleId.startsWith(v))
  whenFilter(p, query, 'filter[name]', (a, v) => a.name.toLowerCase().includes(v.toLowerCase()))
  whenFilter(p, query, 'filter[sku]', (a, v) => a.sku === v)
  whenFiltersOnMissingData(p, query, [
    'filter[appStoreVersions]',
    'filter[appStoreVersions.appStoreState]',
    'filter[appStoreVersions.platform]',
    'filter[appStoreVersions.appVersionState]',
    'filter[reviewSubmissions.state]',
    'filter[reviewSubmissions.platform]'
  ])
  whenFilter(p, query, 'exists[gameCenterEnabledVersions]', (_a, v) => v === 'false')

  const selected = applyFilters(store.apps, p)
  const sort = query.values.get('sort')
  if (!sort) return selected
  return sortBy(selected, sort, {
    name: (a, b) => compareText(a.name, b.name),
    bundleId: (a, b) => compareText(a.bundleId, b.bundleId),
    sku: (a, b) => compareText(a.sku, b.sku)
  })
}

export function selectPreReleaseVersions(
  store: CatalogueStore,
  query: ParsedQuery,
  now: Date
): SandboxPreReleaseVersion[] {
  const p: Predicate<SandboxPreReleaseVersion>[] = []
  const anyBuild = (prv: SandboxPreReleaseVersion, test: Predicate<SandboxBuild>) =>
    store.buildsOfPreReleaseVersion(prv.id).some(test)
  whenFilter(p, query, 'filter[app]', (prv, v) => prv.appId === v)
  whenFilter(p, query, 'filter[platform]', (prv, v) => prv.platform === v)
  whenFilter(p, query, 'filter[version]', (prv, v) => prv.version === v)
  whenFilter(p, query, 'filter[builds]', (prv, v) => anyBuild(prv, b => b.id === v))
  whenFilter(p, query, 'filter[builds.version]', (prv, v) => anyBuild(prv, b => b.version === v))
  whenFilter(p, query, 'filter[builds.processingState]', (prv, v) =>
    anyBuild(prv, b => b.processingState === v)
  )
  whenFilter(p, query, 'filter[builds.buildAudienceType]', (prv, v) =>
    anyBuild(prv, b => b.buildAudienceType === v)
  )
  whenFilter(p, query, 'filter[builds.expired]', (prv, v) =>
    anyBuild(prv, b => store.isExpired(b, now) === (v === 'true'))
  )

  const selected = applyFilters(store.preReleaseVersions, p)
  const sort = query.values.get('sort')
  if (!sort) return selected.sort(compareIds)
  return sortBy(selected, sort, { version: (a, b) => compareText(a.version, b.version) })
}

/**
 * /v1/apps/{id}/buildUploads. Filters match the upload's own attributes exactly: an upload that
 * spelled its version '2.3.0' is not found with '2.3', whatever train it was filed under. Without
 * sort the order is by id (Apple documents none). Sorting cfBundleVersion is textual, as Apple's
 * `sort=version` of builds is (reference notes, "Ordering traps"). An upload still AWAITING_UPLOAD
 * has no uploadedDate: sorting by date puts it after every dated one ascending, so first with
 * -uploadedDate, as databases order missing values by default.
 */
export function selectBuildUploads(
  store: CatalogueStore,
  query: ParsedQuery,
  appId: string
): SandboxBuildUpload[] {
  const p: Predicate<SandboxBuildUpload>[] = []
  whenFilter(p, query, 'filter[cfBundleVersion]', (u, v) => u.cfBundleVersion === v)
  whenFilter(
    p,
    query,
    'filter[cfBundleShortVersionString]',
    (u, v) => u.cfBundleShortVersionString === v
  )
  whenFilter(p, query, 'filter[platform]', (u, v) => u.platform === v)
  whenFilter(p, query, 'filter[state]', (u, v) => u.state.state === v)
  const selected = applyFilters(store.uploadsOfApp(appId), p)
  const sort = query.values.get('sort')
  if (!sort) return selected.sort(compareIds)
  const dated = (u: SandboxBuildUpload) =>
    u.uploadedDate === null ? Number.POSITIVE_INFINITY : Date.parse(u.uploadedDate)
  return sortBy(selected, sort, {
    cfBundleVersion: (a, b) => compareText(a.cfBundleVersion, b.cfBundleVersion),
    uploadedDate: (a, b) => {
      const [left, right] = [dated(a), dated(b)]
      return left === right ? 0 : left < right ? -1 : 1
    }
  })
}

/** /v1/buildBetaDetails: every build's details, by id, filtered by build or id. */
export function selectBuildBetaDetails(store: CatalogueStore, query: ParsedQuery): SandboxBuild[] {
  const p: Predicate<SandboxBuild>[] = []
  whenFilter(p, query, 'filter[build]', (b, v) => b.id === v)
  whenFilter(p, query, 'filter[id]', (b, v) => b.betaDetail.id === v)
  return applyFilters(store.builds, p).sort((a, b) => compareText(a.betaDetail.id, b.betaDetail.id))
}
