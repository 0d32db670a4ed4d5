// Text from outside, in the fixed order: control characters out, secrets redacted, then cut;
// and a log line that no workflow command can start from, by the runner's own rules.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { outsideText, redactedText, withoutWorkflowCommands } from '../src/outside-text.js'
import { secrets } from '../src/secrets.js'
import { runnerCommand } from './support/runner-commands.js'
import { captureStdout } from './support/stdout.js'

afterEach(() => {
  jest.restoreAllMocks()
})

/** A secret known to the action's registry, as a minted token's signature would be. */
function knownSecret(): string {
  captureStdout()
  const secret = `sig_${'Q'.repeat(40)}_${Math.random().toString(36).slice(2)}`
  secrets.add(secret)
  jest.restoreAllMocks()
  return secret
}

describe('withoutWorkflowCommands', () => {
  it.each([
    '::set-output name=found::true',
    '  ::stop-commands::abc',
    '\u00a0::add-mask::x',
    'build 631 ##[stop-commands]x',
    '##[warning]All checks passed',
    'a ##[set-output name=found]true ##[error]b',
    '::warning::x ##[error]y'
  ])('the runner reads no command in %j', line => {
    expect(runnerCommand(line)).toBeDefined()
    expect(runnerCommand(withoutWorkflowCommands(line))).toBeUndefined()
  })

  it('changes nothing a reader sees: one zero-width space inside each command’s start', () => {
    const line = 'a ##[warning]b ##[error]c'
    expect(withoutWorkflowCommands(line)).toBe('a #\u200b#[warning]b #\u200b#[error]c')
    expect(withoutWorkflowCommands(line).replaceAll('\u200b', '')).toBe(line)
    expect(withoutWorkflowCommands('  ::error::x')).toBe('  :\u200b:error::x')
    expect(withoutWorkflowCommands('Build 631: VALID :: ok')).toBe('Build 631: VALID :: ok')
  })
})

describe('outsideText: plain, then redacted, then cut', () => {
  it('a control character inside a secret does not keep it from being redacted', () => {
    const secret = knownSecret()
    const split = `${secret.slice(0, 20)}\u0007${secret.slice(20)}`
    expect(outsideText(`token ${split} end`, 500)).toBe('token *** end')
    expect(redactedText(`token ${secret.slice(0, 9)}\u001b[31m${secret.slice(9)} end`)).toBe(
      'token *** end'
    )
    // A line break inside it too, though it becomes a space.
    expect(redactedText(`token ${secret.slice(0, 9)}\r\n${secret.slice(9)} end`)).toBe(
      'token *** end'
    )
  })

  it.each([1, 2, 10])('a cut %i characters before a secret’s end leaves none of it', left => {
    const secret = knownSecret()
    const padding = 'p'.repeat(100 - secret.length + left)
    expect(outsideText(`${padding}${secret}`, 100)).toBe(`${padding}***`)
  })

  it('cuts what is left, with an ellipsis, and gives nothing for empty text', () => {
    expect(outsideText('d'.repeat(12), 10)).toBe(`${'d'.repeat(10)}…`)
    expect(outsideText('d'.repeat(10), 10)).toBe('d'.repeat(10))
    expect(outsideText('\u0007\u200b', 10)).toBeUndefined()
  })
})
