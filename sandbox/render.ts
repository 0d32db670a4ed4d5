// JSON:API documents in the shape of Apple's answers: each resource has type, id, attributes,
// relationships (with links.self / links.related) and links.self; collections carry
// links.next and meta.paging. Every absolute link uses the sandbox's own origin.
import { appStoreStateOf, type SandboxAppStoreVersion } from './app-store-versions.js'
import { encodeCursor, fieldsOf, includedLimit, includesOf, type ParsedQuery } from './query.js'
import type {
  SandboxApp,
  SandboxBuild,
  SandboxBuildUpload,
  SandboxPreReleaseVersion
} from './records.js'
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

/** The related records of one resource being rendered, and where the requested ones go. */
class Related {
  constructor(
    private readonly ctx: RenderContext,
    /** The relationships the request includes; none for an included resource. */
    readonly include: ReadonlySet<string>,
    private readonly included: Included
  ) {}

  /** A to-one relationship: renders its record into `included` when the request includes it. */
  one<T>(name: string, record: T | undefined, render: Renderer<T>): void {
    if (this.include.has(name) && record !== undefined) {
      this.included.add(render(record, this.ctx, this.included, false))
    }
  }

  /**
   * A to-many relationship named after its type: when the request includes it, renders the first
   * limit[type] records into `included` and returns their linkage, with the paging Apple reports.
   */
  many<T extends { id: string }>(
    type: string,
    records: readonly T[],
    render: Renderer<T>
  ): LinkageData | undefined {
    if (!this.include.has(type)) return undefined
    const limit = includedLimit(this.ctx.query, type)
    const page = records.slice(0, limit)
    for (const record of page) this.included.add(render(record, this.ctx, this.included, false))
    return { data: page.map(record => ({ type, id: record.id })), total: records.length, limit }
  }
}

