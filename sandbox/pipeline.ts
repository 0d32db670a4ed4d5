// How one request is answered, in order: it is recorded; its token is checked and counted
// against its key's hourly limit; a queued fault may take over; otherwise the API answers (401,
// 429, then the route). Everything after the fault check waits for the configured latency.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { errorAnswer, resetSocket, send, sendTruncated, type Answer } from './answer.js'
import { NOT_AUTHORIZED, RATE_LIMIT_EXCEEDED } from './errors.js'
import { describeFault, faultAnswer, type Fault, type FaultQueue } from './faults.js'
import { UNAUTHENTICATED, type RateLimiter } from './rate-limit.js'
import { selfLink } from './render.js'
import { routeAnswer, type Api } from './routes.js'
import type { AuthFailure, TokenVerifier } from './token.js'

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

/** The parts of a running sandbox that answering a request reads and changes. */
export interface SandboxParts extends Api {
  readonly clock: () => Date
  readonly verifier: TokenVerifier
  readonly limiter: RateLimiter
  readonly faults: FaultQueue
  readonly latency: Latency
  /** Every request in arrival order. */
  readonly requests: RecordedRequest[]
}

/** Answers held back by the sandbox's latency; once closed, those still waiting are dropped. */
export class Latency {
  private readonly timers = new Set<NodeJS.Timeout>()
  private closed = false
  constructor(private readonly ms: number) {}

  /** Answers after the latency, plus `extraMs` (a slow answer). */
  run(answer: () => void, extraMs = 0): void {
    const ms = this.ms + extraMs
    if (ms <= 0) {
      answer()
      return
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      if (!this.closed) answer()
    }, ms)
    this.timers.add(timer)
  }

  close(): void {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }
}

/** A request as it arrived: recorded, its token checked and counted against the rate limit. */
interface Arrival {
  method: string | undefined
  url: URL
  /** The sandbox clock when it arrived: tokens, expiry and the rate limit are judged then. */
  now: Date
  record: RecordedRequest
  authorized: boolean
  /** Requests left in the hour; negative once over the limit. */
  remaining: number
}

/** Answers one request: the server's request listener. */
export function handleRequest(
  parts: SandboxParts,
  req: IncomingMessage,
  res: ServerResponse
): void {
  const arrival = arrive(parts, req)
  const fault = parts.faults.take(arrival.url.pathname, parts.timeline.elapsedSeconds)
  if (fault) arrival.record.fault = describeFault(fault)
  if (fault?.kind === 'hang') return // the socket stays open until the client or close() ends it
  if (fault?.kind === 'slow') {
    // Answered as the API stands when the answer leaves, not when the request came in.
    parts.latency.run(() => reply(parts, req, res, arrival, undefined), fault.seconds * 1000)
    return
  }
  parts.latency.run(() => reply(parts, req, res, arrival, fault))
}

function arrive(parts: SandboxParts, req: IncomingMessage): Arrival {
  const now = parts.clock()
  const rawUrl = req.url ?? '/'
  const url = parseRequestUrl(rawUrl, parts.origin)
  const record: RecordedRequest = {
    method: req.method ?? '',
    path: url.pathname,
    query: recordQuery(url.searchParams),
    url: `${parts.origin}${rawUrl}`,
    tokenVerified: false,
    status: 0,
    bytes: 0
  }
  parts.requests.push(record)
  const auth = parts.verifier.check(req.headers.authorization, now)
  record.tokenVerified = auth.ok
  if (!auth.ok) record.authFailure = auth.reason
  const remaining = parts.limiter.hit(auth.ok ? auth.keyId : UNAUTHENTICATED, now)
  return { method: req.method, url, now, record, authorized: auth.ok, remaining }
}

/** Sends the fault's answer, or the API's, and records what was sent. */
function reply(
  parts: SandboxParts,
  req: IncomingMessage,
  res: ServerResponse,
  arrival: Arrival,
  fault: Exclude<Fault, { kind: 'hang' } | { kind: 'slow' }> | undefined
): void {
  if (fault?.kind === 'reset') {
    resetSocket(req)
    return
  }
  const { record } = arrival
  const headers = parts.limiter.header(arrival.remaining)
  const normal = () => apiAnswer(parts, arrival)
  const outcome = fault
    ? faultAnswer(fault, normal, selfLink(parts.origin, arrival.url))
    : { kind: 'answer' as const, answer: normal() }
  if (outcome.kind === 'truncated') {
    record.status = 200
    record.bytes = sendTruncated(res, outcome.json, headers)
  } else {
    record.status = outcome.answer.status
    record.bytes = send(res, outcome.answer, headers)
  }
}

/** What the API answers when no fault intervenes. */
function apiAnswer(parts: SandboxParts, arrival: Arrival): Answer {
  if (!arrival.authorized) return errorAnswer(401, [NOT_AUTHORIZED])
  if (arrival.remaining < 0) return errorAnswer(429, [RATE_LIMIT_EXCEEDED])
  return routeAnswer(parts, arrival.method, arrival.url, arrival.now)
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
