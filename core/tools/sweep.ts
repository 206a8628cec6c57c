import type { Clock, Log, StaleSyncs, SyncQueue } from '../ports.js'

export interface SweepDeps {
  stale: StaleSyncs
  queue: SyncQueue
  clock: Clock
  log: Pick<Log, 'info'>
}

/** SQS's longest delivery delay. */
const MAX_DELAY_SECONDS = 900

/**
 * Re-queues the sync of every server whose sync was lost: left `pending` for longer than
 * `graceMs`, `syncing` under an expired lease, or `failed` with a retry overdue by `graceMs`.
 * `afterRestart` (npm start: nothing is running or queued any more) also takes `syncing` servers
 * whose lease has not run out, and `failed` servers whose retry is still to come, queued to run
 * when it was due. A re-queued sync that meets a live one is dropped by its claim.
 */
export const sweepStaleSyncs = async (
  deps: SweepDeps,
  options: { graceMs: number; afterRestart?: boolean },
): Promise<number> => {
  const now = deps.clock.now()
  const before = new Date(now.getTime() - options.graceMs)
  let count = 0
  for await (const server of deps.stale.find({ now, before, afterRestart: options.afterRestart })) {
    const dueInMs = server.retryAt ? Date.parse(server.retryAt) - now.getTime() : 0
    const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(dueInMs / 1000)))
    await deps.queue.send(
      {
        organization_id: server.organizationId,
        server_id: server.id,
        config_version: server.configVersion,
        reason: 'sweep',
      },
      delaySeconds > 0 ? { delaySeconds } : undefined,
    )
    count++
  }
  if (count > 0) deps.log.info('lost syncs re-queued', { count })
  return count
}
