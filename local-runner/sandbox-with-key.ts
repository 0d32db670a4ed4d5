// A sandbox that knows one freshly generated team key, and the inputs that reach it.
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index.js'

export interface SandboxWithKey {
  sandbox: Sandbox
  /** issuer-id, key-id, private-key and api-base-url for the action. */
  inputs: Record<'issuer-id' | 'key-id' | 'private-key' | 'api-base-url', string>
}

export async function startSandboxWithNewKey(
  options: Omit<SandboxOptions, 'keys'> = {}
): Promise<SandboxWithKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const keyId = 'DEMOKEY001'
  const issuerId = randomUUID()
  const sandbox = await startSandbox({ ...options, keys: [{ keyId, issuerId, publicKey }] })
  return {
    sandbox,
    inputs: {
      'issuer-id': issuerId,
      'key-id': keyId,
      'private-key': privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'api-base-url': sandbox.url
    }
  }
}
