// Apple's error answers: its own code and detail, plus a hint for the ones users meet most.
import { ActionError } from '../errors.js'

/** One entry of Apple's `{"errors": [...]}` body. */
export interface AppleErrorEntry {
  status?: string
  code?: string
  title?: string
  detail?: string
  source?: { parameter?: string; pointer?: string }
  /** `links.see`: where Apple sends the user, e.g. '/agreements' on the agreements 403. */
  see?: string
}

/** Names the input behind a query parameter the action filled from it, if any. */
export type InputBehindParameter = (parameter: string) => string | undefined

/** Apple answered with an error status. Carries Apple's own code and detail plus a hint. */
export class AppleApiError extends ActionError {
  override name = 'AppleApiError'
  constructor(
    readonly status: number,
    readonly entries: AppleErrorEntry[],
    /** What the action was asking, e.g. "listing the builds of app 123". */
    readonly purpose: string,
    readonly hint: string | undefined,
    /** How long Apple asked to wait (Retry-After), if it said. */
    readonly retryAfterMs?: number
  ) {
    super(formatAppleError(status, entries, purpose, hint))
  }

  /** Apple's first error code, e.g. `NOT_AUTHORIZED`, or undefined when the body had none. */
  get code(): string | undefined {
    return this.entries[0]?.code
  }
}

function formatAppleError(
  status: number,
  entries: AppleErrorEntry[],
  purpose: string,
  hint: string | undefined
): string {
  const reasons = entries.map(entry => {
    const parameter = entry.source?.parameter ? ` (${entry.source.parameter})` : ''
    const see = entry.see ? ` (Apple points to ${entry.see})` : ''
    const said = [entry.code && `${entry.code}${parameter}`, entry.detail ?? entry.title]
      .filter(Boolean)
      .join(': ')
    return `${said.replace(/\.$/, '')}${see}`
  })
  const said = reasons.length > 0 ? reasons.join('; ') : 'no error details in the response'
  const parts = [
    `App Store Connect answered ${status} while ${purpose}: ${said.replace(/\.$/, '')}.`
  ]
  if (hint) parts.push(hint)
  return parts.join(' ')
}

/** Hints for the answers users meet most often, keyed by Apple's error code, then by status. */
export function hintFor(
  status: number,
  entry: AppleErrorEntry | undefined,
  inputBehind: InputBehindParameter = () => undefined
): string | undefined {
  const code = entry?.code
  if (code === 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED') {
    return 'The Account Holder must accept the latest agreements in App Store Connect (Business > Agreements), then run again.'
  }
  switch (status) {
    case 400: {
      const parameter = entry?.source?.parameter
      const input = parameter ? inputBehind(parameter) : undefined
      return input
        ? `Apple refused the value of ${input}: check it against what App Store Connect shows.`
        : 'Apple refused a parameter the action sent: please report this with the message above, as the API may have changed.'
    }
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
