// Faults a test can queue: the failures a client of App Store Connect meets in practice, and
// what each one does to the answer.
import { errorAnswer, type Answer } from './answer.js'
import { Random, subSeed } from './random.js'
import {
  FORBIDDEN,
  gatewayHtml,
  RATE_LIMIT_EXCEEDED,
  REQUIRED_AGREEMENTS,
  serverError
} from './errors.js'

export type Fault =
  | {
      kind: 'status'
      status: 429 | 500 | 502 | 503 | 504
      /** Seconds, or an HTTP date, sent as Retry-After. */
      retryAfter?: number | string
      /** An HTML page instead of Apple's JSON error, as Apple's edge answers under load. */
      html?: boolean
    }
  /** Destroy the socket without answering. */
  | { kind: 'reset' }
  /** Never answer (until the client gives up or the sandbox closes). */
  | { kind: 'hang' }
  /** 200 with valid headers, the JSON body cut in the middle. */
  | { kind: 'truncated-json' }
  /** A normal page whose links.next points at another origin. */
  | { kind: 'foreign-next'; origin?: string }
  /** A normal page whose links.next is the URL just requested. */
  | { kind: 'looping-next' }
  /**
   * 200, a collection with nothing in it: a filter that failed while the rest of the API
   * worked, as `filter[bundleId]` did for a day in 2022 (reference notes, "Things that have
   * broken in the wild").
   */
  | { kind: 'empty-page' }
  /** 403 FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED. */
  | { kind: 'agreements' }
  /** 403 FORBIDDEN_ERROR: the key's role does not allow the request. */
  | { kind: 'forbidden' }
  /**
   * The normal answer, `seconds` late and as things stand when it is sent: a slow answer under
   * load (reference notes: "5xx and timeouts under load are common"), during which the timeline
   * moves on.
   */
  | { kind: 'slow'; seconds: number }

export interface FaultRule {
  fault: Fault
  /** Matches the request's pathname: a string must be equal, a RegExp must match. Default: any path. */
  path?: string | RegExp
  /** How many matching requests the rule answers. Default 1, or every one in `during`. */
  times?: number
  /**
   * Only requests that arrive in this window, in seconds after the timeline's start signal
   * (from included, until excluded), so that outages minutes apart happen on cue. The rule
   * stays queued until its window has passed.
   */
  during?: { from: number; until: number }
  /**
   * Each matching request is answered by the rule with this probability (0 to 1), drawn from
   * the sandbox's seed, else it goes on to the next rule: faults at random on every request, as
   * a soak wants them. With `chance`, `times` defaults to every request.
   */
  chance?: number
}

export const DEFAULT_FOREIGN_ORIGIN = 'https://evil.example.com'

/** Short label recorded in RecordedRequest.fault, e.g. 'status:503', 'reset'. */
export function describeFault(fault: Fault): string {
  return fault.kind === 'status' ? `status:${fault.status}` : fault.kind
}

/** The faults that answer as the API does, only later. */
export type DelayingFault = Extract<Fault, { kind: 'slow' }>

/** FIFO queue: each request consumes one use of the first rule whose path matches. */
export class FaultQueue {
  private rules: { rule: FaultRule; remaining: number }[] = []
  private readonly random: Random

  constructor(seed = 1) {
    this.random = new Random(subSeed(seed, 4242))
  }

  add(rule: FaultRule): void {
    const times = rule.times ?? (rule.during || rule.chance !== undefined ? Infinity : 1)
    if (rule.chance !== undefined && !(rule.chance >= 0 && rule.chance <= 1)) {
      throw new Error(`fault rule chance must be between 0 and 1, got ${rule.chance}`)
    }
    if (times !== Infinity && (!Number.isInteger(times) || times < 1)) {
      throw new Error(`fault rule times must be a positive integer, got ${times}`)
    }
    const { during, fault } = rule
    if (during && !(during.from >= 0 && during.until > during.from)) {
      throw new Error(`fault rule during must be a window {from, until} with 0 <= from < until`)
    }
    if (fault.kind === 'slow' && !(fault.seconds >= 0 && Number.isFinite(fault.seconds))) {
      throw new Error(`a slow fault needs seconds >= 0, got ${String(fault.seconds)}`)
    }
    this.rules.push({ rule, remaining: times })
  }

