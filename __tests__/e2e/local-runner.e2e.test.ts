// The runner emulator's own time limit: it follows the action's deadline, so that a wait is
// never cut short, and a kill says so instead of ending with empty outputs and a bare null.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, timeLimitMs } from '../../local-runner/run-action.js'

describe('the runner emulator’s time limit', () => {
  it('is total-timeout-minutes plus wait-minutes, and 30 s for the report', () => {
    // action.yml's defaults: total-timeout-minutes 10, wait-minutes 0.
    expect(timeLimitMs({})).toBe(630_000)
    expect(timeLimitMs({ 'wait-minutes': '30' })).toBe(2_430_000)
    expect(timeLimitMs({ 'total-timeout-minutes': '0.5', 'wait-minutes': '2' })).toBe(180_000)
    expect(timeLimitMs({ 'total-timeout-minutes': '180', 'wait-minutes': '180' })).toBe(21_630_000)
  })

  it('leaves the action’s own check to a value it will refuse', () => {
    expect(timeLimitMs({ 'wait-minutes': 'soon' })).toBe(630_000)
  })

  /** Runs a stand-in for the bundle with the limit given. */
  async function runScript(script: string, timeoutMs: number) {
    const folder = mkdtempSync(join(tmpdir(), 'stand-in-'))
    const entry = join(folder, 'index.mjs')
    writeFileSync(entry, script)
    try {
      return await runAction({}, { entry, timeoutMs })
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  }

  it('says so when it kills the action', async () => {
    const run = await runScript('setInterval(() => {}, 1000)\n', 2_000)
    expect(run.exitCode).toBeNull()
    expect(run.killedAtMs).toBe(2_000)
    expect(run.stderr).toMatch(
      /^The runner emulator killed the action after 2 s, its time limit \(total-timeout-minutes plus wait-minutes, and 30 s for the report\)/
    )
  })

  it('says nothing of a limit when the action ends by itself', async () => {
    const run = await runScript("console.log('done')\n", 60_000)
    expect(run.exitCode).toBe(0)
    expect(run.killedAtMs).toBeUndefined()
    expect(run.stdout).toBe('done\n')
    expect(run.stderr).toBe('')
  })
})
