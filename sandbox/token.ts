// Verifies App Store Connect bearer tokens the way Apple does: ES256 over the raw r||s signature,
// audience 'appstoreconnect-v1', issuer or 'sub: user', and at most 20 minutes of lifetime left.
import { createPublicKey, verify, type KeyObject } from 'node:crypto'

export interface SandboxKey {
  keyId: string
  /** Team key: the issuer id every token must carry in `iss`. Undefined: an individual key (`sub: "user"`, no `iss`). */
  issuerId?: string
  /** SPKI PEM of the P-256 public key, or a KeyObject. */
  publicKey: string | KeyObject
}

export const AUDIENCE = 'appstoreconnect-v1'
/** Apple refuses tokens that expire more than 20 minutes after its own clock. */
export const MAX_TOKEN_LIFETIME_SECONDS = 20 * 60
/** Tolerated clock difference for an `iat` slightly in the future. */
export const IAT_SKEW_SECONDS = 60

/** Why a request was refused; recorded for tests, never sent to the client (Apple's 401 says nothing). */
export type AuthFailure =
  | 'missing-authorization'
  | 'not-bearer'
  | 'malformed-token'
  | 'unsupported-alg'
  | 'missing-kid'
  | 'unknown-kid'
  | 'bad-signature'
  | 'wrong-aud'
  | 'wrong-iss'
  | 'individual-key-needs-sub-user'
  | 'individual-key-has-iss'
  | 'missing-exp'
  | 'expired'
  | 'exp-too-far-ahead'
  | 'missing-iat'
  | 'iat-in-future'

export type TokenCheck =
  { ok: true; keyId: string } | { ok: false; reason: AuthFailure; keyId?: string }

interface PreparedKey {
  keyId: string
  issuerId?: string
  key: KeyObject
}

const P256_SIGNATURE_BYTES = 64

export class TokenVerifier {
  private readonly keys = new Map<string, PreparedKey>()

  constructor(keys: readonly SandboxKey[]) {
    for (const key of keys) {
      const publicKey =
        typeof key.publicKey === 'string' ? createPublicKey(key.publicKey) : key.publicKey
      if (
        publicKey.asymmetricKeyType !== 'ec' ||
        publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
      ) {
        throw new Error(`key ${key.keyId}: App Store Connect keys are EC P-256 keys`)
      }
      // A private KeyObject would also verify; keep only its public half.
      const verifyingKey = publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey
      this.keys.set(key.keyId, { keyId: key.keyId, issuerId: key.issuerId, key: verifyingKey })
    }
  }

  /** Checks an Authorization header value against the keys at the given time. */
  check(authorization: string | undefined, now: Date): TokenCheck {
    if (authorization === undefined || authorization === '') {
      return { ok: false, reason: 'missing-authorization' }
    }
    const match = /^Bearer ([^\s]+)$/.exec(authorization)
    if (!match) return { ok: false, reason: 'not-bearer' }
    const token = match[1]!
    const parts = token.split('.')
    if (parts.length !== 3) return { ok: false, reason: 'malformed-token' }
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]
    const header = decodeJsonPart(headerPart)
    const payload = decodeJsonPart(payloadPart)
    if (!header || !payload || !isBase64Url(signaturePart)) {
      return { ok: false, reason: 'malformed-token' }
    }

    const keyId = typeof header['kid'] === 'string' ? header['kid'] : undefined
    if (header['alg'] !== 'ES256') return { ok: false, reason: 'unsupported-alg', keyId }
    if (keyId === undefined) return { ok: false, reason: 'missing-kid' }
    const key = this.keys.get(keyId)
    if (!key) return { ok: false, reason: 'unknown-kid', keyId }

    const signature = Buffer.from(signaturePart, 'base64url')
    // JWS wants the raw 64-byte r||s form; a DER signature (what most crypto APIs emit) is refused.
    const signed =
      signature.length === P256_SIGNATURE_BYTES &&
      verify(
        'sha256',
        Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'),
        { key: key.key, dsaEncoding: 'ieee-p1363' },
        signature
      )
    if (!signed) return { ok: false, reason: 'bad-signature', keyId }

    if (!audienceMatches(payload['aud'])) return { ok: false, reason: 'wrong-aud', keyId }
    if (key.issuerId !== undefined) {
      if (payload['iss'] !== key.issuerId) return { ok: false, reason: 'wrong-iss', keyId }
    } else {
      if (payload['iss'] !== undefined)
        return { ok: false, reason: 'individual-key-has-iss', keyId }
      if (payload['sub'] !== 'user') {
        return { ok: false, reason: 'individual-key-needs-sub-user', keyId }
      }
    }

    const nowSeconds = now.getTime() / 1000
    const exp = payload['exp']
    if (typeof exp !== 'number' || !Number.isFinite(exp))
      return { ok: false, reason: 'missing-exp', keyId }
    if (exp <= nowSeconds) return { ok: false, reason: 'expired', keyId }
    if (exp - nowSeconds > MAX_TOKEN_LIFETIME_SECONDS) {
      return { ok: false, reason: 'exp-too-far-ahead', keyId }
    }
    const iat = payload['iat']
    if (typeof iat !== 'number' || !Number.isFinite(iat))
      return { ok: false, reason: 'missing-iat', keyId }
    if (iat - nowSeconds > IAT_SKEW_SECONDS) return { ok: false, reason: 'iat-in-future', keyId }
    return { ok: true, keyId }
  }
}

function isBase64Url(text: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(text)
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  if (!isBase64Url(part)) return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** Only the plain string is accepted: stricter than RFC 7519's array form, which Apple does not document. */
function audienceMatches(aud: unknown): boolean {
  return aud === AUDIENCE
}
