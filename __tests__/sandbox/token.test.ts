import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { SignJWT } from 'jose'
import {
  generateCatalogue,
  startSandbox,
  type ErrorDocument,
  type Sandbox
} from '../../sandbox/index.js'
import { getJson, hs256Token, makeKey, NOW, nowSeconds, token, withSandbox } from './helpers.js'

const team = makeKey('TEAMKEY001', '69a6de70-03db-47e3-e053-5b8c7c11a4d1')
const individual = makeKey('INDIVKEY01')
const stranger = makeKey('TEAMKEY001', '69a6de70-03db-47e3-e053-5b8c7c11a4d1')
const catalogue = generateCatalogue({ now: NOW, buildsPerApp: 20 })

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await startSandbox({
    catalogue,
    now: () => NOW,
    keys: [
      // PEM and KeyObject are both accepted.
      {
        keyId: team.keyId,
        issuerId: team.issuerId,
        publicKey: team.publicKey.export({ type: 'spki', format: 'pem' }).toString()
      },
      { keyId: individual.keyId, publicKey: individual.publicKey }
    ]
  })
})

afterAll(async () => {
  await sandbox.close()
})

async function call(bearer: string | undefined, headers: Record<string, string> = {}) {
  const res = await getJson<ErrorDocument>(`${sandbox.url}/v1/apps`, bearer, { headers })
  return { ...res, recorded: sandbox.requests.at(-1)! }
}

const APPLE_401 = {
  status: '401',
  code: 'NOT_AUTHORIZED',
  title: 'Authentication credentials are missing or invalid.',
  detail:
    'Provide a properly configured and signed bearer token, and make sure that it has not expired. Learn more about Generating Tokens for API Requests https://developer.apple.com/go/?id=api-generating-tokens'
}

describe('accepted tokens', () => {
  it('accepts a team key token (iss = issuer id)', async () => {
    const res = await call(token(team))
    expect(res.status).toBe(200)
    expect(res.recorded.tokenVerified).toBe(true)
    expect(res.recorded.authFailure).toBeUndefined()
  })

  it('accepts a token minted with jose, as a client library would', async () => {
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: team.keyId, typ: 'JWT' })
      .setIssuer(team.issuerId!)
      .setAudience('appstoreconnect-v1')
      .setIssuedAt(nowSeconds() - 60)
      .setExpirationTime(nowSeconds() + 15 * 60)
      .sign(team.privateKey)
    expect((await call(jwt)).status).toBe(200)
  })

  it('accepts an individual key token (sub = "user", no iss)', async () => {
    expect((await call(token(individual))).status).toBe(200)
  })

  it('accepts exp exactly 20 minutes ahead and iat within a minute of skew', async () => {
    expect((await call(token(team, { claims: { exp: nowSeconds() + 20 * 60 } }))).status).toBe(200)
    expect((await call(token(team, { claims: { iat: nowSeconds() + 30 } }))).status).toBe(200)
  })
})

describe('refused tokens answer 401 with Apple body and record why', () => {
  const cases: Array<{
    name: string
    makeToken: () => string | undefined
    reason: string
    headers?: Record<string, string>
  }> = [
    {
      name: 'no Authorization header',
      makeToken: () => undefined,
      reason: 'missing-authorization'
    },
    {
      name: 'a Basic header',
      makeToken: () => undefined,
      reason: 'not-bearer',
      headers: { Authorization: 'Basic dXNlcjpwYXNz' }
    },
    { name: 'a token that is not a JWT', makeToken: () => 'not.a-jwt', reason: 'malformed-token' },
    {
      name: 'a signature by another key',
      makeToken: () => token(team, { signWith: stranger.privateKey }),
      reason: 'bad-signature'
    },
    {
      name: 'a DER-encoded signature',
      makeToken: () => token(team, { encoding: 'der' }),
      reason: 'bad-signature'
    },
    { name: 'an HS256 token', makeToken: () => hs256Token(team), reason: 'unsupported-alg' },
    {
      name: 'alg none',
      makeToken: () => token(team, { header: { alg: 'none' } }),
      reason: 'unsupported-alg'
    },
    {
      name: 'an unknown kid',
      makeToken: () => token(team, { header: { kid: 'NOSUCHKEY1' } }),
      reason: 'unknown-kid'
    },
    {
      name: 'no kid',
      makeToken: () => token(team, { header: { kid: undefined } }),
      reason: 'missing-kid'
    },
    {
      name: 'a wrong audience',
      makeToken: () => token(team, { claims: { aud: 'appstoreconnect-v2' } }),
      reason: 'wrong-aud'
    },
    {
      name: 'a wrong issuer',
      makeToken: () => token(team, { claims: { iss: 'someone-else' } }),
      reason: 'wrong-iss'
    },
    {
      name: 'a team token without iss',
      makeToken: () => token(team, { claims: { iss: undefined } }),
      reason: 'wrong-iss'
    },
    {
      name: 'an individual token with iss',
      makeToken: () => token(individual, { claims: { iss: 'x' } }),
      reason: 'individual-key-has-iss'
    },
    {
      name: 'an individual token without sub "user"',
      makeToken: () => token(individual, { claims: { sub: 'me' } }),
      reason: 'individual-key-needs-sub-user'
    },
    {
      name: 'an expired token',
      makeToken: () => token(team, { claims: { exp: nowSeconds() - 1 } }),
      reason: 'expired'
    },
    {
      name: 'no exp',
      makeToken: () => token(team, { claims: { exp: undefined } }),
      reason: 'missing-exp'
    },
    {
      name: 'exp more than 20 minutes ahead',
      makeToken: () => token(team, { claims: { exp: nowSeconds() + 20 * 60 + 1 } }),
      reason: 'exp-too-far-ahead'
    },
    {
      name: 'iat in the future',
      makeToken: () => token(team, { claims: { iat: nowSeconds() + 120 } }),
      reason: 'iat-in-future'
    },
    {
      name: 'no iat',
      makeToken: () => token(team, { claims: { iat: undefined } }),
      reason: 'missing-iat'
    }
  ]

  it.each(cases)('$name', async ({ makeToken, reason, headers }) => {
    const bearer = makeToken()
    const res = await call(bearer, headers)
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.body.errors).toHaveLength(1)
    // Apple's recorded 401 bodies carry no id.
    expect(res.body.errors[0]).toEqual(APPLE_401)
    expect(res.recorded.tokenVerified).toBe(false)
    expect(res.recorded.authFailure).toBe(reason)
    expect(res.headers.get('x-rate-limit')).toMatch(/^user-hour-lim:3600;user-hour-rem:\d+;$/)
  })

  it('never records or echoes the token', async () => {
    const secret = token(team, { claims: { exp: nowSeconds() - 5 } })
    const res = await call(secret)
    expect(JSON.stringify(res.body)).not.toContain(secret.split('.')[2])
    expect(JSON.stringify(sandbox.requests)).not.toContain(secret.split('.')[2])
  })
})

describe('the sandbox clock decides', () => {
  it('judges expiry by the sandbox clock, not the client clock', async () => {
    const thirtyMinutesLater = () => new Date(NOW.getTime() + 30 * 60_000)
    await withSandbox({ catalogue, now: thirtyMinutesLater, keys: [team] }, async later => {
      const res = await getJson(`${later.url}/v1/apps`, token(team))
      expect(res.status).toBe(401)
      expect(later.requests[0]!.authFailure).toBe('expired')
    })
  })
})
