// The bundled action against a hostile or broken App Store Connect on loopback: what such a
// server sends must not reach a shell, the log, the report or the runner's memory and time
// in any form the action did not check.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import { runAction, type ActionRun, type RunActionOptions } from '../../local-runner/run-action.js'
import { errorBody, sendJson, startHostileApi, type HostileApi } from '../support/hostile-api.js'
import { makeTestKey } from '../support/keys.js'

const APP_ID = '1600000001'
const key = makeTestKey()
let api: HostileApi

beforeAll(async () => {
  api = await startHostileApi()
})
afterAll(async () => api?.close())

function run(inputs: Record<string, string> = {}, options?: RunActionOptions): Promise<ActionRun> {
  return runAction(
    {
      'issuer-id': randomUUID(),
      'key-id': 'HOSTILE001',
      'private-key': key.pem,
      'api-base-url': api.url,
      'app-id': APP_ID,
      ...inputs
    },
    options
  )
}

describe('the log holds no control characters', () => {
  const ESC = '\u001b'
  it('from Apple’s error detail and code', async () => {
    api.answer((_request, response) =>
      sendJson(
        response,
        403,
        errorBody(
          403,
          `FORBIDDEN_ERROR${ESC}[31m`,
          `${ESC}[2K${ESC}[1G${ESC}[32m✔ All checks passed${ESC}[0m\u009b2J\r\u0007${ESC}]0;title\u0007`
        )
      )
    )
    const result = await run()
    expect(result.exitCode).toBe(1)
    // eslint-disable-next-line no-control-regex -- looking for control characters
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/)
    expect(result.errors[0]).toMatch(/answered 403 .*FORBIDDEN_ERROR: ✔ All checks passed/)
    expect(result.errors[0]).not.toMatch(/\[3[12]m|\[0m|title/)
  })

  it('from an input', async () => {
    const result = await run({ platform: `${ESC}[32mios` })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).not.toContain(ESC)
    expect(result.errors[0]).toMatch(/platform must be one of/)
  })
})

describe('text from the API in the job summary stays in its cell', () => {
  it('a detail with blank lines, a heading, a link, an image, a mention and HTML', async () => {
    const detail =
      '\n\n# Heading\n\n[link](https://evil.example) ![img](https://evil.example/i.png) @octocat #1 <b>bold</b> `code` *em* _em_ | x |\r\n\r\n'
    api.answer((_request, response) => sendJson(response, 404, errorBody(404, 'NOT_FOUND', detail)))
    const result = await run()
    expect(result.exitCode).toBe(1)
    const { summary } = result
    expect(summary).toMatch(/The step failed:/)
    // One HTML block: no blank line ends it, every line is HTML.
    expect(summary).not.toMatch(/\n\s*\n/)
    for (const line of summary.split('\n').filter(Boolean)) expect(line).toMatch(/^</)
    // What is left once every entity is taken out holds no Markdown, mention or HTML of theirs.
    const bare = summary.replace(/&#?\w+;/g, '')
    expect(bare).not.toMatch(/[[\]`*_|@#]|<b>/)
    expect(summary).toContain('&#91;link&#93;')
    // The log's version of the same failure is one line, too.
    expect(result.errors[0]).not.toMatch(/[\r\n]/)
  })
})
