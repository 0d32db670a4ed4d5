import { describe, expect, it } from '@jest/globals'
import { cancellable } from '../src/cancellation.js'

const listeners = (): number[] => [
  process.listenerCount('SIGINT'),
  process.listenerCount('SIGTERM')
]

describe('cancellable', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'aborts the work on %s, saying the job was cancelled',
    async name => {
      const reason = await cancellable(
        signal =>
          new Promise(resolve => {
            signal.addEventListener('abort', () => resolve(signal.reason))
            process.emit(name)
          })
      )
      expect((reason as Error).message).toBe(`The job was cancelled (${name}).`)
    }
  )

  it('aborts when the caller’s signal aborts', async () => {
    const caller = new AbortController()
    const reason = await cancellable(
      signal =>
        new Promise(resolve => {
          signal.addEventListener('abort', () => resolve(signal.reason))
          caller.abort(new Error('stopped by the caller'))
        }),
      caller.signal
    )
    expect((reason as Error).message).toBe('stopped by the caller')
  })

  it('listens only while the work runs, however it ends', async () => {
    const before = listeners()
    let during: number[] = []
    await cancellable(async () => {
      during = listeners()
    })
    await expect(
      cancellable(async () => {
        throw new Error('failed')
      })
    ).rejects.toThrow('failed')
    expect(during).toEqual(before.map(count => count + 1))
    expect(listeners()).toEqual(before)
  })
})
