// The sandbox: a real HTTP server on loopback that answers like the App Store Connect API
// (routes, tokens, JSON:API documents, paging, rate-limit header) and fails on request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { generateCatalogue, IdSource, type Catalogue } from './catalogue.js'
import {
  errorDocument,
  FORBIDDEN,
  gatewayHtml,
  methodNotAllowed,
  NOT_AUTHORIZED,
  PATH_NOT_FOUND,
  RATE_LIMIT_EXCEEDED,
  REQUIRED_AGREEMENTS,
  resourceNotFound,
  serverError,
  type ErrorSpec
} from './errors.js'
import {
  DEFAULT_FOREIGN_ORIGIN,
  describeFault,
  FaultQueue,
  type Fault,
  type FaultRule
} from './faults.js'
import {
  appBuildsOrder,
  appPreReleaseVersionsOrder,
  parseQuery,
  selectApps,
  selectBuildBetaDetails,
  selectBuilds,
  selectBuildUploads,
  selectPreReleaseVersions,
  type OperationId
} from './query.js'
import {
  collectionDocument,
  instanceDocument,
  renderApp,
  renderBuild,
  renderBuildBetaDetail,
  renderBuildUpload,
  renderPreReleaseVersion,
  selfLink,
  type RenderContext
} from './render.js'
import { CatalogueStore } from './store.js'
import {
  Timeline,
  type ScheduledUpload,
  type TimelineEvent,
  type UploadSchedule
} from './timeline.js'
import { TokenVerifier, type AuthFailure, type SandboxKey } from './token.js'

export interface SandboxOptions {
  /** Default: generateCatalogue({ seed, now }). */
  catalogue?: Catalogue
  seed?: number
  keys: SandboxKey[]
  /** Added before every answer. Default 0. */
  latencyMs?: number
  /** Clock for token checks and expiry. Default: real time. */
  now?: () => Date
  /** Default '127.0.0.1'. */
  host?: string
  /** Default 0 (an ephemeral port). */
  port?: number
  /** Requests per key per rolling hour, as in X-Rate-Limit. Default 3600. */
  rateLimitPerHour?: number
  /** Serve https with this certificate (PEM), e.g. to test proxies and CA trust. Default: plain http. */
  tls?: { key: string | Buffer; cert: string | Buffer }
  /** Uploads that happen while the sandbox runs (see Sandbox.scheduleUpload). */
  uploads?: readonly UploadSchedule[]
  /** Give the timeline's start signal as soon as the sandbox listens. Default false. */
  startTimeline?: boolean
}

export interface RecordedRequest {
  method: string
  path: string
  /** Decoded values per parameter name, one entry per occurrence (comma lists not split). */
  query: Record<string, string[]>
  url: string
  tokenVerified: boolean
  authFailure?: AuthFailure
  /** Status sent; 0 while pending, and for reset or hang. */
  status: number
  /** The injected fault that answered this request, e.g. 'status:503', 'reset'. */
  fault?: string
  /** Bytes of the response body sent; 0 for reset or hang. */
  bytes: number
}

export interface Sandbox {
  /** 'http://127.0.0.1:PORT' ('https://' with the tls option), no trailing slash. */
  url: string
  catalogue: Catalogue
  /** Every request in arrival order. */
  requests: RecordedRequest[]
  /** Queues a fault; rules answer matching requests in FIFO order. */
  injectFault(rule: FaultRule): void
  clearFaults(): void
  resetRequests(): void
  /**
   * Adds an upload that happens while the sandbox runs, each step `at` seconds after the start
   * signal. Returns the ids its upload, build and buildBetaDetails will have. Example:
   *   sandbox.scheduleUpload({ bundleId: 'com.example.weather', version: '3.2.0', buildNumber: '600',
   *     steps: [{ at: 1 }, { at: 2, upload: 'PROCESSING' }, { at: 4, build: 'PROCESSING' },
   *             { at: 8, build: 'VALID' }] })
   */
  scheduleUpload(schedule: UploadSchedule): ScheduledUpload
  /** The start signal of the timeline; returns its instant on the sandbox clock (idempotent). */
  startTimeline(): Date
  timeline: {
    /** Steps applied so far, in order. */
    readonly events: readonly TimelineEvent[]
    /** Steps not applied yet. */
    readonly remaining: number
    /** Resolves once every scheduled step has been applied. */
    done(): Promise<void>
  }
  /** Stops the server, dropping open connections (hanging ones included). */
  close(): Promise<void>
}

const HOUR_MS = 3_600_000
/** Rate-limit bucket for requests without a verified key. */
const UNAUTHENTICATED = '\u0000unauthenticated'

