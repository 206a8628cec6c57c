import { AppError } from '../errors.js'
import type { ServerRecord } from '../registry/types.js'
import { syncNow, type SyncDeps } from './sync.js'

/**
 * Letta's refresh: the same sync as the worker, run inline. An unreachable server answers Letta's
 * `MCPServerUnavailable` body; a sync already running is waited for up to `waitMs`, then
 * superseded. 409 is left only for a server changed again and again while it is refreshed.
 */
export const refreshServer = async (deps: SyncDeps, server: ServerRecord, waitMs: number) => {
  const outcome = await syncNow(deps, server, waitMs)
  if (outcome.outcome === 'ok') {
    const { added, updated, deleted } = outcome.report
    return { added, updated, deleted }
  }
  if (outcome.outcome === 'failed') {
    throw new AppError('server.unavailable', 'MCP server unavailable', {
      detail: {
        code: 'MCPServerUnavailable',
        message: `Could not connect to MCP server ${server.name} to resync tools`,
        error: outcome.state.error?.message ?? 'unknown error',
      },
    })
  }
  if (outcome.why === 'busy' || outcome.why === 'superseded' || outcome.why === 'stale') {
    throw new AppError(
      'server.conflict',
      `MCP server ${server.id} is being synced or changed; retry shortly`,
    )
  }
  throw new AppError('server.notFound', `MCP server ${server.id} not found`)
}
