// Text from App Store Connect or the inputs, made safe for a cell of the HTML report (no way
// out of it). It is plain and redacted first (see outside-text.ts), then escaped.
import { redactedText } from '../outside-text.js'

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
 * GitHub's HTML block and let Markdown render), secrets redacted, with HTML, Markdown,
 * mention and issue-reference syntax turned into entities.
 */
export function escapeHtml(text: string): string {
  return redactedText(text).replace(
    /[&<>"'[\]*_\\`|~@#]/g,
    character => HTML_SPECIAL[character] ?? MARKDOWN_SPECIAL[character] ?? character
  )
}

/** Text for a quoted HTML attribute value (an href or src the action built and checked). */
export function escapeHtmlAttribute(text: string): string {
  return redactedText(text).replace(/[&<>"']/g, character => HTML_SPECIAL[character]!)
}
