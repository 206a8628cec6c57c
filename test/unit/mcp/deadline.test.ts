import { describe, expect, it } from 'vitest'
import { withDeadline } from '../../../core/adapters/mcp/deadline.js'

const never = new Promise<never>(() => {})
const failure = (p: Promise<unknown>) => p.catch((e: Error) => [e.name, e.message])

describe('withDeadline', () => {
  it('settles with the work when it is quick enough', async () => {
    expect(await withDeadline(Promise.resolve(7), 1_000, 'working')).toEqual(7)
  })

  it('rejects once the time is up', async () => {
    expect(await failure(withDeadline(never, 20, 'waiting'))).toEqual([
      'McpTimeoutError',
      'Timed out after 20 ms while waiting',
    ])
  })

  it('rejects with an AbortError when the signal aborts', async () => {
    const controller = new AbortController()
    const run = withDeadline(never, 10_000, 'waiting', controller.signal)

    controller.abort()

    expect(await failure(run)).toEqual(['AbortError', 'The operation was aborted'])
  })

  it('rejects at once for a signal that already aborted', async () => {
    expect(await failure(withDeadline(never, 10_000, 'waiting', AbortSignal.abort()))).toEqual([
      'AbortError',
      'The operation was aborted',
    ])
  })
})
