// Apple's error documents: { "errors": [ { id?, status, code, title, detail, source?, links? } ] }.
// Wording copied from answers Apple gives; see the notes at each constant. Apple's recorded
// 401 and 500 answers carry no `id`, and its agreements 403 points at the agreements page in
// `links.see`.
import { randomUUID } from 'node:crypto'

export interface ApiError {
  id?: string
  status: string
  code: string
  title: string
  detail: string
  source?: { parameter: string }
  links?: { see: string }
}

export interface ErrorDocument {
  errors: ApiError[]
}

/** An error before it gets its id and status string. */
export interface ErrorSpec {
  code: string
  title: string
  detail: string
  parameter?: string
  /** Apple's recorded answer of this kind has no `id`. */
  noId?: boolean
  /** `links.see`: where Apple sends the user to fix it. */
  see?: string
}

export function errorDocument(status: number, specs: readonly ErrorSpec[]): ErrorDocument {
  return {
    errors: specs.map(spec => ({
      ...(spec.noId ? {} : { id: randomUUID() }),
      status: String(status),
      code: spec.code,
      title: spec.title,
      detail: spec.detail,
      ...(spec.parameter !== undefined ? { source: { parameter: spec.parameter } } : {}),
      ...(spec.see !== undefined ? { links: { see: spec.see } } : {})
    }))
  }
}

export const NOT_AUTHORIZED: ErrorSpec = {
  code: 'NOT_AUTHORIZED',
  title: 'Authentication credentials are missing or invalid.',
  detail:
    'Provide a properly configured and signed bearer token, and make sure that it has not expired. ' +
    'Learn more about Generating Tokens for API Requests https://developer.apple.com/go/?id=api-generating-tokens',
  noId: true
}

export const RATE_LIMIT_EXCEEDED: ErrorSpec = {
  code: 'RATE_LIMIT_EXCEEDED',
  title: 'The request rate limit has been reached.',
  detail:
    "We've received too many requests for this API. Please wait and try again or slow down your request rate."
}

export const REQUIRED_AGREEMENTS: ErrorSpec = {
  code: 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED',
  title: 'A required agreement is missing or has expired.',
  detail: 'This request requires an in-effect agreement that has not been signed or has expired.',
  see: '/agreements'
}

export const FORBIDDEN: ErrorSpec = {
  code: 'FORBIDDEN_ERROR',
  title: 'This request is forbidden for security reasons',
  detail: 'The API key in use does not allow this request'
}

export const PATH_NOT_FOUND: ErrorSpec = {
  code: 'NOT_FOUND',
  title: 'The specified resource does not exist',
  detail: 'The path provided does not match a defined resource type.'
}

export function resourceNotFound(type: string, id: string): ErrorSpec {
  return {
    code: 'NOT_FOUND',
    title: 'The specified resource does not exist',
    detail: `There is no resource of type '${type}' with id '${id}'`
  }
}

export function methodNotAllowed(method: string): ErrorSpec {
  return {
    code: 'METHOD_NOT_ALLOWED',
    title: 'The request method is not valid for the resource path.',
    detail: `The request method '${method}' is not supported by this sandbox, which serves GET only.`
  }
}

export function illegalParameter(parameter: string): ErrorSpec {
  return {
    code: 'PARAMETER_ERROR.ILLEGAL',
    title: 'A given parameter is not allowed for this request',
    detail: `The parameter '${parameter}' can not be used with this request`,
    parameter
  }
}

export function invalidParameter(parameter: string, detail: string): ErrorSpec {
  return {
    code: 'PARAMETER_ERROR.INVALID',
    title: 'A parameter has an invalid value',
    detail,
    parameter
  }
}

/**
 * A parameter given twice (`filter[app]=1&filter[app]=2`). Apple rejects such a query (reference
 * notes, "Things that have broken in the wild"); the notes do not record the code, and
 * PARAMETER_ERROR.INVALID is the one Apple uses for a value it cannot accept.
 */
export function repeatedParameter(parameter: string): ErrorSpec {
  return invalidParameter(
    parameter,
    `The parameter '${parameter}' can only be used once in a request; separate several values with commas`
  )
}

/** Bodies for injected 5xx answers, in Apple's JSON shape. */
export function serverError(status: number): ErrorSpec {
  if (status === 500) {
    return {
      code: 'UNEXPECTED_ERROR',
      title: 'An unexpected error occurred.',
      detail:
        'An unexpected error occurred on the server side. If this issue continues, contact us at https://developer.apple.com/contact/.',
      noId: true
    }
  }
  return {
    code: 'SERVICE_UNAVAILABLE',
    title: 'The service is temporarily unavailable.',
    detail: 'The service is temporarily unavailable. Please try again later.'
  }
}

const STATUS_TEXT: Record<number, string> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out'
}

/** The bare HTML page a gateway answers with when the service behind it is overloaded. */
export function gatewayHtml(status: number): string {
  const text = `${status} ${STATUS_TEXT[status] ?? 'Error'}`
  return (
    `<html>\r\n<head><title>${text}</title></head>\r\n<body>\r\n` +
    `<center><h1>${text}</h1></center>\r\n<hr><center>Apple</center>\r\n</body>\r\n</html>\r\n`
  )
}
