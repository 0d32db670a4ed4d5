// Text from App Store Connect or the inputs, made safe for where it is shown: a log line
// (no control characters, no line breaks) or a cell of the HTML report (no way out of it).

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
 * What is left of C0 and C1 controls and DEL, and the invisible characters that reorder
 * or hide text (bidirectional overrides and isolates).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** One line of plain text: escape sequences and control characters removed, breaks as spaces. */
export function plainText(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(BREAKS, ' ').replace(CONTROLS, '')
}

/** Characters that mean something to HTML, or to Markdown and GitHub's references around it. */
const HTML_SPECIAL: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}
const MARKDOWN_SPECIAL: Record<string, string> = {
  // Without brackets there is no link, image or footnote.
  '[': '&#91;',
  ']': '&#93;',
  '*': '&#42;',
  _: '&#95;',
  '\\': '&#92;',
  '`': '&#96;',
  '|': '&#124;',
  '~': '&#126;',
  // GitHub turns @name into a mention and #123 into a link after rendering, from the text
  // itself: a zero-width space after the sign breaks both.
  '@': '&#64;&#8203;',
  '#': '&#35;&#8203;'
}

/**
 * Text for an HTML element's content in the report: one line (so no blank line can end
 * GitHub's HTML block and let Markdown render), with HTML, Markdown, mention and
 * issue-reference syntax turned into entities.
 */
export function htmlText(text: string): string {
  return plainText(text).replace(
    /[&<>"'[\]*_\\`|~@#]/g,
    character => HTML_SPECIAL[character] ?? MARKDOWN_SPECIAL[character] ?? character
  )
}

/** Text for a quoted HTML attribute value (an href or src the action built and checked). */
export function htmlAttribute(text: string): string {
  return plainText(text).replace(/[&<>"']/g, character => HTML_SPECIAL[character]!)
}
