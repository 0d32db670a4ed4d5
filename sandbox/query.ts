// A request's query, parsed and validated against its operation's parameters (operations.ts),
// and read back: fields[...], include, limit[...], the page size and the cursor's position.
import { illegalParameter, invalidParameter, repeatedParameter, type ErrorSpec } from './errors.js'
import {
  DEFAULT_INCLUDED_LIMIT,
  DEFAULT_LIMIT,
  OPERATIONS,
  type OperationId,
  type Rule
} from './operations.js'

export interface ParsedQuery {
  /** Values per parameter, comma lists split (the values OR together). */
  readonly values: ReadonlyMap<string, readonly string[]>
  /** Page size (collections). */
  readonly limit: number
  /** Position decoded from the cursor (collections). */
  readonly offset: number
}

export type QueryResult = { ok: true; query: ParsedQuery } | { ok: false; errors: ErrorSpec[] }

/** The query's values, or every error Apple would list for it (an illegal name, a bad value). */
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
      return raw.split(',').some(v => v === '') ? notAValue(name, raw) : undefined
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
      return raw.split(',').every(isBoolean) ? undefined : notAValue(name, raw)
    case 'boolean':
      return isBoolean(raw) ? undefined : notAValue(name, raw)
    case 'limit': {
      const n = /^[0-9]+$/.test(raw) ? Number(raw) : NaN
      return Number.isSafeInteger(n) && n >= 1 && n <= rule.max
        ? undefined
        : invalidParameter(
            name,
            `${notAValueText(name, raw)}. It must be an integer from 1 to ${rule.max}.`
          )
    }
    case 'cursor':
      return decodeCursor(raw) === undefined
        ? invalidParameter(name, `'${raw}' is not a valid cursor for this request`)
        : undefined
  }
}

const isBoolean = (value: string) => value === 'true' || value === 'false'
const notAValueText = (name: string, raw: string) =>
  `'${raw}' is not a valid value for the parameter '${name}'`
const notAValue = (name: string, raw: string) => invalidParameter(name, notAValueText(name, raw))

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

/** limit[relationship] for included to-many relationships. */
export function includedLimit(query: ParsedQuery, relationship: string): number {
  const raw = query.values.get(`limit[${relationship}]`)
  return raw ? Number(raw[raw.length - 1]) : DEFAULT_INCLUDED_LIMIT
}
