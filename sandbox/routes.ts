// The paths the sandbox serves, as a table: Apple's path, the OpenAPI operation whose parameters
// it takes, and what answers it. Everything else is 404; anything but GET is 405.
import { errorAnswer, ok, type Answer } from './answer.js'
import { selectAppStoreVersions } from './app-store-versions.js'
import { methodNotAllowed, PATH_NOT_FOUND, resourceNotFound } from './errors.js'
import type { OperationId } from './operations.js'
import { parseQuery } from './query.js'
import {
  collectionDocument,
  instanceDocument,
  renderApp,
  renderAppStoreVersion,
  renderBuild,
  renderBuildBetaDetail,
  renderBuildUpload,
  renderPreReleaseVersion,
  selfLink,
  type RenderContext,
  type Renderer
} from './render.js'
import type { ResourceType } from './schema.js'
import {
  appBuildsOrder,
  appPreReleaseVersionsOrder,
  selectApps,
  selectBuildBetaDetails,
  selectBuilds,
  selectBuildUploads,
  selectPreReleaseVersions
} from './select.js'
import type { CatalogueStore } from './store.js'
import type { Timeline } from './timeline.js'

/** What the routes read: the catalogue, its timeline, and the origin that absolute links use. */
export interface Api {
  /** 'http://127.0.0.1:PORT'; set once the server listens. */
  origin: string
  readonly store: CatalogueStore
  readonly timeline: Timeline
}

/** Answers a matched request; `subject` is what the path's {id} names (its raw id until looked up). */
type Handler<Subject = string | undefined> = (
  ctx: RenderContext,
  url: URL,
  subject: Subject
) => Answer

interface Route {
  /** Apple's path template, e.g. '/v1/apps/{id}/builds'. */
  path: string
  /** The operation whose query parameters the path takes. */
  operation: OperationId
  handle: Handler
}

/** A page of a collection: the records `select` picks, in its order. */
function page<T, S>(
  render: Renderer<T>,
  select: (ctx: RenderContext, subject: S) => readonly T[]
): Handler<S> {
  return (ctx, url, subject) => ok(collectionDocument(select(ctx, subject), render, ctx, url))
}

/** One resource: the record `pick` finds from the subject. */
function single<T, S>(
  render: Renderer<T>,
  pick: (subject: S, ctx: RenderContext) => T
): Handler<S> {
  return (ctx, url, subject) => ok(instanceDocument(pick(subject, ctx), render, ctx, url))
}

/** Paths under /v1/{type}/{id}: the record with that id, or 404 NOT_FOUND when none has it. */
function under<S>(type: ResourceType, find: (store: CatalogueStore, id: string) => S | undefined) {
  return (handle: Handler<S>): Handler =>
    (ctx, url, id) => {
      const subject = find(ctx.store, id!)
      return subject ? handle(ctx, url, subject) : errorAnswer(404, [resourceNotFound(type, id!)])
    }
}

const app = under('apps', (store, id) => store.app(id))
const build = under('builds', (store, id) => store.build(id))
const upload = under('buildUploads', (store, id) => store.buildUpload(id))
/** A buildBetaDetails id names the build that holds those details. */
const betaDetail = under('buildBetaDetails', (store, id) => store.buildOfBetaDetail(id))
const appStoreVersion = under('appStoreVersions', (store, id) => store.appStoreVersions.get(id))

