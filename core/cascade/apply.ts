import type { Log, ServerChildren, StdioGateway } from '../ports.js'
import type { ServerChange } from './changes.js'

/**
 * Deletes a deleted server's tools and OAuth sessions, or re-tags a renamed server's tools.
 * Both are idempotent, so a replayed or retried record ends in the same state.
 */
export const applyServerChange = async (
  deps: {
    children: ServerChildren
    log: Pick<Log, 'info' | 'warn'>
    stdio?: Pick<StdioGateway, 'evict'>
  },
  change: ServerChange,
): Promise<void> => {
  if (change.kind === 'deleted') {
    // Best effort: the runner also drops a deleted server's process on its next request or when idle.
    await deps.stdio?.evict(change.organizationId, change.serverId).catch((error: unknown) => {
      deps.log.warn('runner evict failed', { serverId: change.serverId, error: String(error) })
    })
    const removed = await deps.children.deleteAll(change.organizationId, change.serverId)
    deps.log.info('server children deleted', { serverId: change.serverId, removed })
  } else if (change.kind === 'renamed') {
    const retagged = await deps.children.retag(change.organizationId, change.serverId, change.name)
    deps.log.info('server tools re-tagged', { serverId: change.serverId, retagged })
  }
}
