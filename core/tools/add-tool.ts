import { AppError } from '../errors.js'
import type { ServerRecord } from '../registry/types.js'
import { syncNow, type SyncDeps, type SyncOutcome } from './sync.js'
import type { StoredTool } from './types.js'

/**
 * Letta's explicit add of one tool (legacy API): the stored tool, or, when the sync has not stored
 * it yet, the server synced inline (the same sync as the worker's) and the tool read again. A tool
 * the server does not offer is a 404; one the sync rejects is a 422 with the reasons.
 */
export const addTool = async (
  deps: SyncDeps,
  server: ServerRecord,
  name: string,
  waitMs: number,
): Promise<StoredTool> => {
  const stored = () => deps.tools.byName(server.organizationId, server.id, name)
  const deadline = Date.now() + waitMs
  let outcome: SyncOutcome
  for (;;) {
    const found = await stored()
    if (found) return found
    // While another sync runs (the worker's, or a parallel add's), watch for the tool to land
    // instead of queueing up for a sync of its own; past the wait, take the running one over.
    const waited = Date.now() > deadline
    outcome = await syncNow(deps, server, 0, { takeOver: waited })
    if (outcome.outcome !== 'skipped' || outcome.why !== 'busy' || waited) break
    await new Promise((r) => setTimeout(r, 200))
  }
  const after = await stored()
  if (after) return after
  if (outcome.outcome === 'failed') {
    throw new AppError('upstream.failed', outcome.state.error?.message ?? 'unknown error')
  }
  if (outcome.outcome === 'ok') {
    const rejected = outcome.report.rejected.find((r) => r.name === name)
    if (rejected) {
      throw new AppError(
        'request.invalid',
        `${name}: the tool's schema is not usable: ${rejected.reasons.join('; ')}`,
      )
    }
    throw new AppError('tool.notFound', `MCP server '${server.name}' has no tool named '${name}'`)
  }
  if (outcome.why === 'gone')
    throw new AppError('server.notFound', `MCP server '${server.name}' not found`)
  throw new AppError(
    'server.conflict',
    `MCP server '${server.name}' is being synced or changed; retry shortly`,
  )
}
