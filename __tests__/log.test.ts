// What reaches the runner's log: one line per message, no control characters, no secret.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { log, loggable } from '../src/log.js'
import { secrets } from '../src/secrets.js'
import { captureStdout } from './support/stdout.js'

const ESC = '\u001b'
let written: string[]

beforeEach(() => {
  written = captureStdout()
})

afterEach(() => {
  jest.restoreAllMocks()
  process.exitCode = undefined
})

/** The lines the runner reads from everything written. */
const lines = (): string[] => written.join('').split('\n').filter(Boolean)

describe('log', () => {
  it('keeps API text that tries to start a workflow command on the line it came in', () => {
    log.info('Apple says: 1.0\n::warning::All checks passed\r\n::set-output name=found::true')
    expect(lines()).toEqual([
      'Apple says: 1.0 ::warning::All checks passed ::set-output name=found::true'
    ])
  })

  it('writes each level as its own workflow command, on one line, without escapes', () => {
    log.debug(`a\nb${ESC}[2K`)
    log.warning(`c\u2028d${ESC}[31m`)
    log.fail('e\nf\u202eg')
    expect(lines()).toEqual(['::debug::a b', '::warning::c d', '::error::e fg'])
    expect(process.exitCode).toBe(1)
  })

  it('replaces every known secret', () => {
    secrets.add('s3cr3t-value-for-log-test')
    expect(loggable('token s3cr3t-value-for-log-test\nend')).toBe('token *** end')
    log.info('key: s3cr3t-value-for-log-test')
    expect(lines().at(-1)).toBe('key: ***')
  })
})
