/** A failure the user can act on: its message is the whole story, so no stack trace is shown. */
export class ActionError extends Error {
  override name = 'ActionError'
}

/** An input that cannot be used as given. Raised before any request is sent. */
export class InputError extends ActionError {
  override name = 'InputError'
}

/** One entry of Apple's `{"errors": [...]}` body. */
export interface AppleErrorEntry {
  status?: string
  code?: string
  title?: string
  detail?: string
  source?: { parameter?: string; pointer?: string }
}

/** Apple answered with an error status. Carries Apple's own code and detail plus a hint. */
export class AppleApiError extends ActionError {
  override name = 'AppleApiError'
  constructor(
    readonly status: number,
    readonly entries: AppleErrorEntry[],
    readonly attempt: string,
    readonly hint: string | undefined,
    /** How long Apple asked to wait (Retry-After), if it said. */
    readonly retryAfterMs?: number
  ) {
    super(formatAppleError(status, entries, attempt, hint))
  }

  /** Apple's first error code, e.g. `NOT_AUTHORIZED`, or undefined when the body had none. */
  get code(): string | undefined {
    return this.entries[0]?.code
  }
}

function formatAppleError(
  status: number,
  entries: AppleErrorEntry[],
  attempt: string,
  hint: string | undefined
): string {
  const reasons = entries.map(entry =>
    [entry.code, entry.detail ?? entry.title].filter(Boolean).join(': ')
  )
  const said = reasons.length > 0 ? reasons.join('; ') : 'no error details in the response'
  const parts = [
    `App Store Connect answered ${status} while ${attempt}: ${said.replace(/\.$/, '')}.`
  ]
  if (hint) parts.push(hint)
  return parts.join(' ')
}

/** Hints for the answers users meet most often, keyed by Apple's error code, then by status. */
export function hintFor(status: number, code: string | undefined): string | undefined {
  if (code === 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED') {
    return 'The Account Holder must accept the latest agreements in App Store Connect (Business > Agreements), then run again.'
  }
  switch (status) {
    case 401:
      return (
        'Check that issuer-id, key-id and private-key belong to the same App Store Connect API key ' +
        '(an individual key takes an empty issuer-id), that the key has not been revoked, ' +
        "and that the runner's clock is correct."
      )
    case 403:
      return "The API key's role cannot read builds: use a key with the App Manager, Developer or Admin role."
    case 404:
      return 'Check app-id: it is the numeric Apple ID shown under App Information in App Store Connect, and the key must have access to that app.'
    case 429:
      return 'The hourly request limit of this API key is used up; wait, or spread the workflows over more keys.'
    default:
      return undefined
  }
}

/** The message of anything thrown, including values that are not Errors. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  if (typeof error === 'string') return error
  try {
    return `Unexpected failure: ${JSON.stringify(error)}`
  } catch {
    return `Unexpected failure: ${String(error)}`
  }
}
