// JSON:API documents in the shape of Apple's answers: each resource has type, id, attributes,
// relationships (with links.self / links.related) and links.self; collections carry
// links.next and meta.paging. Every absolute link uses the sandbox's own origin.
import type { SandboxApp, SandboxBuild, SandboxPreReleaseVersion } from './catalogue.js'
import {
  APP_ATTRIBUTES,
  appBuildsOrder,
  encodeCursor,
  fieldsOf,
  includedLimit,
  includesOf,
  type ParsedQuery
} from './query.js'
import type { CatalogueStore } from './store.js'

export interface ResourceIdentifier {
  type: string
  id: string
}

export interface Resource extends ResourceIdentifier {
  attributes?: Record<string, unknown>
  relationships?: Record<string, Relationship>
  links: { self: string }
}

interface Relationship {
  links?: { self?: string; related?: string }
  data?: ResourceIdentifier | ResourceIdentifier[] | null
  meta?: { paging: { total: number; limit: number } }
}

export interface CollectionDocument {
  data: Resource[]
  included?: Resource[]
  links: { self: string; next?: string }
  meta: { paging: { total: number; limit: number } }
}

export interface InstanceDocument {
  data: Resource
  included?: Resource[]
  links: { self: string }
}

export interface RenderContext {
  origin: string
  store: CatalogueStore
  now: Date
  query: ParsedQuery
}

/**
 * Which links Apple gives a relationship, and whether it can carry linkage data:
 * 'one' / 'many' for to-one / to-many, undefined for relationships that only have links.
 */
interface RelationshipShape {
  links: 'both' | 'self' | 'related' | 'none'
  cardinality?: 'one' | 'many'
}

// As in Apple's example response for builds (betaGroups: self only; perfPowerMetrics: related only).
const BUILD_RELATIONSHIPS: Record<string, RelationshipShape> = {
  preReleaseVersion: { links: 'both', cardinality: 'one' },
  individualTesters: { links: 'both', cardinality: 'many' },
  betaGroups: { links: 'self', cardinality: 'many' },
  betaBuildLocalizations: { links: 'both', cardinality: 'many' },
  appEncryptionDeclaration: { links: 'both', cardinality: 'one' },
  betaAppReviewSubmission: { links: 'both', cardinality: 'one' },
  app: { links: 'both', cardinality: 'one' },
  buildBetaDetail: { links: 'both', cardinality: 'one' },
  appStoreVersion: { links: 'both', cardinality: 'one' },
  icons: { links: 'both', cardinality: 'many' },
  buildBundles: { links: 'none', cardinality: 'many' },
  buildUpload: { links: 'none', cardinality: 'one' },
  perfPowerMetrics: { links: 'related' },
  diagnosticSignatures: { links: 'both' }
}

const PRE_RELEASE_VERSION_RELATIONSHIPS: Record<string, RelationshipShape> = {
  builds: { links: 'both', cardinality: 'many' },
  app: { links: 'both', cardinality: 'one' }
}

// From the App schema: relationships with data are to-one or to-many, the rest only have links.
const APP_RELATIONSHIPS: Record<string, RelationshipShape> = {
  accessibilityDeclarations: { links: 'related' },
  appEncryptionDeclarations: { links: 'both', cardinality: 'many' },
  appStoreIcon: { links: 'none', cardinality: 'one' },
  ciProduct: { links: 'both', cardinality: 'one' },
  betaTesters: { links: 'related' },
  betaGroups: { links: 'both', cardinality: 'many' },
  appStoreVersions: { links: 'both', cardinality: 'many' },
  appTags: { links: 'related' },
  preReleaseVersions: { links: 'both', cardinality: 'many' },
  betaAppLocalizations: { links: 'both', cardinality: 'many' },
  builds: { links: 'both', cardinality: 'many' },
  betaLicenseAgreement: { links: 'both', cardinality: 'one' },
  betaAppReviewDetail: { links: 'both', cardinality: 'one' },
  appInfos: { links: 'both', cardinality: 'many' },
  appClips: { links: 'both', cardinality: 'many' },
  appPricePoints: { links: 'related' },
  endUserLicenseAgreement: { links: 'both', cardinality: 'one' },
  appPriceSchedule: { links: 'related' },
  appAvailabilityV2: { links: 'related' },
  inAppPurchases: { links: 'both', cardinality: 'many' },
  subscriptionGroups: { links: 'both', cardinality: 'many' },
  gameCenterEnabledVersions: { links: 'both', cardinality: 'many' },
  perfPowerMetrics: { links: 'related' },
  appCustomProductPages: { links: 'both', cardinality: 'many' },
  inAppPurchasesV2: { links: 'both', cardinality: 'many' },
  promotedPurchases: { links: 'both', cardinality: 'many' },
  appEvents: { links: 'both', cardinality: 'many' },
  reviewSubmissions: { links: 'both', cardinality: 'many' },
  subscriptionGracePeriod: { links: 'both', cardinality: 'one' },
  customerReviews: { links: 'related' },
  customerReviewSummarizations: { links: 'related' },
  gameCenterDetail: { links: 'both', cardinality: 'one' },
  appStoreVersionExperimentsV2: { links: 'both', cardinality: 'many' },
  alternativeDistributionKey: { links: 'related' },
  analyticsReportRequests: { links: 'related' },
  marketplaceSearchDetail: { links: 'related' },
  buildUploads: { links: 'related' },
  backgroundAssets: { links: 'related' },
  betaFeedbackScreenshotSubmissions: { links: 'related' },
  betaFeedbackCrashSubmissions: { links: 'related' },
  searchKeywords: { links: 'related' },
  webhooks: { links: 'related' },
  androidToIosAppMappingDetails: { links: 'both', cardinality: 'many' }
}