interface Answer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/** Rolling-hour request counts per key, as Apple's X-Rate-Limit reports them. */
class RateLimiter {
  private readonly hits = new Map<string, number[]>()
  constructor(readonly limit: number) {}

  /** Counts a request and returns how many remain in the hour (negative once over the limit). */
  hit(bucket: string, now: Date): number {
    const cutoff = now.getTime() - HOUR_MS
    const list = (this.hits.get(bucket) ?? []).filter(t => t > cutoff)
    list.push(now.getTime())
    this.hits.set(bucket, list)
    return this.limit - list.length
  }
}

interface Route {
  /** Matches the pathname; a capture group takes the `{id}` segment. */
  pattern: RegExp
  operation: OperationId
  handle: (ctx: RenderContext, url: URL, id: string | undefined) => Answer
}

/** A handler for a path under /{type}/{id}: answers 404 NOT_FOUND when no record has that id. */
function byId<T>(
  type: string,
  find: (store: CatalogueStore, id: string) => T | undefined,
  handle: (record: T, ctx: RenderContext, url: URL) => Answer
): Route['handle'] {
  return (ctx, url, id) => {
    const record = find(ctx.store, id!)
    return record ? handle(record, ctx, url) : errorAnswer(404, [resourceNotFound(type, id!)])
  }
}
const findApp = (store: CatalogueStore, id: string) => store.app(id)
const findBuild = (store: CatalogueStore, id: string) => store.build(id)
const findUpload = (store: CatalogueStore, id: string) => store.buildUpload(id)
const findBuildOfBetaDetail = (store: CatalogueStore, id: string) => store.buildOfBetaDetail(id)