const ROUTES: readonly Route[] = [
  {
    path: '/v1/apps',
    operation: 'apps_getCollection',
    handle: page(renderApp, ctx => selectApps(ctx.store, ctx.query))
  },
  { path: '/v1/apps/{id}', operation: 'apps_getInstance', handle: app(single(renderApp, a => a)) },
  {
    path: '/v1/apps/{id}/builds',
    operation: 'apps_builds_getToManyRelated',
    handle: app(page(renderBuild, (ctx, a) => appBuildsOrder(ctx.store, a.id)))
  },
  {
    path: '/v1/apps/{id}/preReleaseVersions',
    operation: 'apps_preReleaseVersions_getToManyRelated',
    handle: app(
      page(renderPreReleaseVersion, (ctx, a) => appPreReleaseVersionsOrder(ctx.store, a.id))
    )
  },
  {
    path: '/v1/apps/{id}/buildUploads',
    operation: 'apps_buildUploads_getToManyRelated',
    handle: app(page(renderBuildUpload, (ctx, a) => selectBuildUploads(ctx.store, ctx.query, a.id)))
  },
  {
    path: '/v1/builds',
    operation: 'builds_getCollection',
    handle: page(renderBuild, ctx => selectBuilds(ctx.store, ctx.query, ctx.now))
  },
  {
    path: '/v1/builds/{id}',
    operation: 'builds_getInstance',
    handle: build(single(renderBuild, b => b))
  },
  {
    path: '/v1/builds/{id}/preReleaseVersion',
    operation: 'builds_preReleaseVersion_getToOneRelated',
    handle: build(single(renderPreReleaseVersion, (b, ctx) => ctx.store.preReleaseVersionOf(b)))
  },
  {
    path: '/v1/builds/{id}/buildBetaDetail',
    operation: 'builds_buildBetaDetail_getToOneRelated',
    handle: build(single(renderBuildBetaDetail, b => b))
  },
  {
    path: '/v1/buildUploads/{id}',
    operation: 'buildUploads_getInstance',
    handle: upload(single(renderBuildUpload, u => u))
  },
  {
    path: '/v1/buildBetaDetails',
    operation: 'buildBetaDetails_getCollection',
    handle: page(renderBuildBetaDetail, ctx => selectBuildBetaDetails(ctx.store, ctx.query))
  },
  {
    path: '/v1/buildBetaDetails/{id}',
    operation: 'buildBetaDetails_getInstance',
    handle: betaDetail(single(renderBuildBetaDetail, b => b))
  },
  {
    path: '/v1/preReleaseVersions',
    operation: 'preReleaseVersions_getCollection',
    handle: page(renderPreReleaseVersion, ctx => selectPreReleaseVersions(ctx.store, ctx.query))
  },
  {
    path: '/v1/apps/{id}/appStoreVersions',
    operation: 'apps_appStoreVersions_getToManyRelated',
    handle: app(
      page(renderAppStoreVersion, (ctx, a) => selectAppStoreVersions(ctx.store, ctx.query, a.id))
    )
  },
  {
    path: '/v1/appStoreVersions/{id}/build',
    operation: 'appStoreVersions_build_getToOneRelated',
    // The OpenAPI answers 200 with a single build; a version without one gets JSON:API's empty
    // to-one, data null (as the sandbox renders an unset relationship).
    handle: appStoreVersion((ctx, url, version) => {
      const build = version.buildId === null ? undefined : ctx.store.build(version.buildId)
      return build
        ? ok(instanceDocument(build, renderBuild, ctx, url))
        : ok({ data: null, links: { self: selfLink(ctx.origin, url) } })
    })
  }
]

/** The answer of the route for this path: 404, 405, 400 for its parameters, or its document. */
export function routeAnswer(api: Api, method: string | undefined, url: URL, now: Date): Answer {
  const matched = matchRoute(url.pathname)
  if (!matched) return errorAnswer(404, [PATH_NOT_FOUND])
  if (method !== 'GET') return errorAnswer(405, [methodNotAllowed(method ?? '')], { Allow: 'GET' })
  const [route, id] = matched
  // Whatever fell due on the timeline is visible to this request.
  api.timeline.applyDue()
  const parsed = parseQuery(route.operation, url.searchParams)
  if (!parsed.ok) return errorAnswer(400, parsed.errors)
  return route.handle({ origin: api.origin, store: api.store, now, query: parsed.query }, url, id)
}

/** Each path template as a pattern whose capture group takes the {id} segment. */
const PATTERNS = ROUTES.map(route => new RegExp(`^${route.path.replace('{id}', '([^/]+)')}$`))

function matchRoute(pathname: string): [Route, string | undefined] | undefined {
  for (const [index, route] of ROUTES.entries()) {
    const match = PATTERNS[index]!.exec(pathname)
    if (!match) continue
    if (match[1] === undefined) return [route, undefined]
    try {
      return [route, decodeURIComponent(match[1])]
    } catch {
      return [route, match[1]]
    }
  }
  return undefined
}
