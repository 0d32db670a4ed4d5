// JSON:API documents in the shape of Apple's answers: each resource has type, id, attributes,
// relationships (with links.self / links.related) and links.self; collections carry
// links.next and meta.paging. Every absolute link uses the sandbox's own origin.
import type {
  SandboxApp,
  SandboxBuild,
  SandboxBuildUpload,
  SandboxPreReleaseVersion
} from './catalogue.js'
import { encodeCursor, fieldsOf, includedLimit, includesOf, type ParsedQuery } from './query.js'
import { SCHEMAS, type RelationshipShape, type ResourceType } from './schema.js'
import { appBuildsOrder } from './select.js'
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

/** Renders a record; `primary` is false when it is rendered as an included resource. */
export type Renderer<T> = (
  record: T,
  ctx: RenderContext,
  included: Included,
  primary?: boolean
) => Resource

/** Linkage of the relationships the sandbox holds records for, by relationship name. */
type Linkage = Record<string, LinkageData | undefined>
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

/** Included resources do not expand their own relationships (one level of includes, as Apple does). */
const NOTHING_INCLUDED: ReadonlySet<string> = new Set()

function includesFor(ctx: RenderContext, primary: boolean): ReadonlySet<string> {
  return primary ? includesOf(ctx.query) : NOTHING_INCLUDED
}

/** A to-one relationship: renders its record into `included` when the request includes it. */
function includeOne<T>(
  name: string,
  record: T | undefined,
  render: Renderer<T>,
  ctx: RenderContext,
  include: ReadonlySet<string>,
  included: Included
): void {
  if (include.has(name) && record !== undefined) included.add(render(record, ctx, included, false))
}

/**
 * A to-many relationship named after its type: when the request includes it, renders the first
 * limit[type] records into `included` and returns their linkage, with the paging Apple reports.
 */
function includeMany<T extends { id: string }>(
  type: string,
  records: readonly T[],
  render: Renderer<T>,
  ctx: RenderContext,
  include: ReadonlySet<string>,
  included: Included
): LinkageData | undefined {
  if (!include.has(type)) return undefined
  const limit = includedLimit(ctx.query, type)
  const page = records.slice(0, limit)
  for (const record of page) included.add(render(record, ctx, included, false))
  return { data: page.map(record => ({ type, id: record.id })), total: records.length, limit }
}

/**
 * The relationships object: links per shape, and data for those listed in fields[...] or included.
 * Relationships missing from `linkage` answer null / [] (the sandbox holds no such records).
 */
