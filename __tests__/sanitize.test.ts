import { describe, expect, it } from '@jest/globals'
import { htmlAttribute, htmlText, plainText } from '../src/report/sanitize.js'
import { SecretRegistry } from '../src/secrets.js'

const ESC = '\u001b'

describe('plainText', () => {
  it('removes ANSI sequences whole, control characters and bidi overrides; breaks become spaces', () => {
    expect(plainText(`${ESC}[2K${ESC}[1G${ESC}[32m✔ passed${ESC}[0m`)).toBe('✔ passed')
    expect(plainText(`${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`)).toBe('link')
    expect(plainText(`a\r\nb\n\nc\td\u2028e`)).toBe('a b c d e')
    expect(plainText(`x\u0000\u0007\u007f\u009b31my\u202ez`)).toBe('xyz')
  })
})

describe('htmlText', () => {
  it('keeps text in its cell: one line, no HTML, no Markdown link, no mention, no reference', () => {
    const escaped = htmlText(
      '\n\n# X\n\n[a](https://e.example) ![i](x) @octocat #12 <b>&</b> `c` *e* _e_ |'
    )
    expect(escaped).not.toMatch(/[\n<>[\]`*_|]/)
    expect(escaped).toContain('&#91;a&#93;(https://e.example)')
    expect(escaped).toContain('&#64;&#8203;octocat')
    expect(escaped).toContain('&#35;&#8203;12')
    expect(escaped).toContain('&lt;b&gt;&amp;&lt;/b&gt;')
  })

  it('leaves ordinary text as it is', () => {
    expect(htmlText('Build 630 (2.4) for iOS, expires 2027-02-18T10:00:00-08:00')).toBe(
      'Build 630 (2.4) for iOS, expires 2027-02-18T10:00:00-08:00'
    )
  })
})

describe('htmlAttribute', () => {
  it('escapes quotes and markup only', () => {
    expect(htmlAttribute('https://a.example/x_y?a=1&b="2"')).toBe(
      'https://a.example/x_y?a=1&amp;b=&quot;2&quot;'
    )
  })
})

describe('SecretRegistry', () => {
  it('masks each secret once, and redacts the longest first', () => {
    const masked: string[] = []
    const registry = new SecretRegistry(secret => masked.push(secret))
    registry.add('abcdefgh')
    registry.add('abcdefgh-and-more')
    registry.add('abcdefgh')
    registry.add('')
    expect(masked).toEqual(['abcdefgh', 'abcdefgh-and-more'])
    expect(registry.redact('x abcdefgh-and-more y abcdefgh z')).toBe('x *** y *** z')
  })

  it('masks but does not redact pieces too short to be told from words', () => {
    const masked: string[] = []
    const registry = new SecretRegistry(secret => masked.push(secret))
    registry.add('ab')
    expect(masked).toEqual(['ab'])
    expect(registry.redact('about')).toBe('about')
  })

  it('redacts a token whole, and its signature alone', () => {
    const registry = new SecretRegistry(() => undefined)
    const signature = 'S'.repeat(86)
    const token = `eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.${signature}`
    registry.addToken(token)
    expect(registry.redact(`Bearer ${token}`)).toBe('Bearer ***')
    expect(registry.redact(`...${signature.slice(0)}`)).toBe('...***')
  })
})
