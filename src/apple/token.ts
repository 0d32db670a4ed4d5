import type { KeyObject } from 'node:crypto'
import { SignJWT } from 'jose'

export const TOKEN_AUDIENCE = 'appstoreconnect-v1'
/** Apple rejects tokens whose `exp` is over 20 minutes ahead; 15 leaves room for a fast clock. */
export const TOKEN_LIFETIME_SECONDS = 15 * 60
/** `iat` is back-dated so a runner clock that runs slightly ahead does not mint a token "from the future". */
export const TOKEN_BACKDATE_SECONDS = 60
/** A token this close to expiry is replaced rather than sent. */
const RENEW_MARGIN_SECONDS = 2 * 60

export interface TokenOptions {
  key: KeyObject
  keyId: string
  /** Empty for an individual key: the token then says `sub: "user"` and has no `iss`. */
  issuerId: string | undefined
  now?: () => Date
  /** Called with every new token before it is used, so it can be masked in logs. */
  onToken?: (token: string) => void
}

/** Mints App Store Connect tokens and reuses each until it nears expiry. */
export class TokenSource {
  private current: { token: string; expiresAt: number } | undefined
  private readonly now: () => Date

  constructor(private readonly options: TokenOptions) {
    this.now = options.now ?? (() => new Date())
  }

  /** A token valid for at least a couple more minutes. */
  async get(): Promise<string> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000)
    if (this.current && this.current.expiresAt - nowSeconds > RENEW_MARGIN_SECONDS) {
      return this.current.token
    }
    return this.renew()
  }

  /** A new token, whatever the age of the current one (after Apple rejected it, say). */
  async renew(): Promise<string> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000)
    const issuedAt = nowSeconds - TOKEN_BACKDATE_SECONDS
    const expiresAt = issuedAt + TOKEN_LIFETIME_SECONDS
    const { key, keyId, issuerId } = this.options
    const claims = issuerId ? { iss: issuerId } : { sub: 'user' }
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: keyId, typ: 'JWT' })
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(key)
    this.options.onToken?.(token)
    this.current = { token, expiresAt }
    return token
  }
}