/** Linkage the sandbox can fill; other relationships answer null / [] (no such data exists). */
type LinkageSource = (name: string) => LinkageData | undefined
interface LinkageData {
  data: ResourceIdentifier | ResourceIdentifier[]
  total?: number
  limit?: number
}

/** Collects included resources once each, in first-seen order. */
export class Included {
  private readonly seen = new Map<string, Resource>()
  add(resource: Resource): void {
    const key = `${resource.type}/${resource.id}`
    if (!this.seen.has(key)) this.seen.set(key, resource)
  }
  list(): Resource[] | undefined {
    return this.seen.size > 0 ? [...this.seen.values()] : undefined
  }
}

function relationships(
  selfUrl: string,
  shapes: Record<string, RelationshipShape>,
  fields: ReadonlySet<string> | undefined,
  include: ReadonlySet<string>,
  linkage: LinkageSource
): Record<string, Relationship> | undefined {
  const out: Record<string, Relationship> = {}
  for (const [name, shape] of Object.entries(shapes)) {
    const listed = fields?.has(name) ?? false
    const included = include.has(name)
    if (fields ? !listed : shape.links === 'none' && !included) continue
    const relationship: Relationship = {}
    if (shape.links === 'both' || shape.links === 'self') {
      relationship.links = { self: `${selfUrl}/relationships/${name}` }
    }
    if (shape.links === 'both' || shape.links === 'related') {
      relationship.links = { ...relationship.links, related: `${selfUrl}/${name}` }
    }
    if ((listed || included) && shape.cardinality) {
      const found = linkage(name)
      relationship.data = found?.data ?? (shape.cardinality === 'many' ? [] : null)
      if (shape.cardinality === 'many' && included) {
        const data = relationship.data as ResourceIdentifier[]
        relationship.meta = {
          paging: { total: found?.total ?? data.length, limit: found?.limit ?? data.length }
        }
      }
    }
    out[name] = relationship
  }
  return Object.keys(out).length > 0 ? out : undefined
}

function trim(
  attributes: Record<string, unknown>,
  fields: ReadonlySet<string> | undefined
): Record<string, unknown> | undefined {
  if (!fields) return attributes
  const kept = Object.fromEntries(Object.entries(attributes).filter(([name]) => fields.has(name)))
  return Object.keys(kept).length > 0 ? kept : undefined
}

