import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/errors.js'
import { keyPieces, parsePrivateKey } from '../src/apple/private-key.js'
import { makeTestKey } from './support/keys.js'

const key = makeTestKey()

function failure(input: string): InputError {
  try {
    parsePrivateKey(input)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('the key was accepted')
}

describe('parsePrivateKey', () => {
  it.each([
    ['the .p8 file as is', key.pem],
    ['PEM with literal \\n escapes', key.escaped],
    ['PEM with CRLF line ends and surrounding blanks', `  ${key.pem.replace(/\n/g, '\r\n')}\n\n`],
    ['PEM with CR line ends', key.pem.replace(/\n/g, '\r')],
    ['base64 of the whole file', key.base64File],
    ['base64 of the whole file, wrapped at 76 columns', key.base64File.replace(/(.{76})/g, '$1\n')],
    ['the bare base64 body', key.bareBody]
  ])('reads %s as the same EC P-256 key', (_form, input) => {
    const parsed = parsePrivateKey(input)
    expect(parsed.key.asymmetricKeyType).toBe('ec')
    expect(parsed.key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
    expect(parsed.key.export({ type: 'pkcs8', format: 'pem' })).toBe(key.pem)
  })

  it('lists every form of the key to mask, including each line of the PEM body', () => {
    const { secretForms } = parsePrivateKey(key.escaped)
    expect(secretForms).toContain(key.escaped)
    expect(secretForms).toContain(key.bareBody)
    for (const line of key.pem.split('\n').filter(l => l && !l.startsWith('-----'))) {
      expect(secretForms).toContain(line)
    }
    expect(secretForms.some(form => form.startsWith('-----BEGIN PRIVATE KEY-----\n'))).toBe(true)
    // BEGIN/END lines are not secret and would mask harmless text everywhere.
    expect(secretForms).not.toContain('-----BEGIN PRIVATE KEY-----')
  })

  it('masks the 64-character lines of a key pasted as its bare body, as the PEM shows them', () => {
    const { secretForms } = parsePrivateKey(key.bareBody)
    const bodyLines = key.pem.split('\n').filter(l => l && !l.startsWith('-----'))
    expect(bodyLines.length).toBeGreaterThan(1)
    for (const line of bodyLines) expect(secretForms).toContain(line)
  })

  it('masks each line of the key without the blanks around it', () => {
    const padded = key.pem.replace(/\n/g, '  \n')
    const { secretForms } = parsePrivateKey(padded)
    for (const line of key.pem.split('\n').filter(l => l && !l.startsWith('-----'))) {
      expect(secretForms).toContain(line)
    }
  })

  it('rejects a PKCS#1 "RSA PRIVATE KEY" block, naming it and where the right file is', () => {
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString()
    expect(failure(pkcs1).message).toBe(
      'private-key is a "RSA PRIVATE KEY" PEM block, but App Store Connect keys are PKCS#8 "PRIVATE KEY" blocks: ' +
        'use the .p8 file downloaded from App Store Connect (Users and Access > Integrations).'
    )
  })

  it('rejects a key pasted after a label as not base64, rather than decoding its tail', () => {
    expect(failure(`AuthKey: ${key.bareBody}`).message).toMatch(/neither PEM .* nor base64/)
  })

  it('rejects an RSA key by name', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    expect(failure(rsa).message).toMatch(/private-key is an RSA key.*EC P-256/)
  })

  it('rejects an EC key on another curve', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    expect(failure(p384).message).toMatch(/curve secp384r1.*P-256/)
  })

  it('rejects a SEC1 "EC PRIVATE KEY" block as not PKCS#8', () => {
    const sec1 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'sec1', format: 'pem' })
      .toString()
    expect(failure(sec1).message).toMatch(/private-key is an "EC PRIVATE KEY" PEM block.*PKCS#8/)
  })

  it('rejects a damaged key body without echoing it', () => {
    // The body loses its last line: the DER structure is cut short.
    const lines = key.pem.trim().split('\n')
    const damaged = [...lines.slice(0, -2), lines.at(-1)].join('\n')
    const message = failure(damaged).message
    expect(message).toMatch(/could not be read as a PKCS#8 private key/)
    expect(message).not.toContain(key.bareBody.slice(0, 16))
  })

  it('rejects a PEM cut before its END line', () => {
    expect(failure(key.pem.slice(0, 80)).message).toMatch(/without a matching END line/)
  })

  it('rejects base64 that decodes to garbage', () => {
    const garbage = Buffer.from('this is not a key at all').toString('base64')
    const message = failure(garbage).message
    expect(message).toMatch(/decodes neither to a PEM file nor to a key/)
    expect(message).not.toContain(garbage)
  })

  it('rejects text that is neither PEM nor base64', () => {
    expect(failure('my secret key!').message).toMatch(/neither PEM .* nor base64/)
  })

  it('rejects an empty key', () => {
    expect(failure('  \n').message).toMatch(/private-key is empty/)
  })
})

describe('keyPieces', () => {
  it('lists each line of 8 characters or more, and the whole text without blanks', () => {
    expect(keyPieces('ABCDEFGH\nabcdefg\n  12345678  ')).toEqual([
      'ABCDEFGH',
      '12345678',
      'ABCDEFGHabcdefg12345678'
    ])
  })

  it('splits at literal \\n escapes too, as secrets stores write line breaks', () => {
    expect(keyPieces('ABCDEFGH\\nIJKLMNOP')).toEqual([
      'ABCDEFGH',
      'IJKLMNOP',
      'ABCDEFGH\\nIJKLMNOP'
    ])
  })

  it('leaves out BEGIN and END lines, but keeps key text that only ends with an END line', () => {
    const withoutBegin = `${key.bareBody.slice(0, 64)}\n-----END PRIVATE KEY-----`
    expect(keyPieces(withoutBegin)).toEqual([
      key.bareBody.slice(0, 64),
      `${key.bareBody.slice(0, 64)}-----ENDPRIVATEKEY-----`
    ])
  })
})
