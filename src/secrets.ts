// The one place that decides what is secret: every form of the key, the GitHub token and
// every App Store Connect token minted. Each is masked in the runner's log the moment it is
// known, and replaced by *** in every text the action publishes (job summary, comment),
// which the runner's masking does not reach.
import * as core from '@actions/core'

/** Shorter pieces would turn harmless words into ***; the runner still masks them in logs. */
const MIN_REDACTED_LENGTH = 6
/** White space, which a line break made a space may have put inside a secret. */
const SPACE = /\s/

export class SecretRegistry {
  private readonly secrets = new Set<string>()
  /** Each secret long enough to redact, without its white space, longest first. */
  private compact: string[] = []

  constructor(private readonly mask: (secret: string) => void) {}

  /** Masks a secret in the log (once) and redacts it from everything published from now on. */
  add(secret: string): void {
    if (secret === '' || this.secrets.has(secret)) return
    this.mask(secret)
    this.secrets.add(secret)
    const compact = withoutSpace(secret).text
    if (compact.length >= MIN_REDACTED_LENGTH && !this.compact.includes(compact)) {
      this.compact = [...this.compact, compact].sort((a, b) => b.length - a.length)
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

  /**
   * The text with every secret known so far replaced by `***`, also where white space (a
   * line break made a space) splits it: secrets are looked for in the text without its white
   * space, and each one found is replaced from its first character to its last.
   */
  redact(text: string): string {
    if (this.compact.length === 0) return text
    const { text: compact, positions } = withoutSpace(text)
    const found: Array<[number, number]> = []
    for (const secret of this.compact) {
      for (let at = compact.indexOf(secret); at >= 0; at = compact.indexOf(secret, at + 1)) {
        found.push([positions[at]!, positions[at + secret.length - 1]! + 1])
      }
    }
    if (found.length === 0) return text
    found.sort((a, b) => a[0] - b[0])
    let redacted = ''
    // Where the text copied or replaced so far ends; an overlapping secret extends its ***.
    let done = 0
    for (const [start, end] of found) {
      if (end <= done) continue
      if (start >= done) redacted += `${text.slice(done, start)}***`
      done = end
    }
    return redacted + text.slice(done)
  }
}

/** The text without white space, and where each of its characters stands in the original. */
function withoutSpace(text: string): { text: string; positions: number[] } {
  let compact = ''
  const positions: number[] = []
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!
    if (SPACE.test(character)) continue
    compact += character
    positions.push(index)
  }
  return { text: compact, positions }
}

/** The action's registry: masks through the runner. */
export const secrets = new SecretRegistry(secret => core.setSecret(secret))
