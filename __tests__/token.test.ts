import { describe, expect, it } from '@jest/globals'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { parsePrivateKey } from '../src/apple/private-key.js'
import { TokenSource } from '../src/apple/token.js'
import { makeTestKey } from './support/keys.js'

const key = makeTestKey()
const signingKey = parsePrivateKey(key.pem).key
const ISSUER = '57246542-96fe-1a63-e053-0824d011072a'

function clock(start: string): { now: () => Date; advance: (seconds: number) => void } {
  let time = Date.parse(start)
  return { now: () => new Date(time), advance: seconds => (time += seconds * 1000) }
}

describe('TokenSource', () => {
  it('signs an ES256 team-key token Apple accepts: kid, typ, iss, aud, iat 60 s back, 15 minutes', async () => {
    const { now } = clock('2026-11-27T12:00:00Z')
    const token = await new TokenSource({
      key: signingKey,
      keyId: '2X9R4HXF34',
      issuerId: ISSUER,
      now
    }).get()
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: '2X9R4HXF34', typ: 'JWT' })
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ['ES256'],
      audience: 'appstoreconnect-v1',
      issuer: ISSUER,
      currentDate: now()
    })
    const nowSeconds = Date.parse('2026-11-27T12:00:00Z') / 1000
    expect(payload.iat).toBe(nowSeconds - 60)
    expect(payload.exp).toBe(nowSeconds - 60 + 15 * 60)
    expect(payload.exp! - nowSeconds).toBeLessThanOrEqual(20 * 60)
    expect(payload.sub).toBeUndefined()
    // A JWS signature of P-256 is raw r||s: 64 bytes, not DER.
    expect(Buffer.from(token.split('.')[2]!, 'base64url')).toHaveLength(64)
  })

  it('signs an individual-key token with sub "user" and no iss', async () => {
    const token = await new TokenSource({
      key: signingKey,
      keyId: '2X9R4HXF34',
      issuerId: undefined
    }).get()
    const { payload } = await jwtVerify(token, key.publicKey, { audience: 'appstoreconnect-v1' })
    expect(payload.sub).toBe('user')
    expect(payload.iss).toBeUndefined()
  })

  it('reuses a token while it has time left, and mints a new one before it expires', async () => {
    const { now, advance } = clock('2026-11-27T12:00:00Z')
    const seen: string[] = []
    const tokens = new TokenSource({
      key: signingKey,
      keyId: 'K',
      issuerId: ISSUER,
      now,
      onToken: t => seen.push(t)
    })
    const first = await tokens.get()
    advance(10 * 60)
    expect(await tokens.get()).toBe(first)
    advance(3 * 60) // 13 minutes in: one minute left of the 14 ahead of the clock
    const second = await tokens.get()
    expect(second).not.toBe(first)
    expect(seen).toEqual([first, second])
    const { payload } = await jwtVerify(second, key.publicKey, { currentDate: now() })
    expect(payload.exp! * 1000).toBeGreaterThan(now().getTime() + 10 * 60 * 1000)
  })

  it('keeps a token with more than 2 minutes left, and replaces it with exactly 2 left', async () => {
    // Minted at 12:00:00 it expires at 12:14:00 (issued 60 s back, valid 15 minutes).
    const { now, advance } = clock('2026-11-27T12:00:00Z')
    const tokens = new TokenSource({ key: signingKey, keyId: 'K', issuerId: ISSUER, now })
    const first = await tokens.get()
    advance(11 * 60 + 59)
    expect(await tokens.get()).toBe(first)
    advance(1)
    expect(await tokens.get()).not.toBe(first)
  })

  it('renews on demand, however fresh the current token', async () => {
    const seen: string[] = []
    const tokens = new TokenSource({
      key: signingKey,
      keyId: 'K',
      issuerId: ISSUER,
      onToken: t => seen.push(t)
    })
    await tokens.get()
    const renewed = await tokens.renew()
    expect(seen).toHaveLength(2)
    expect(await tokens.get()).toBe(renewed)
  })
})
