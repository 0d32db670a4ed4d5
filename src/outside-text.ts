// Text that comes from outside the action (Apple, GitHub, the inputs), made safe in one fixed
// order before anything else touches it: control characters out first, so that none can split
// a secret; then every known secret redacted; then cut to length, so that no cut can leave a
// secret's unknown piece behind. Escaping for Markdown or HTML (report/sanitize.ts) and for
// the runner's workflow commands (below) comes last.
import { secrets } from './secrets.js'

/**
 * ANSI escape sequences (colours, cursor moves, OSC titles and links), whole, so that no
 * stray "[32m" is left behind when the ESC itself is removed.
 */
const ANSI_SEQUENCE = new RegExp(
  [
    '\\u001b\\][^\\u0007\\u001b]*(?:\\u0007|\\u001b\\\\)', // OSC ... BEL or ST
    '(?:\\u001b\\[|\\u009b)[0-?]*[ -/]*[@-~]', // CSI
    '\\u001b[#%()*+./-]?[0-~]' // other escapes: ESC, a designator such as ( at most, a final byte
  ].join('|'),
  'g'
)
/** Line breaks of every kind, tabs and form feeds: each becomes one space. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g
/**
 * What is left of C0 and C1 controls and DEL, and the invisible characters that hide, join or
 * reorder text (zero-width spaces and joiners, bidirectional marks, overrides and isolates).
 */
const CONTROLS =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

/** One line of plain text: escape sequences and control characters removed, breaks as spaces. */
export function plainText(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(BREAKS, ' ').replace(CONTROLS, '')
}

/** Plain text with every known secret replaced by `***`. */
export function redactedText(text: string): string {
  return secrets.redact(plainText(text))
}

/**
 * Outside text as it may be kept: plain, redacted, then cut to `max` characters (with an
 * ellipsis). Empty text is undefined.
 */
export function outsideText(text: string, max: number): string | undefined {
  const safe = redactedText(text)
  if (safe === '') return undefined
  return safe.length > max ? `${safe.slice(0, max)}…` : safe
}

/** Breaks a workflow command apart without changing what a reader sees. */
const ZERO_WIDTH_SPACE = '\u200b'

/**
 * A log line no workflow command can start from: the runner reads `::name::` at the start of
 * a line (after white space) and the legacy `##[name]` anywhere in it. A zero-width space
 * goes between the two characters of each, after every other step (plainText removes it).
 */
export function withoutWorkflowCommands(line: string): string {
  return line
    .replace(/##\[/g, `#${ZERO_WIDTH_SPACE}#[`)
    .replace(/^(\s*):(?=:)/, `$1:${ZERO_WIDTH_SPACE}`)
}