  clear(): void {
    this.rules = []
  }

  /**
   * The fault for this request, if any; consumes one use of the rule. `elapsed` is the time
   * since the timeline's start signal, in seconds (undefined before it: no window is open).
   */
  take(pathname: string, elapsed?: number): Fault | undefined {
    const index = this.rules.findIndex(
      ({ rule }) =>
        pathMatches(rule.path, pathname) &&
        inWindow(rule.during, elapsed) &&
        (rule.chance === undefined || this.random.chance(rule.chance))
    )
    if (index < 0) return undefined
    const entry = this.rules[index]!
    entry.remaining -= 1
    if (entry.remaining === 0) this.rules.splice(index, 1)
    return entry.rule.fault
  }
}

function inWindow(during: FaultRule['during'], elapsed: number | undefined): boolean {
  if (!during) return true
  return elapsed !== undefined && elapsed >= during.from && elapsed < during.until
}

function pathMatches(path: string | RegExp | undefined, pathname: string): boolean {
  if (path === undefined) return true
  if (typeof path === 'string') return path === pathname
  path.lastIndex = 0 // a /g or /y RegExp keeps state between test() calls
  return path.test(pathname)
}

/** The faults that send something of their own: all but reset, hang and slow. */
export type AnsweringFault = Exclude<Fault, { kind: 'reset' } | { kind: 'hang' } | DelayingFault>

/** What a fault sends: an answer, or the JSON text of one to be cut in half. */
export type FaultOutcome = { kind: 'answer'; answer: Answer } | { kind: 'truncated'; json: string }

/**
 * How a fault changes the answer. `normal` computes the API's own answer, for the faults that
 * alter it rather than replace it; `here` is the URL just requested, on the sandbox's origin.
 */
export function faultAnswer(
  fault: AnsweringFault,
  normal: () => Answer,
  here: string
): FaultOutcome {
  switch (fault.kind) {
    case 'status':
      return { kind: 'answer', answer: statusAnswer(fault) }
    case 'agreements':
      return { kind: 'answer', answer: errorAnswer(403, [REQUIRED_AGREEMENTS]) }
    case 'forbidden':
      return { kind: 'answer', answer: errorAnswer(403, [FORBIDDEN]) }
    case 'truncated-json':
      return { kind: 'truncated', json: JSON.stringify(normal().body) }
    case 'empty-page':
      return { kind: 'answer', answer: emptied(normal()) }
    case 'foreign-next':
    case 'looping-next':
      return { kind: 'answer', answer: misdirected(fault, normal(), here) }
  }
}

function statusAnswer(fault: Extract<Fault, { kind: 'status' }>): Answer {
  const headers: Record<string, string> = {}
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter)
  if (fault.html) {
    headers['Content-Type'] = 'text/html'
    return { status: fault.status, body: gatewayHtml(fault.status), headers }
  }
  const spec = fault.status === 429 ? RATE_LIMIT_EXCEEDED : serverError(fault.status)
  return errorAnswer(fault.status, [spec], headers)
}

/** A collection page with nothing in it; error answers and single resources stay as they are. */
function emptied(answer: Answer): Answer {
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
  return answer
}

/** links.next pointing at the page just requested, or at the same path on another origin. */
function misdirected(
  fault: Extract<Fault, { kind: 'foreign-next' | 'looping-next' }>,
  answer: Answer,
  here: string
): Answer {
  const body = answer.body as { links?: { self?: string; next?: string } }
  if (answer.status === 200 && body.links) {
    if (fault.kind === 'looping-next') {
      body.links.next = here
    } else {
      const foreign = new URL(body.links.next ?? here)
      const target = new URL(fault.origin ?? DEFAULT_FOREIGN_ORIGIN)
      body.links.next = `${target.origin}${foreign.pathname}${foreign.search}`
    }
  }
  return answer
}
