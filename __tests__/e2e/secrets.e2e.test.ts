// Nothing secret reaches the log: with step debug logging on, across success, retries, a
// token re-mint and failures, the key (in any form) and the tokens appear only inside the
// ::add-mask:: commands that tell the runner to hide them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { ActionRun } from '../../local-runner/run-action.js'
import { makeTestKey } from '../support/keys.js'
import { startE2e, type E2eContext } from './harness.js'

const DEBUG = { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' }
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/

let e2e: E2eContext
const unknownKey = makeTestKey()
const runs: ActionRun[] = []

beforeAll(async () => {
  e2e = await startE2e()
  const { sandbox, weather, teamKey } = e2e
  const debug = { env: DEBUG }
  runs.push(
    await e2e.run({ 'bundle-id': 'com.example.weather', 'latest-by': 'build-number' }, debug)
  )
  sandbox.injectFault({ fault: { kind: 'status', status: 503 }, path: '/v1/builds' })
  runs.push(await e2e.run({ 'app-id': weather.id, 'private-key': teamKey.escaped }, debug))
  runs.push(
    await e2e.run(
      { 'app-id': weather.id, 'private-key': teamKey.base64File, 'build-number': '0' },
      debug
    )
  )
  // A key Apple does not know: 401, a second token, 401 again.
  runs.push(await e2e.run({ 'app-id': weather.id, 'private-key': unknownKey.pem }, debug))
}, 60_000)
afterAll(async () => e2e?.sandbox.close())

function logLines(): string[] {
  return runs
    .flatMap(run => `${run.stdout}\n${run.stderr}`.split('\n'))
    .filter(line => !line.startsWith('::add-mask::'))
}

describe('the log, with step debug logging on', () => {
  it('holds the runs it should (debug lines, retries, a 401)', () => {
    const text = logLines().join('\n')
    expect(text).toMatch(/::debug::GET /)
    expect(text).toMatch(/retrying in/)
    expect(text).toMatch(/retrying with a new token/)
    expect(runs.map(run => run.exitCode)).toEqual([0, 0, 1, 1])
  })

  it('never shows a private key, in any form or any line of it', () => {
    for (const key of [e2e.teamKey, unknownKey]) {
      const bodyLines = key.pem
        .split('\n')
        .filter(line => line.length > 20 && !line.startsWith('-----'))
      const forms = [key.bareBody, key.base64File, key.escaped, ...bodyLines]
      for (const line of logLines()) {
        for (const form of forms) expect(line).not.toContain(form)
        // Any 40-character stretch of the key body is already a leak.
        expect(line).not.toContain(key.bareBody.slice(40, 80))
      }
    }
  })

  it('masks each line of the key before it logs anything else', () => {
    for (const run of runs) {
      const lines = run.stdout.split('\n')
      const firstOther = lines.findIndex(line => line !== '' && !line.startsWith('::add-mask::'))
      const lastKeyMask = Math.max(
        ...e2e.teamKey.pem
          .split('\n')
          .filter(line => line.length > 20 && !line.startsWith('-----'))
          .map(keyLine => lines.indexOf(`::add-mask::${keyLine}`))
      )
      if (run !== runs[3]) expect(lastKeyMask).toBeGreaterThanOrEqual(0)
      expect(firstOther === -1 || lastKeyMask < firstOther).toBe(true)
    }
  })

  it('never shows a token or an authorization header', () => {
    for (const line of logLines()) {
      expect(line).not.toMatch(JWT)
      expect(line).not.toMatch(/authorization:|bearer\s+ey/i)
    }
  })

  it('masks every token it minted before using it', () => {
    const masks = runs.flatMap(run =>
      run.stdout.split('\n').filter(line => line.startsWith('::add-mask::'))
    )
    const maskedTokens = masks.filter(line => JWT.test(line))
    // One token for each of the first three runs (the 503 retry reuses it); two for the 401 run.
    expect(maskedTokens).toHaveLength(5)
  })
})
