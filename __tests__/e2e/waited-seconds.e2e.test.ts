// waited-seconds as the README's table says it, on the paths without a wait: a number, never
// empty, found or not. (A wait's own values are in wait.e2e.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startE2e, type E2eContext } from './harness.js'

let e2e: E2eContext
beforeAll(async () => {
  e2e = await startE2e()
})
afterAll(() => e2e.sandbox.close())

describe('waited-seconds without a wait', () => {
  it('is 0 for a build found, with build-number beside it', async () => {
    const result = await e2e.run({ 'app-id': e2e.weather.id })
    expect(result.outputs).toMatchObject({ found: 'true', 'waited-seconds': '0' })
    expect(result.outputs['build-number']).toBe(result.outputs.version)
    expect(result.outputs['build-number']).toMatch(/^\d+(\.\d+)*$/)
  })

  it('is 0, not empty, when nothing is found', async () => {
    const result = await e2e.run({
      'app-id': e2e.weather.id,
      'build-number': '987654321',
      'fail-if-not-found': 'false'
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      found: 'false',
      'build-number': '',
      version: '',
      'waited-seconds': '0'
    })
  })

  it('is 0 with app-store-state', async () => {
    const result = await e2e.run({
      'app-id': e2e.weather.id,
      'app-store-state': 'READY_FOR_DISTRIBUTION'
    })
    expect(result.outputs).toMatchObject({ found: 'true', 'waited-seconds': '0' })
  })
})
