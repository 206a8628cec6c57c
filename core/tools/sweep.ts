import type { Clock, Log, StaleSyncs, SyncQueue } from '../ports.js'

export interface SweepDeps {
  stale: StaleSyncs
  queue: SyncQueue
  clock: Clock
  log: Pick<Log, 'info'>
}

/**
 * Re-queues the sync of every server whose sync was lost: left `pending` for longer than
 * `graceMs`, `syncing` under an expired lease, or `failed` with a retry overdue by `graceMs`.
 * `afterRestart` (npm start: nothing can still be running) also takes `syncing` servers whose
 * lease has not run out. A re-queued sync that meets a live one is dropped by its claim.
 */
export const sweepStaleSyncs = async (
  deps: SweepDeps,
  options: { graceMs: number; afterRestart?: boolean },
): Promise<number> => {
  const now = deps.clock.now()
  const before = new Date(now.getTime() - options.graceMs)
  let count = 0
  for await (const server of deps.stale.find({ now, before, ignoreLeases: options.afterRestart })) {
    await deps.queue.send({
      organization_id: server.organizationId,
      server_id: server.id,
      config_version: server.configVersion,
      reason: 'sweep',
    })
    count++
  }
  if (count > 0) deps.log.info('lost syncs re-queued', { count })
  return count
}