const ROUTES: readonly Route[] = [
  {
    pattern: /^\/v1\/apps$/,
    operation: 'apps_getCollection',
    handle: (ctx, url) =>
      ok(collectionDocument(selectApps(ctx.store, ctx.query), renderApp, ctx, url))
  },
  {
    pattern: /^\/v1\/apps\/([^/]+)$/,
    operation: 'apps_getInstance',
    handle: byId('apps', findApp, (app, ctx, url) => ok(instanceDocument(app, renderApp, ctx, url)))
  },
  {
    pattern: /^\/v1\/apps\/([^/]+)\/builds$/,
    operation: 'apps_builds_getToManyRelated',
    handle: byId('apps', findApp, (app, ctx, url) =>
      ok(collectionDocument(appBuildsOrder(ctx.store, app.id), renderBuild, ctx, url))
    )
  },
  {
    pattern: /^\/v1\/apps\/([^/]+)\/preReleaseVersions$/,
    operation: 'apps_preReleaseVersions_getToManyRelated',
    handle: byId('apps', findApp, (app, ctx, url) => {
      const prvs = appPreReleaseVersionsOrder(ctx.store, app.id)
      return ok(collectionDocument(prvs, renderPreReleaseVersion, ctx, url))
    })
  },
  {
    pattern: /^\/v1\/builds$/,
    operation: 'builds_getCollection',
    handle: (ctx, url) =>
      ok(collectionDocument(selectBuilds(ctx.store, ctx.query, ctx.now), renderBuild, ctx, url))
  },
  {
    pattern: /^\/v1\/builds\/([^/]+)$/,
    operation: 'builds_getInstance',
    handle: byId('builds', findBuild, (build, ctx, url) =>
      ok(instanceDocument(build, renderBuild, ctx, url))
    )
  },
  {
    pattern: /^\/v1\/builds\/([^/]+)\/preReleaseVersion$/,
    operation: 'builds_preReleaseVersion_getToOneRelated',
    handle: byId('builds', findBuild, (build, ctx, url) => {
      const prv = ctx.store.preReleaseVersionOf(build)
      return ok(instanceDocument(prv, renderPreReleaseVersion, ctx, url))
    })
  },
  {
    pattern: /^\/v1\/builds\/([^/]+)\/buildBetaDetail$/,
    operation: 'builds_buildBetaDetail_getToOneRelated',
    handle: byId('builds', findBuild, (build, ctx, url) =>
      ok(instanceDocument(build, renderBuildBetaDetail, ctx, url))
    )
  },
  {
    pattern: /^\/v1\/apps\/([^/]+)\/buildUploads$/,
    operation: 'apps_buildUploads_getToManyRelated',
    handle: byId('apps', findApp, (app, ctx, url) =>
      ok(
        collectionDocument(
          selectBuildUploads(ctx.store, ctx.query, app.id),
          renderBuildUpload,
          ctx,
          url
        )
      )
    )
  },
  {
    pattern: /^\/v1\/buildUploads\/([^/]+)$/,
    operation: 'buildUploads_getInstance',
    handle: byId('buildUploads', findUpload, (upload, ctx, url) =>
      ok(instanceDocument(upload, renderBuildUpload, ctx, url))
    )
  },
  {
    pattern: /^\/v1\/buildBetaDetails$/,
    operation: 'buildBetaDetails_getCollection',
    handle: (ctx, url) =>
      ok(
        collectionDocument(
          selectBuildBetaDetails(ctx.store, ctx.query),
          renderBuildBetaDetail,
          ctx,
          url
        )
      )
  },
  {
    pattern: /^\/v1\/buildBetaDetails\/([^/]+)$/,
    operation: 'buildBetaDetails_getInstance',
    handle: byId('buildBetaDetails', findBuildOfBetaDetail, (build, ctx, url) =>
      ok(instanceDocument(build, renderBuildBetaDetail, ctx, url))
    )
  },
  {
    pattern: /^\/v1\/preReleaseVersions$/,
    operation: 'preReleaseVersions_getCollection',
    handle: (ctx, url) => {
      const prvs = selectPreReleaseVersions(ctx.store, ctx.query, ctx.now)
      return ok(collectionDocument(prvs, renderPreReleaseVersion, ctx, url))
    }
  }
]

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const clock = options.now ?? (() => new Date())
  const catalogue = options.catalogue ?? generateCatalogue({ seed: options.seed, now: clock() })
  const store = new CatalogueStore(catalogue)
  const timeline = new Timeline(store, clock, new IdSource(options.seed ?? 1))
  for (const upload of options.uploads ?? []) timeline.schedule(upload)
  const verifier = new TokenVerifier(options.keys)
  const faults = new FaultQueue()
  const limiter = new RateLimiter(options.rateLimitPerHour ?? 3600)
  const latencyMs = options.latencyMs ?? 0
  const requests: RecordedRequest[] = []
  const timers = new Set<NodeJS.Timeout>()
  let origin = ''
  let closed = false

  /** What the API answers when no fault intervenes. */
  function normalAnswer(
    req: IncomingMessage,
    url: URL,
    authorized: boolean,
    remaining: number,
    now: Date
  ): Answer {
    if (!authorized) return errorAnswer(401, [NOT_AUTHORIZED])
    if (remaining < 0) return errorAnswer(429, [RATE_LIMIT_EXCEEDED])
    const matched = matchRoute(url.pathname)
    if (!matched) return errorAnswer(404, [PATH_NOT_FOUND])
    if (req.method !== 'GET')
      return errorAnswer(405, [methodNotAllowed(req.method ?? '')], { Allow: 'GET' })
    const [route, id] = matched
    // Whatever fell due on the timeline is visible to this request.
    timeline.applyDue()
    const parsed = parseQuery(route.operation, url.searchParams)
    if (!parsed.ok) return errorAnswer(400, parsed.errors)
    return route.handle({ origin, store, now, query: parsed.query }, url, id)
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const now = clock()
    const rawUrl = req.url ?? '/'
    const url = parseRequestUrl(rawUrl, origin)
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: recordQuery(url.searchParams),
      url: `${origin}${rawUrl}`,
      tokenVerified: false,
      status: 0,
      bytes: 0
    }
    requests.push(record)

    const auth = verifier.check(req.headers.authorization, now)
    record.tokenVerified = auth.ok
    if (!auth.ok) record.authFailure = auth.reason
    const remaining = limiter.hit(auth.ok ? auth.keyId : UNAUTHENTICATED, now)
    const rateHeader = {
      'X-Rate-Limit': `user-hour-lim:${limiter.limit};user-hour-rem:${Math.max(0, remaining)};`
    }

    const fault = faults.take(url.pathname)
    if (fault) record.fault = describeFault(fault)
    if (fault?.kind === 'hang') return // the socket stays open until the client or close() ends it

    const answer = (): void => {
      if (fault?.kind === 'reset') {
        resetSocket(req)
        return
      }
      const result = fault
        ? faultAnswer(fault, () => normalAnswer(req, url, auth.ok, remaining, now), url)
        : undefined
      if (result?.kind === 'truncated') {
        const cut = result.text.slice(0, Math.floor(result.text.length / 2))
        record.status = 200
        record.bytes = Buffer.byteLength(cut)
        res.writeHead(200, { 'Content-Type': 'application/json', ...rateHeader })
        res.end(cut)
        return
      }
      const reply = result?.answer ?? normalAnswer(req, url, auth.ok, remaining, now)
      record.status = reply.status
      record.bytes = send(res, reply, rateHeader)
    }

    if (latencyMs > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer)
        if (!closed) answer()
      }, latencyMs)
      timers.add(timer)
    } else {
      answer()
    }
  }

  /** How a fault changes the answer; `normal` computes the answer it replaces or alters. */
  function faultAnswer(
    fault: Exclude<Fault, { kind: 'reset' } | { kind: 'hang' }>,
    normal: () => Answer,
    url: URL
  ): { kind: 'answer'; answer: Answer } | { kind: 'truncated'; text: string } {
    switch (fault.kind) {
      case 'status': {
        const headers: Record<string, string> = {}
        if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter)
        if (fault.html) {
          headers['Content-Type'] = 'text/html'
          return {
            kind: 'answer',
            answer: { status: fault.status, body: gatewayHtml(fault.status), headers }
          }
        }
        const spec = fault.status === 429 ? RATE_LIMIT_EXCEEDED : serverError(fault.status)
        return { kind: 'answer', answer: errorAnswer(fault.status, [spec], headers) }
      }
      case 'agreements':
        return { kind: 'answer', answer: errorAnswer(403, [REQUIRED_AGREEMENTS]) }
      case 'forbidden':
        return { kind: 'answer', answer: errorAnswer(403, [FORBIDDEN]) }
      case 'truncated-json':
        return { kind: 'truncated', text: JSON.stringify(normal().body) }
      case 'empty-page': {
        const answer = normal()
        const body = answer.body as {
          data?: unknown
          included?: unknown
          links?: { self?: string; next?: string }
          meta?: { paging?: { total?: number } }
        }
        if (answer.status === 200 && Array.isArray(body.data)) {
          body.data = []
          delete body.included
          delete body.links?.next
          if (body.meta?.paging) body.meta.paging.total = 0
        }
        return { kind: 'answer', answer }
      }
      case 'foreign-next':
      case 'looping-next': {
        const answer = normal()
        const body = answer.body as { links?: { self?: string; next?: string } }
        if (answer.status === 200 && body.links) {
          const here = selfLink(origin, url)
          if (fault.kind === 'looping-next') {
            body.links.next = here
          } else {
            const foreign = new URL(body.links.next ?? here)
            const target = new URL(fault.origin ?? DEFAULT_FOREIGN_ORIGIN)
            body.links.next = `${target.origin}${foreign.pathname}${foreign.search}`
          }
        }
        return { kind: 'answer', answer }
      }
    }
  }

  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handle)
    : createServer(handle)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  origin = `${options.tls ? 'https' : 'http'}://${host}:${address.port}`
  if (options.startTimeline) timeline.start()

  return {
    url: origin,
    catalogue,
    requests,
    injectFault: rule => faults.add(rule),
    clearFaults: () => faults.clear(),
    resetRequests: () => {
      requests.length = 0
    },
    scheduleUpload: schedule => timeline.schedule(schedule),
    startTimeline: () => timeline.start(),
    timeline: {
      get events() {
        return timeline.events
      },
      get remaining() {
        return timeline.remaining
      },
      done: () => timeline.done()
    },
    close: async () => {
      if (closed) return
      closed = true
      timeline.close()
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}

function ok(body: unknown): Answer {
  return { status: 200, body }
}

function errorAnswer(
  status: number,
  specs: readonly ErrorSpec[],
  headers?: Record<string, string>
): Answer {
  return { status, body: errorDocument(status, specs), headers }
}

/** Sends the answer; returns the bytes of its body. */
function send(res: ServerResponse, answer: Answer, rateHeader: Record<string, string>): number {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
  const bytes = Buffer.byteLength(text)
  res.writeHead(answer.status, {
    'Content-Type': 'application/json',
    ...answer.headers,
    ...rateHeader,
    'Content-Length': bytes
  })
  res.end(text)
  return bytes
}

/** A TCP reset where the socket allows it, otherwise an abrupt close: the client sees a socket error. */
function resetSocket(req: IncomingMessage): void {
  const socket = req.socket
  try {
    socket.resetAndDestroy()
  } catch {
    socket.destroy()
  }
}

function matchRoute(pathname: string): [Route, string | undefined] | undefined {
  for (const route of ROUTES) {
    const match = route.pattern.exec(pathname)
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

/** The request target as a URL on our origin; '//x' stays a path, never another host. */
function parseRequestUrl(rawUrl: string, origin: string): URL {
  try {
    return new URL(rawUrl.startsWith('/') ? `${origin}${rawUrl}` : rawUrl, origin)
  } catch {
    return new URL('/', origin)
  }
}

function recordQuery(params: URLSearchParams): Record<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [name, value] of params) out.set(name, [...(out.get(name) ?? []), value])
  return Object.fromEntries(out)
}
