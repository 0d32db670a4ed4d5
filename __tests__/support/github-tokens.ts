// GitHub tokens in the shapes GitHub issues them, for tests that must not pass on short fakes.
import { randomBytes } from 'node:crypto'

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url')

/**
 * An installation token (the job's GITHUB_TOKEN) in the stateless format GitHub rolled out in
 * 2026: `ghs_` and a signed JWT, about 520 characters, with two dots.
 */
export function statelessInstallationToken(): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'c2a1f0b7' }))
  const claims = base64url(
    JSON.stringify({
      sub: 'installation:51234567',
      iat: 1_780_000_000,
      exp: 1_780_003_600,
      jti: randomBytes(8).toString('hex')
    })
  )
  return `ghs_${header}.${claims}.${base64url(randomBytes(256))}`
}

/** An installation token in the classic format: `ghs_` and 36 letters and digits, 40 in all. */
export function classicInstallationToken(): string {
  return `ghs_${randomBytes(27)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 36)}`
}
