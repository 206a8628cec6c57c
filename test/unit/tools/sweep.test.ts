import { describe, expect, it } from 'vitest'
import type { StaleSync, SyncMessage } from '../../../core/ports.js'
import { sweepStaleSyncs } from '../../../core/tools/sweep.js'

const NOW = new Date('2026-12-06T12:00:00.000Z')
const later = (ms: number) => new Date(NOW.getTime() + ms).toISOString()

const sweep = async (found: StaleSync[], options: { graceMs: number; afterRestart?: boolean }) => {
  const asked: unknown[] = []
  const sent: [string, SyncMessage['reason'], number | undefined][] = []
  const count = await sweepStaleSyncs(
    {
      stale: {
        find: async function* (query) {
          asked.push(query)
          yield* found
        },
      },
      queue: {
        send: async (message, how) => {
          sent.push([message.server_id, message.reason, how?.delaySeconds])
        },
      },
      clock: { now: () => NOW },
      log: { info: () => undefined },
    },
    options,
  )
  return { count, asked, sent }
}

const server = (id: string, retryAt?: string): StaleSync => ({
  organizationId: 'org-1',
  id,
  configVersion: 3,
  ...(retryAt ? { retryAt } : {}),
})

describe('sweepStaleSyncs', () => {
  it('Should queue each lost sync at once, and a retry still to come when it was due', async () => {
    const { count, asked, sent } = await sweep(
      [
        server('pending'),
        server('overdue', later(-60_000)),
        server('soon', later(29_200)),
        server('far', later(3_600_000)),
      ],
      { graceMs: 0, afterRestart: true },
    )
    expect(count).toBe(4)
    expect(asked).toEqual([{ now: NOW, before: NOW, afterRestart: true }])
    expect(sent).toEqual([
      ['pending', 'sweep', undefined],
      ['overdue', 'sweep', undefined],
      ['soon', 'sweep', 30],
      ['far', 'sweep', 900], // SQS delays no message longer than 15 minutes
    ])
  })

  it('Should look for syncs lost for longer than the grace, leases honoured', async () => {
    const { count, asked, sent } = await sweep([server('overdue', later(-700_000))], {
      graceMs: 600_000,
    })
    expect(count).toBe(1)
    expect(asked).toEqual([
      { now: NOW, before: new Date('2026-12-06T11:50:00.000Z'), afterRestart: undefined },
    ])
    expect(sent).toEqual([['overdue', 'sweep', undefined]])
  })
})