function resource(
  type: string,
  id: string,
  selfUrl: string,
  attributes: Record<string, unknown> | undefined,
  rels: Record<string, Relationship> | undefined
): Resource {
  return {
    type,
    id,
    ...(attributes ? { attributes } : {}),
    ...(rels ? { relationships: rels } : {}),
    links: { self: selfUrl }
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * @param primary false when rendered as an included resource: its own relationships are then
 *   not expanded further (one level of includes, as Apple does).
 */
export function renderBuild(
  build: SandboxBuild,
  ctx: RenderContext,
  included: Included,
  primary = true
): Resource {
  const { origin, store, query } = ctx
  const selfUrl = `${origin}/v1/builds/${build.id}`
  const include = primary ? includesOf(query) : new Set<string>()
  const attributes = trim(
    {
      version: build.version,
      uploadedDate: build.uploadedDate,
      expirationDate: build.expirationDate,
      expired: store.isExpired(build, ctx.now),
      minOsVersion: build.minOsVersion,
      lsMinimumSystemVersion: build.lsMinimumSystemVersion,
      computedMinMacOsVersion: build.computedMinMacOsVersion,
      iconAssetToken: build.iconAssetToken,
      processingState: build.processingState,
      buildAudienceType: build.buildAudienceType,
      usesNonExemptEncryption: build.usesNonExemptEncryption
    },
    fieldsOf(query, 'builds')
  )
  const prv = store.preReleaseVersionOf(build)
  if (include.has('preReleaseVersion'))
    included.add(renderPreReleaseVersion(prv, ctx, included, false))
  const app = store.app(build.appId)
  if (include.has('app') && app) included.add(renderApp(app, ctx, included, false))

  const rels = relationships(
    selfUrl,
    BUILD_RELATIONSHIPS,
    fieldsOf(query, 'builds'),
    include,
    name => {
      if (name === 'preReleaseVersion') return { data: { type: 'preReleaseVersions', id: prv.id } }
      if (name === 'app') return { data: { type: 'apps', id: build.appId } }
      return undefined
    }
  )
  return resource('builds', build.id, selfUrl, attributes, rels)
}

export function renderPreReleaseVersion(
  prv: SandboxPreReleaseVersion,
  ctx: RenderContext,
  included: Included,
  primary = true
): Resource {
  const { origin, store, query } = ctx
  const selfUrl = `${origin}/v1/preReleaseVersions/${prv.id}`
  const fields = fieldsOf(query, 'preReleaseVersions')
  const include = primary ? includesOf(query) : new Set<string>()
  const attributes = trim({ version: prv.version, platform: prv.platform }, fields)
  const builds = store.buildsOfPreReleaseVersion(prv.id)
  const buildLimit = includedLimit(query, 'builds')
  if (include.has('builds')) {
    for (const build of builds.slice(0, buildLimit))
      included.add(renderBuild(build, ctx, included, false))
  }
  const app = store.app(prv.appId)
  if (include.has('app') && app) included.add(renderApp(app, ctx, included, false))
  const rels = relationships(selfUrl, PRE_RELEASE_VERSION_RELATIONSHIPS, fields, include, name => {
    if (name === 'app') return { data: { type: 'apps', id: prv.appId } }
    if (name === 'builds' && include.has('builds')) {
      const data = builds.slice(0, buildLimit).map(b => ({ type: 'builds', id: b.id }))
      return { data, total: builds.length, limit: buildLimit }
    }
    return undefined
  })
  return resource('preReleaseVersions', prv.id, selfUrl, attributes, rels)
}

export function renderApp(
  app: SandboxApp,
  ctx: RenderContext,
  included: Included,
  primary = true
): Resource {
  const { origin, store, query } = ctx
  const selfUrl = `${origin}/v1/apps/${app.id}`
  const fields = fieldsOf(query, 'apps')
  const include = primary ? includesOf(query) : new Set<string>()
  const all: Record<string, unknown> = {
    name: app.name,
    bundleId: app.bundleId,
    sku: app.sku,
    primaryLocale: app.primaryLocale,
    isOrEverWasMadeForKids: false,
    subscriptionStatusUrl: null,
    subscriptionStatusUrlVersion: null,
    subscriptionStatusUrlForSandbox: null,
    subscriptionStatusUrlVersionForSandbox: null,
    contentRightsDeclaration: 'DOES_NOT_USE_THIRD_PARTY_CONTENT',
    streamlinedPurchasingEnabled: true,
    accessibilityUrl: null
  }
  const ordered = Object.fromEntries(APP_ATTRIBUTES.filter(n => n in all).map(n => [n, all[n]]))
  const attributes = trim(ordered, fields)

  const builds = appBuildsOrder(store, app.id)
  const prvs = store.preReleaseVersionsOfApp(app.id)
  const buildLimit = includedLimit(query, 'builds')
  const prvLimit = includedLimit(query, 'preReleaseVersions')
  if (include.has('builds')) {
    for (const build of builds.slice(0, buildLimit))
      included.add(renderBuild(build, ctx, included, false))
  }
  if (include.has('preReleaseVersions')) {
    for (const prv of prvs.slice(0, prvLimit)) {
      included.add(renderPreReleaseVersion(prv, ctx, included, false))
    }
  }
  const rels = relationships(selfUrl, APP_RELATIONSHIPS, fields, include, name => {
    if (name === 'builds' && include.has('builds')) {
      const data = builds.slice(0, buildLimit).map(b => ({ type: 'builds', id: b.id }))
      return { data, total: builds.length, limit: buildLimit }
    }
    if (name === 'preReleaseVersions' && include.has('preReleaseVersions')) {
      const data = prvs.slice(0, prvLimit).map(p => ({ type: 'preReleaseVersions', id: p.id }))
      return { data, total: prvs.length, limit: prvLimit }
    }
    return undefined
  })
  return resource('apps', app.id, selfUrl, attributes, rels)
}

// ---------------------------------------------------------------------------------------------

/** One page of a collection, with links.next (same query, new cursor) only when more remain. */
export function collectionDocument<T>(
  items: readonly T[],
  render: (item: T, included: Included) => Resource,
  ctx: RenderContext,
  requestUrl: URL
): CollectionDocument {
  const { limit, offset } = ctx.query
  const included = new Included()
  const data = items.slice(offset, offset + limit).map(item => render(item, included))
  const list = included.list()
  const self = `${ctx.origin}${requestUrl.pathname}${requestUrl.search}`
  let next: string | undefined
  if (offset + limit < items.length) {
    const nextUrl = new URL(self)
    nextUrl.searchParams.set('cursor', encodeCursor(offset + limit))
    next = nextUrl.toString()
  }
  return {
    data,
    ...(list ? { included: list } : {}),
    links: { self, ...(next ? { next } : {}) },
    meta: { paging: { total: items.length, limit } }
  }
}

export function instanceDocument(
  render: (included: Included) => Resource,
  ctx: RenderContext,
  requestUrl: URL
): InstanceDocument {
  const included = new Included()
  const data = render(included)
  const list = included.list()
  return {
    data,
    ...(list ? { included: list } : {}),
    links: { self: `${ctx.origin}${requestUrl.pathname}${requestUrl.search}` }
  }
}