/** Linkage to one record. */
function linkTo(type: ResourceType, id: string): LinkageData {
  return { data: { type, id } }
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

/** What sets one type's resources apart: the record's id, attributes and linkage. */
interface ResourceParts {
  id: string
  attributes: Record<string, unknown>
  linkage: Linkage
}

/**
 * A renderer for `type`: `parts` describes the record, putting the related records the request
 * includes into `related` on the way. Attributes are trimmed by fields[type], relationships
 * follow the schema, and the resource links to itself.
 */
function renderer<T>(
  type: ResourceType,
  parts: (record: T, ctx: RenderContext, related: Related) => ResourceParts
): Renderer<T> {
  return (record, ctx, included, primary = true) => {
    const related = new Related(ctx, primary ? includesOf(ctx.query) : NOTHING_INCLUDED, included)
    const { id, attributes, linkage } = parts(record, ctx, related)
    const selfUrl = `${ctx.origin}/v1/${type}/${id}`
    const fields = fieldsOf(ctx.query, type)
    const kept = trim(attributes, fields)
    const shapes = SCHEMAS[type].relationships
    const rels = relationships(selfUrl, shapes, fields, related.include, linkage)
    return {
      type,
      id,
      ...(kept ? { attributes: kept } : {}),
      ...(rels ? { relationships: rels } : {}),
      links: { self: selfUrl }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Resources, their attributes in the order of Apple's schema

export const renderBuild: Renderer<SandboxBuild> = renderer('builds', (build, ctx, related) => {
  const { store } = ctx
  const prv = store.preReleaseVersionOf(build)
  const upload = store.uploadOf(build)
  const appStoreVersion = store.appStoreVersions.ofBuild(build.id)
  related.one('preReleaseVersion', prv, renderPreReleaseVersion)
  related.one('app', store.app(build.appId), renderApp)
  related.one('buildBetaDetail', build, renderBuildBetaDetail)
  related.one('buildUpload', upload, renderBuildUpload)
  related.one('appStoreVersion', appStoreVersion, renderAppStoreVersion)
  return {
    id: build.id,
    attributes: {
      version: build.version,
      uploadedDate: build.uploadedDate,
      expirationDate: build.expirationDate,
      expired: store.isExpired(build, ctx.now),
      minOsVersion: build.minOsVersion,
      lsMinimumSystemVersion: build.lsMinimumSystemVersion,
      computedMinMacOsVersion: build.computedMinMacOsVersion,
      computedMinVisionOsVersion: computedMinVisionOs(prv.platform, build.minOsVersion),
      iconAssetToken: build.iconAssetToken,
      processingState: build.processingState,
      buildAudienceType: build.buildAudienceType,
      usesNonExemptEncryption: build.usesNonExemptEncryption,
      // Not in the OpenAPI document, yet in Apple's recorded builds (served unless fields[builds]
      // trims them, as fields trims every attribute it does not name).
      computedMinRealityOsVersion: null,
      qcState: qcStateOf(store.betaDetailAt(build, ctx.now).internalBuildState)
    },
    linkage: {
      preReleaseVersion: linkTo('preReleaseVersions', prv.id),
      app: linkTo('apps', build.appId),
      buildBetaDetail: linkTo('buildBetaDetails', build.betaDetail.id),
      buildUpload: upload ? linkTo('buildUploads', upload.id) : undefined,
      appStoreVersion: appStoreVersion ? linkTo('appStoreVersions', appStoreVersion.id) : undefined
    }
  }
})

/** An iPhone/iPad build runs on visionOS 1.0 and later; visionOS builds need their own minimum. */
function computedMinVisionOs(platform: string, minOsVersion: string): string | null {
  return platform === 'VISION_OS' ? minOsVersion : platform === 'IOS' ? '1.0' : null
}

/** The recorded `qcState` of a build in internal testing; null otherwise. */
function qcStateOf(internalBuildState: string): string | null {
  return internalBuildState === 'IN_BETA_TESTING' ? 'BETA_INTERNAL_TESTING' : null
}

/** A build's buildBetaDetails resource; the record is the build, which holds its details. */
export const renderBuildBetaDetail: Renderer<SandboxBuild> = renderer(
  'buildBetaDetails',
  (build, ctx, related) => {
    related.one('build', build, renderBuild)
    const detail = ctx.store.betaDetailAt(build, ctx.now)
    return {
      id: detail.id,
      attributes: {
        autoNotifyEnabled: detail.autoNotifyEnabled,
        // Not in the OpenAPI document; Apple's recorded buildBetaDetails carry it.
        didNotify: detail.internalBuildState === 'IN_BETA_TESTING',
        internalBuildState: detail.internalBuildState,
        externalBuildState: detail.externalBuildState
      },
      linkage: { build: linkTo('builds', build.id) }
    }
  }
)

/** An upload: its state is { state, errors, warnings, infos }; no uploadedDate before the file arrives. */
export const renderBuildUpload: Renderer<SandboxBuildUpload> = renderer(
  'buildUploads',
  (upload, ctx, related) => {
    const build = upload.buildId === null ? undefined : ctx.store.build(upload.buildId)
    related.one('build', build, renderBuild)
    const { state } = upload
    return {
      id: upload.id,
      attributes: {
        cfBundleShortVersionString: upload.cfBundleShortVersionString,
        cfBundleVersion: upload.cfBundleVersion,
        createdDate: upload.createdDate,
        state: {
          state: state.state,
          errors: copies(state.errors),
          warnings: copies(state.warnings),
          infos: copies(state.infos)
        },
        platform: upload.platform,
        uploadedDate: upload.uploadedDate
      },
      linkage: { build: build ? linkTo('builds', build.id) : undefined }
    }
  }
)

/** Copies of the records, so that an answer never shares objects with the catalogue. */
const copies = <T extends object>(list: readonly T[]): T[] => list.map(item => ({ ...item }))

export const renderPreReleaseVersion: Renderer<SandboxPreReleaseVersion> = renderer(
  'preReleaseVersions',
  (prv, ctx, related) => {
    const builds = ctx.store.buildsOfPreReleaseVersion(prv.id)
    const buildLinkage = related.many('builds', builds, renderBuild)
    related.one('app', ctx.store.app(prv.appId), renderApp)
    return {
      id: prv.id,
      attributes: { version: prv.version, platform: prv.platform },
      linkage: { builds: buildLinkage, app: linkTo('apps', prv.appId) }
    }
  }
)

export const renderApp: Renderer<SandboxApp> = renderer('apps', (app, ctx, related) => ({
  id: app.id,
  attributes: {
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
    streamlinedPurchasingEnabled: true,
    // Not in the OpenAPI document; Apple's recorded apps carry both.
    removed: false,
    isAAG: false
  },
  linkage: {
    builds: related.many('builds', appBuildsOrder(ctx.store, app.id), renderBuild),
    preReleaseVersions: related.many(
      'preReleaseVersions',
      ctx.store.preReleaseVersionsOfApp(app.id),
      renderPreReleaseVersion
    ),
    appStoreVersions: related.many(
      'appStoreVersions',
      ctx.store.appStoreVersions.ofApp(app.id),
      renderAppStoreVersion
    )
  }
}))

/**
 * An App Store version, shaped like the recorded resources (codemagic, altool): both state
 * attributes (appStoreState derived from appVersionState), null for what is unset, and the
 * attached build's linkage only when listed in fields or included (data null when none).
 */
export const renderAppStoreVersion: Renderer<SandboxAppStoreVersion> = renderer(
  'appStoreVersions',
  (version, ctx, related) => {
    const build = version.buildId === null ? undefined : ctx.store.build(version.buildId)
    related.one('build', build, renderBuild)
    related.one('app', ctx.store.app(version.appId), renderApp)
    return {
      id: version.id,
      attributes: {
        platform: version.platform,
        versionString: version.versionString,
        appStoreState: appStoreStateOf(version.appVersionState),
        appVersionState: version.appVersionState,
        copyright: version.copyright,
        // NOTARIZATION is for alternative distribution; the recorded altool resource says APP_STORE.
        reviewType: 'APP_STORE',
        releaseType: version.releaseType,
        earliestReleaseDate: version.earliestReleaseDate,
        // Deprecated; null in both recorded resources.
        usesIdfa: null,
        downloadable: version.downloadable,
        createdDate: version.createdDate
      },
      linkage: {
        build: build ? linkTo('builds', build.id) : undefined,
        app: linkTo('apps', version.appId)
      }
    }
  }
)

// ---------------------------------------------------------------------------------------------
// Documents

/** The requested URL on the sandbox's origin: the self link of the document that answers it. */
export function selfLink(origin: string, requestUrl: URL): string {
  return `${origin}${requestUrl.pathname}${requestUrl.search}`
}

/**
 * The next page's URL as Apple writes it: `cursor` first, then the request's other parameters
 * with brackets percent-encoded ('?cursor=...&limit=2&filter%5Bapp%5D=...'), as recorded.
 */
function nextLink(origin: string, requestUrl: URL, cursor: string): string {
  const params = new URLSearchParams([['cursor', cursor]])
  for (const [name, value] of requestUrl.searchParams) {
    if (name !== 'cursor') params.append(name, value)
  }
  return `${origin}${requestUrl.pathname}?${params.toString()}`
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
  const next =
    offset + limit < records.length
      ? nextLink(ctx.origin, requestUrl, encodeCursor(offset + limit))
      : undefined
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
