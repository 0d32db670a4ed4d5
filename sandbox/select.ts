// The records a collection answers: each operation's filters and sort orders, applied to the
// catalogue store.
import { appVersionsFilter, attachedTo } from './app-store-versions.js'
import { betaReviewStateOf } from './lifecycle.js'
import type { ParsedQuery } from './query.js'
import type {
  SandboxApp,
  SandboxBuild,
  SandboxBuildUpload,
  SandboxPreReleaseVersion
} from './records.js'
import type { CatalogueStore } from './store.js'

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
  whenFilter(p, query, 'filter[appStoreVersion]', (b, v) => attachedTo(store, b, v))

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
  const byVersions = appVersionsFilter(store, query)
  if (byVersions) p.push(byVersions)

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
  query: ParsedQuery
): SandboxPreReleaseVersion[] {
  const p: Predicate<SandboxPreReleaseVersion>[] = []
  const anyBuild = (prv: SandboxPreReleaseVersion, test: Predicate<SandboxBuild>) =>
    store.buildsOfPreReleaseVersion(prv.id).some(test)
  whenFilter(p, query, 'filter[app]', (prv, v) => prv.appId === v)
  whenFilter(p, query, 'filter[platform]', (prv, v) => prv.platform === v)
  whenFilter(p, query, 'filter[version]', (prv, v) => prv.version === v)
  whenFilter(p, query, 'filter[builds]', (prv, v) => anyBuild(prv, b => b.id === v))

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
