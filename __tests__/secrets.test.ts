import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { SecretRegistry, secrets } from '../src/secrets.js'
import { captureStdout } from './support/stdout.js'

function registry(): { registry: SecretRegistry; masked: string[] } {
  const masked: string[] = []
  return { registry: new SecretRegistry(secret => masked.push(secret)), masked }
}

afterEach(() => {
  jest.restoreAllMocks()
})

describe('SecretRegistry', () => {
  it('masks each secret once, and never an empty one', () => {
    const { registry: known, masked } = registry()
    known.add('')
    known.add('s3cret-value')
    known.add('s3cret-value')
    expect(masked).toEqual(['s3cret-value'])
  })

  it('redacts secrets of 6 characters or more; shorter ones are only masked', () => {
    const { registry: known, masked } = registry()
    known.add('abcde')
    known.add('ghijkl')
    expect(masked).toEqual(['abcde', 'ghijkl'])
    expect(known.redact('abcde ghijkl ghijkl')).toBe('abcde *** ***')
  })

  it('replaces a secret that contains another whole', () => {
    const { registry: known } = registry()
    known.add('token-part')
    known.add('the-whole-token-part')
    expect(known.redact('sent the-whole-token-part and token-part')).toBe('sent *** and ***')
  })

  it('knows a token whole and by its signature, when the signature is long enough to be one', () => {
    const { registry: known, masked } = registry()
    const signature = 'S'.repeat(20)
    known.addToken(`header.claims.${signature}`)
    expect(masked).toEqual([`header.claims.${signature}`, signature])
    expect(known.redact(`Bearer header.claims.${signature}`)).toBe('Bearer ***')
    expect(known.redact(`cut at the dots: ${signature}`)).toBe('cut at the dots: ***')
    const { registry: other, masked: otherMasked } = registry()
    other.addToken(`header.claims.${'S'.repeat(19)}`)
    other.addToken('no-dots-in-this-token')
    expect(otherMasked).toEqual([`header.claims.${'S'.repeat(19)}`, 'no-dots-in-this-token'])
  })
})

describe('SecretRegistry.redact across white space', () => {
  it('finds a secret that white space splits, and replaces it from its first character to its last', () => {
    const { registry: known } = registry()
    known.add('abcdefghij')
    expect(known.redact('x abcde fghij y')).toBe('x *** y')
    expect(known.redact('x abcde\n  fghij y abcdefghij')).toBe('x *** y ***')
    expect(known.redact('abcdefghij')).toBe('***')
    expect(known.redact('abcdefghi')).toBe('abcdefghi')
  })

  it('matches a secret holding white space (a key with its line breaks) without it', () => {
    const { registry: known } = registry()
    known.add('line-one\nline-two')
    expect(known.redact('key: line-oneline-two.')).toBe('key: ***.')
    expect(known.redact('key: line-one line-two.')).toBe('key: ***.')
  })

  it('replaces overlapping secrets as one', () => {
    const { registry: known } = registry()
    known.add('aaaabbbb')
    known.add('bbbbcccc')
    expect(known.redact('-aaaabbbbcccc-')).toBe('-***-')
  })

  it('takes a secret of any length', () => {
    const { registry: known } = registry()
    known.add('t'.repeat(20_000))
    expect(known.redact(`<${'t'.repeat(20_000)}>`)).toBe('<***>')
  })
})

describe('secrets', () => {
  it('masks through the runner', () => {
    const written = captureStdout()
    secrets.add('registry-test-secret-1')
    expect(written).toEqual(['::add-mask::registry-test-secret-1\n'])
  })
})
