// The one place that decides what is secret: every form of the key, the GitHub token and
// every App Store Connect token minted. Each is masked in the runner's log the moment it is
// known, and replaced by *** in every text the action publishes (job summary, comment),
// which the runner's masking does not reach.
import * as core from '@actions/core'

/** Shorter pieces would turn harmless words into ***; the runner still masks them in logs. */
const MIN_REDACTED_LENGTH = 6

export class SecretRegistry {
  private readonly secrets = new Set<string>()
  /** Longest first, so that a secret containing another is replaced whole. */
  private ordered: string[] = []

  constructor(private readonly mask: (secret: string) => void) {}

  /** Masks a secret in the log (once) and redacts it from everything published from now on. */
  add(secret: string): void {
    if (secret === '' || this.secrets.has(secret)) return
    this.mask(secret)
    this.secrets.add(secret)
    if (secret.length >= MIN_REDACTED_LENGTH) {
      this.ordered = [...this.ordered, secret].sort((a, b) => b.length - a.length)
    }
  }

  /**
   * A minted token: the whole token, and its signature on its own (a log or an echo may cut
   * a token at its dots; the header and claims are not secret, the signature is).
   */
  addToken(token: string): void {
    this.add(token)
    const signature = token.split('.')[2]
    if (signature && signature.length >= 20) this.add(signature)
  }

  /** The text with every secret known so far replaced by `***`. */
  redact(text: string): string {
    let redacted = text
    for (const secret of this.ordered) {
      if (redacted.includes(secret)) redacted = redacted.split(secret).join('***')
    }
    return redacted
  }
}

/** The action's registry: masks through the runner. */
export const secrets = new SecretRegistry(secret => core.setSecret(secret))
