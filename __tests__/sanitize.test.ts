import { describe, expect, it } from '@jest/globals'
import { plainText } from '../src/outside-text.js'
import { escapeHtmlAttribute, escapeHtml } from '../src/report/sanitize.js'

const ESC = '\u001b'

describe('plainText', () => {
  it('removes ANSI sequences whole, control characters and bidi overrides; breaks become spaces', () => {
    expect(plainText(`${ESC}[2K${ESC}[1G${ESC}[32m✔ passed${ESC}[0m`)).toBe('✔ passed')
    expect(plainText(`${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`)).toBe('link')
    expect(plainText(`a\r\nb\n\nc\td\u2028e`)).toBe('a b c d e')
    expect(plainText(`x\u0000\u0007\u007f\u009b31my\u202ez`)).toBe('xyz')
    // Other escapes (reverse index, reset, a character set) go whole, letter included.
    expect(plainText(`a${ESC}Mb${ESC}cc${ESC}(Bd${ESC}7e`)).toBe('abcde')
    // A stray ESC before a space or a comma takes nothing of the text with it.
    expect(plainText(`build${ESC} 632 ready, stray ${ESC}, then text`)).toBe(
      'build 632 ready, stray , then text'
    )
  })
})

describe('escapeHtml', () => {
  it('keeps text in its cell: one line, no HTML, no Markdown link, no mention, no reference', () => {
    const escaped = escapeHtml(
      '\n\n# X\n\n[a](https://e.example) ![i](x) @octocat #12 <b>&</b> `c` *e* _e_ |'
    )
    expect(escaped).not.toMatch(/[\n<>[\]`*_|]/)
    expect(escaped).toContain('&#91;a&#93;(https://e.example)')
    expect(escaped).toContain('&#64;&#8203;octocat')
    expect(escaped).toContain('&#35;&#8203;12')
    expect(escaped).toContain('&lt;b&gt;&amp;&lt;/b&gt;')
  })

  it('writes each character Markdown or HTML reads specially as an entity', () => {
    expect(escapeHtml(`&<>"'[]*_\\\`|~@#`)).toBe(
      '&amp;&lt;&gt;&quot;&#39;&#91;&#93;&#42;&#95;&#92;&#96;&#124;&#126;&#64;&#8203;&#35;&#8203;'
    )
  })

  it('leaves ordinary text as it is', () => {
    expect(escapeHtml('Build 630 (2.4) for iOS, expires 2027-02-18T10:00:00-08:00')).toBe(
      'Build 630 (2.4) for iOS, expires 2027-02-18T10:00:00-08:00'
    )
  })
})

describe('escapeHtmlAttribute', () => {
  it('escapes quotes and markup only', () => {
    expect(escapeHtmlAttribute('https://a.example/x_y?a=1&b="2"')).toBe(
      'https://a.example/x_y?a=1&amp;b=&quot;2&quot;'
    )
  })
})