function relationships(
  selfUrl: string,
  shapes: Readonly<Record<string, RelationshipShape>>,
  fields: ReadonlySet<string> | undefined,
  include: ReadonlySet<string>,
  linkage: Linkage
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
      const found = linkage[name]
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

/** A record as a resource: its attributes trimmed by fields[type], relationships, self link. */
function resource(
  type: ResourceType,
  id: string,
  attributes: Record<string, unknown>,
  linkage: Linkage,
  ctx: RenderContext,
  include: ReadonlySet<string>
): Resource {
  const selfUrl = `${ctx.origin}/v1/${type}/${id}`
  const fields = fieldsOf(ctx.query, type)
  const kept = trim(attributes, fields)
  const rels = relationships(selfUrl, SCHEMAS[type].relationships, fields, include, linkage)
  return {
    type,
    id,
    ...(kept ? { attributes: kept } : {}),
    ...(rels ? { relationships: rels } : {}),
    links: { self: selfUrl }
  }
}

// ---------------------------------------------------------------------------------------------
// Resources, their attributes in the order of Apple's schema

export function renderBuild(
  build: SandboxBuild,
  ctx: RenderContext,
  included: Included,
  primary = true
): Resource {
  const { store } = ctx
  const include = includesFor(ctx, primary)
  const prv = store.preReleaseVersionOf(build)
  const upload = store.uploadOf(build)
  includeOne('preReleaseVersion', prv, renderPreReleaseVersion, ctx, include, included)
  includeOne('app', store.app(build.appId), renderApp, ctx, include, included)
  includeOne('buildBetaDetail', build, renderBuildBetaDetail, ctx, include, included)
  includeOne('buildUpload', upload, renderBuildUpload, ctx, include, included)
  return resource(
    'builds',
    build.id,
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
    {
      preReleaseVersion: { data: { type: 'preReleaseVersions', id: prv.id } },
      app: { data: { type: 'apps', id: build.appId } },
      buildBetaDetail: { data: { type: 'buildBetaDetails', id: build.betaDetail.id } },
      buildUpload: upload ? { data: { type: 'buildUploads', id: upload.id } } : undefined
    },
    ctx,
    include
  )
}

/** A build's buildBetaDetails resource; the record is the build, which holds its details. */
export function renderBuildBetaDetail(
  build: SandboxBuild,
  ctx: RenderContext,
  included: Included,
  primary = true
): Resource {
  const include = includesFor(ctx, primary)
  includeOne('build', build, renderBuild, ctx, include, included)
  const detail = ctx.store.betaDetailAt(build, ctx.now)
  return resource(
    'buildBetaDetails',
    detail.id,
    {
      autoNotifyEnabled: detail.autoNotifyEnabled,
      internalBuildState: detail.internalBuildState,
      externalBuildState: detail.externalBuildState
    },
    { build: { data: { type: 'builds', id: build.id } } },
    ctx,
    include
  )
}

/** An upload: its state is { state, errors, warnings, infos }; no uploadedDate before the file arrives. */
export function renderBuildUpload(
  upload: SandboxBuildUpload,
  ctx: RenderContext,
  included: Included,
  primary = true
): Resource {
  const { store } = ctx
  const include = includesFor(ctx, primary)
  const build = upload.buildId === null ? undefined : store.build(upload.buildId)
  includeOne('build', build, renderBuild, ctx, include, included)
  return resource(
    'buildUploads',
    upload.id,
    {
      cfBundleShortVersionString: upload.cfBundleShortVersionString,
      cfBundleVersion: upload.cfBundleVersion,
      createdDate: upload.createdDate,
      state: {
        state: upload.state.state,
        errors: upload.state.errors.map(detail => ({ ...detail })),
        warnings: upload.state.warnings.map(detail => ({ ...detail })),
        infos: upload.state.infos.map(detail => ({ ...detail }))
      },
      platform: upload.platform,
      uploadedDate: upload.uploadedDate
    },
    { build: build ? { data: { type: 'builds', id: build.id } } : undefined },
    ctx,
    include
  )
}

export function renderPreReleaseVersion(
  prv: SandboxPreReleaseVersion,
  ctx: RenderContext,
  included: Included,
  primary = true
): Resource {
  const { store } = ctx
  const include = includesFor(ctx, primary)
  const builds = store.buildsOfPreReleaseVersion(prv.id)
  const buildLinkage = includeMany('builds', builds, renderBuild, ctx, include, included)
  includeOne('app', store.app(prv.appId), renderApp, ctx, include, included)
  return resource(
    'preReleaseVersions',
    prv.id,
    { version: prv.version, platform: prv.platform },
    { builds: buildLinkage, app: { data: { type: 'apps', id: prv.appId } } },
    ctx,
    include
  )
}

export function renderApp(
  app: SandboxApp,
  ctx: RenderContext,
  included: Included,
  primary = true
): Resource {
  const { store } = ctx
  const include = includesFor(ctx, primary)
  const builds = appBuildsOrder(store, app.id)
  const prvs = store.preReleaseVersionsOfApp(app.id)
  return resource(
    'apps',
    app.id,
    {
      // Values the sandbox does not model are those of a typical app.
      accessibilityUrl: null,
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
      streamlinedPurchasingEnabled: true
    },
    {
      builds: includeMany('builds', builds, renderBuild, ctx, include, included),
      preReleaseVersions: includeMany(
        'preReleaseVersions',
        prvs,
        renderPreReleaseVersion,
        ctx,
        include,
        included
      )
    },
    ctx,
    include
  )
}

// ---------------------------------------------------------------------------------------------
// Documents

/** The requested URL on the sandbox's origin: the self link of the document that answers it. */
export function selfLink(origin: string, requestUrl: URL): string {
  return `${origin}${requestUrl.pathname}${requestUrl.search}`
}

/** One page of a collection, with links.next (same query, new cursor) only when more remain. */
export function collectionDocument<T>(
  records: readonly T[],
  render: Renderer<T>,
  ctx: RenderContext,
  requestUrl: URL
): CollectionDocument {
  const { limit, offset } = ctx.query
  const included = new Included()
  const data = records.slice(offset, offset + limit).map(record => render(record, ctx, included))
  const list = included.list()
  const self = selfLink(ctx.origin, requestUrl)
  let next: string | undefined
  if (offset + limit < records.length) {
    const nextUrl = new URL(self)
    nextUrl.searchParams.set('cursor', encodeCursor(offset + limit))
    next = nextUrl.toString()
  }
  return {
    data,
    ...(list ? { included: list } : {}),
    links: { self, ...(next ? { next } : {}) },
    meta: { paging: { total: records.length, limit } }
  }
}

export function instanceDocument<T>(
  record: T,
  render: Renderer<T>,
  ctx: RenderContext,
  requestUrl: URL
): InstanceDocument {
  const included = new Included()
  const data = render(record, ctx, included)
  const list = included.list()
  return {
    data,
    ...(list ? { included: list } : {}),
    links: { self: selfLink(ctx.origin, requestUrl) }
  }
}
