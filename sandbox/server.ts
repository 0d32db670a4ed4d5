// The sandbox: a real HTTP server on loopback that answers like the App Store Connect API
// (routes, tokens, JSON:API documents, paging, rate-limit header) and fails on request. This
// module assembles the parts and runs the server; pipeline.ts answers each request.
import { createServer, type RequestListener, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { scheduleAppStoreVersion, type AppStoreVersionSchedule } from './app-store-versions.js'
import { generateCatalogue } from './catalogue.js'
import { FaultQueue, type FaultRule } from './faults.js'
import { handleRequest, Latency, type RecordedRequest, type SandboxParts } from './pipeline.js'
import { RateLimiter, type EarlierUse } from './rate-limit.js'
import type { Catalogue } from './records.js'
import { CatalogueStore } from './store.js'
import {
  IdSource,
  Timeline,
  type ScheduledUpload,
  type TimelineEvent,
  type UploadSchedule
} from './timeline.js'
import { TokenVerifier, type SandboxKey } from './token.js'

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
  /**
   * Requests each key made in the hour before the sandbox started, so that X-Rate-Limit shows
   * little left: `{ count: 3598 }` leaves 1 after the first request. Default none.
   */
  rateLimitUsed?: EarlierUse
  /** Serve https with this certificate (PEM), e.g. to test proxies and CA trust. Default: plain http. */
  tls?: { key: string | Buffer; cert: string | Buffer }
  /** Uploads that happen while the sandbox runs (see Sandbox.scheduleUpload). */
  uploads?: readonly UploadSchedule[]
  /** Give the timeline's start signal as soon as the sandbox listens. Default false. */
  startTimeline?: boolean
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
  /**
   * Adds an App Store version's life on the same timeline: a new version appears at its first
   * step; going READY_FOR_DISTRIBUTION replaces the version of its app and platform on sale.
   * Returns the version's id. Example, the version being prepared goes through review and on sale:
   *   sandbox.scheduleAppStoreVersion({
   *     appStoreVersionId: sandbox.catalogue.landmarks['weather.ios.appStore.preparing'],
   *     steps: [{ at: 1, state: 'WAITING_FOR_REVIEW' }, { at: 2, state: 'IN_REVIEW' },
   *             { at: 3, state: 'PENDING_DEVELOPER_RELEASE' }, { at: 4, state: 'READY_FOR_DISTRIBUTION' }] })
   * A new version names its app, versionString and platform, and the build it ships by
   * buildNumber or buildId (a scheduleUpload handle's buildId works).
   */
  scheduleAppStoreVersion(schedule: AppStoreVersionSchedule): string
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

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const clock = options.now ?? (() => new Date())
  const catalogue = options.catalogue ?? generateCatalogue({ seed: options.seed, now: clock() })
  const store = new CatalogueStore(catalogue)
  const timeline = new Timeline(store, clock, new IdSource(options.seed ?? 1))
  for (const upload of options.uploads ?? []) timeline.schedule(upload)
  const parts: SandboxParts = {
    origin: '',
    clock,
    store,
    timeline,
    verifier: new TokenVerifier(options.keys),
    limiter: new RateLimiter(
      options.rateLimitPerHour ?? 3600,
      options.rateLimitUsed && { ...options.rateLimitUsed, startMs: clock().getTime() }
    ),
    faults: new FaultQueue(options.seed ?? 1),
    latency: new Latency(options.latencyMs ?? 0),
    requests: []
  }
  const server = await listen(options, parts)
  // Requests arrive only once listen() resolves, so none sees the empty origin.
  parts.origin = originOf(server, options.tls !== undefined)
  if (options.startTimeline) timeline.start()
  return sandboxFacade(parts, catalogue, server)
}

async function listen(options: SandboxOptions, parts: SandboxParts): Promise<Server> {
  const onRequest: RequestListener = (req, res) => handleRequest(parts, req, res)
  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
    : createServer(onRequest)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  return server
}

/** 'http://127.0.0.1:PORT', or 'http://[::1]:PORT' on IPv6. */
function originOf(server: Server, tls: boolean): string {
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `${tls ? 'https' : 'http'}://${host}:${address.port}`
}

/** The Sandbox a test holds: views of the parts, and the server's lifecycle. */
function sandboxFacade(parts: SandboxParts, catalogue: Catalogue, server: Server): Sandbox {
  const { timeline, faults, requests } = parts
  let closed = false
  return {
    url: parts.origin,
    catalogue,
    requests,
    injectFault: rule => faults.add(rule),
    clearFaults: () => faults.clear(),
    resetRequests: () => {
      requests.length = 0
    },
    scheduleUpload: schedule => timeline.schedule(schedule),
    scheduleAppStoreVersion: schedule => scheduleAppStoreVersion(timeline, parts.store, schedule),
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
      parts.latency.close()
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
