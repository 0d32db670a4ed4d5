// A small fault soak of waits (bench/wait-soak.ts prints the figures of a longer one): random
// 429s, 5xx and dropped connections on every request while an upload moves through its states.
import { describe, expect, it } from '@jest/globals'
import { soak } from '../../bench/wait-soak.js'

describe('a fault soak of waits', () => {
  it('never answers with another build than the upload waited for', async () => {
    const runs = await soak(4, 4, 101)
    expect(runs.filter(run => run.outcome === 'wrong')).toEqual([])
    // A run may fail when one request fails max-attempts times in a row (about 0.4% of
    // requests); most must find the upload, through faults.
    expect(runs.filter(run => run.outcome === 'right').length).toBeGreaterThanOrEqual(3)
    expect(runs.reduce((sum, run) => sum + run.faulted, 0)).toBeGreaterThan(0)
  }, 90_000)
})
