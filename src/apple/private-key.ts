import { createPrivateKey, type KeyObject } from 'node:crypto'
import { InputError } from '../errors.js'

export interface ParsedPrivateKey {
  key: KeyObject
  /** Every form of the key that could show up in a log: to be masked before anything is logged. */
  secretForms: string[]
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/

/**
 * Turns the `private-key` input into a signing key. Accepts the `.p8` file as pasted
 * (PEM), PEM whose line breaks became literal `\n`, base64 of the whole file, and the bare
 * base64 body. Errors describe the problem without echoing the key.
 */
export function parsePrivateKey(input: string): ParsedPrivateKey {
  const given = input.trim()
  if (given === '') {
    throw new InputError(
      'private-key is empty: paste the contents of the AuthKey_XXXXXXXXXX.p8 file.'
    )
  }
  const pem = toPem(given)
  const block = PEM_BLOCK.exec(pem)
  if (!block) {
    throw new InputError(
      'private-key has a BEGIN line without a matching END line: paste the whole .p8 file, including "-----END PRIVATE KEY-----".'
    )
  }
  const [, label = '', body = ''] = block
  const base64Body = body.replace(/\s+/g, '')
  const secretForms = [input, given, pem, base64Body, ...keyPieces(pem)]

  if (label !== 'PRIVATE KEY') {
    throw new InputError(
      `private-key is ${/^[AEIOU]/.test(label) ? 'an' : 'a'} "${label}" PEM block, but App Store Connect keys are PKCS#8 "PRIVATE KEY" blocks: ` +
        'use the .p8 file downloaded from App Store Connect (Users and Access > Integrations).'
    )
  }
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem' })
  } catch {
    throw new InputError(
      'private-key could not be read as a PKCS#8 private key: its contents are damaged or incomplete. Paste the .p8 file again, unchanged.'
    )
  }
  if (key.asymmetricKeyType !== 'ec') {
    throw new InputError(
      `private-key is an ${String(key.asymmetricKeyType).toUpperCase()} key, but App Store Connect API keys are EC P-256 keys: use the .p8 file from App Store Connect.`
    )
  }
  const curve = key.asymmetricKeyDetails?.namedCurve
  if (curve !== 'prime256v1') {
    throw new InputError(
      `private-key is an EC key on curve ${curve ?? 'unknown'}, but App Store Connect API keys use P-256: use the .p8 file from App Store Connect.`
    )
  }
  return { key, secretForms: unique(secretForms) }
}

/** Brings any accepted encoding to PEM text. */
function toPem(given: string): string {
  if (given.includes('-----BEGIN')) {
    // Secrets stores and YAML often turn line breaks into literal "\n" sequences.
    return given.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n')
  }
  const compact = given.replace(/\s+/g, '')
  if (!BASE64.test(compact)) {
    throw new InputError(
      'private-key is neither PEM ("-----BEGIN PRIVATE KEY-----" ...) nor base64: paste the contents of the .p8 file.'
    )
  }
  const decoded = Buffer.from(compact, 'base64')
  const decodedText = decoded.toString('latin1')
  if (decodedText.includes('-----BEGIN')) {
    return toPem(decodedText.trim())
  }
  // A DER PKCS#8 key starts with a SEQUENCE tag; anything else is not a key body.
  if (decoded[0] !== 0x30) {
    throw new InputError(
      'private-key is base64, but it decodes neither to a PEM file nor to a key: encode the whole .p8 file, e.g. `base64 -i AuthKey_XXXXXXXXXX.p8`.'
    )
  }
  const lines = compact.match(/.{1,64}/g) ?? []
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`
}

/**
 * The pieces of key text a log could show on their own: each line (split at real or
 * `\n`-escaped breaks, as the runner masks line by line) and the whole text without white
 * space. BEGIN/END lines are not secret and would mask harmless text everywhere.
 */
export function keyPieces(text: string): string[] {
  const lines = text.split(/\r?\n|\\n/).map(line => line.trim())
  return unique([...lines, text.replace(/\s+/g, '')]).filter(
    piece => piece.length >= 8 && !piece.startsWith('-----')
  )
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter(value => value.length > 0))]
}
