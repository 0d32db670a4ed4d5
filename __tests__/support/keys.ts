import { generateKeyPairSync, type KeyObject } from 'node:crypto'

export interface TestKey {
  /** The .p8 file as Apple serves it. */
  pem: string
  /** The PEM with its line breaks turned into literal "\n" sequences. */
  escaped: string
  /** base64 of the whole .p8 file. */
  base64File: string
  /** The base64 body without the BEGIN/END lines. */
  bareBody: string
  publicKey: KeyObject
  publicKeyPem: string
}

/** A fresh App Store Connect-style key (EC P-256, PKCS#8), in every encoding users paste. */
export function makeTestKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  return {
    pem,
    escaped: pem.trim().replace(/\n/g, '\\n'),
    base64File: Buffer.from(pem).toString('base64'),
    bareBody: pem
      .split('\n')
      .filter(line => line && !line.startsWith('-----'))
      .join(''),
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString()
  }
}
