import { randomUUID } from 'node:crypto'
import type {
  Clock,
  Log,
  McpConnector,
  McpLimits,
  StdioGateway,
  SyncLeases,
  SyncMessage,
  SyncQueue,
  ToolStore,
} from '../ports.js'
import type { Secrets, ServerRecord, SyncReport, SyncState } from '../registry/types.js'
import type { CallContext } from '../templates/context.js'
import { planSync, type Prepared } from './plan.js'
import { targetFor } from './target.js'
import type { ListedTool, McpTool } from './types.js'

export interface SyncDeps {
  leases: SyncLeases
  tools: ToolStore
  connector: McpConnector
  /** Absent where no stdio runner is configured. */
  stdio?: StdioGateway
  queue: SyncQueue
  secrets(server: ServerRecord): Promise<Secrets>
  /** The caller's template variables and agent id (core/templates); absent = defaults only. */
  call?: CallContext
  /** The per-tool validator and normaliser, loaded on first use (it is cold-start weight). */
  preparer(): Promise<(tool: McpTool) => Prepared>
  clock: Clock
  log: Pick<Log, 'info' | 'warn'>
  limits: McpLimits
  /** How long a claimed sync may run before another may take over (beyond the worker timeout). */
  leaseMs: number
  /** Seconds before a sync that found another one running is tried again. */
  retryDelaySeconds: number
}

export type SyncOutcome =
  | { outcome: 'ok'; report: SyncReport; toolCount: number; writeRequests: number }
  | { outcome: 'failed'; state: SyncState }
  | { outcome: 'skipped'; why: 'gone' | 'stale' | 'busy' | 'superseded' }

/** Reports keep the first names of each list, so a huge server cannot overflow its item. */
const REPORT_NAMES = 500
const capped = (report: SyncReport): SyncReport => ({
  added: report.added.slice(0, REPORT_NAMES),
  updated: report.updated.slice(0, REPORT_NAMES),
  deleted: report.deleted.slice(0, REPORT_NAMES),
  rejected: report.rejected.slice(0, REPORT_NAMES),
})

const stdioUnsupported =
  'stdio servers are synced through the stdio runner, which is not enabled here'

/** Connects, lists, diffs and writes the tools of one claimed server; never throws for upstream faults. */
const run = async (
  deps: SyncDeps,
  server: ServerRecord,
  generation: number,
): Promise<SyncOutcome> => {
  const now = deps.clock.now().toISOString()
  const fail = async (code: SyncState['error'] & object) => {
    const state: SyncState = { ...server.sync, status: 'failed', last_synced_at: now, error: code }
    deps.log.warn('sync failed', { serverId: server.id, code: code.code, reason: code.message })
    const landed = await deps.leases.finish(server, generation, state)
    return landed
      ? ({ outcome: 'failed', state } as const)
      : ({ outcome: 'skipped', why: 'superseded' } as const)
  }
  // Read the stored tools and load the schema code while the server is being listed.
  const storedSoon = deps.tools.listAll(server.organizationId, server.id)
  const prepareSoon = deps.preparer()
  storedSoon.catch(() => undefined)
  prepareSoon.catch(() => undefined)
  let listed: ListedTool[]
  if (server.type === 'stdio') {
    if (!deps.stdio) return fail({ code: 'other', message: stdioUnsupported })
    try {
      listed = await deps.stdio.listTools(server)
    } catch (error) {
      return fail(deps.stdio.classify(error))
    }
  } else {
    const target = targetFor(server, await deps.secrets(server), deps.call)
    if (!target) return fail({ code: 'other', message: 'the server has no URL' })
    try {
      listed = await deps.connector.listTools(target, deps.limits)
    } catch (error) {
      return fail(deps.connector.classify(error))
    }
  }
  const stored = await storedSoon
  const plan = planSync({
    listed,
    stored,
    server,
    now,
    newId: () => `tool-${randomUUID()}`,
    prepare: await prepareSoon,
  })
  const writeRequests = await deps.tools.apply(server.organizationId, server.id, plan.write)
  const state: SyncState = {
    status: 'ok',
    tool_count: plan.toolCount,
    last_synced_at: now,
    error: null,
    report: capped(plan.report),
  }
  if (!(await deps.leases.finish(server, generation, state)))
    return { outcome: 'skipped', why: 'superseded' }
  deps.log.info('sync done', { serverId: server.id, tools: plan.toolCount, writeRequests })
  return { outcome: 'ok', report: plan.report, toolCount: plan.toolCount, writeRequests }
}

/**
 * Handles one sync message. A message for an older config version or a deleted server is dropped;
 * one that finds another sync of the same version running is sent again after a short delay, so
 * repeated deliveries and concurrent syncs never interleave their writes.
 */
export const syncServer = async (deps: SyncDeps, message: SyncMessage): Promise<SyncOutcome> => {
  const claim = await deps.leases.claim(
    message.organization_id,
    message.server_id,
    message.config_version,
    deps.leaseMs,
  )
  if (!claim.ok) {
    if (claim.why === 'busy')
      await deps.queue.send(message, { delaySeconds: deps.retryDelaySeconds })
    return { outcome: 'skipped', why: claim.why }
  }
  return guarded(deps, claim.server, claim.generation)
}

/**
 * Runs a claimed sync. On an infrastructure fault (storage or KMS) the server shows it, the lease
 * is released so the redelivery need not wait, and the fault is rethrown so the message is retried.
 */
const guarded = async (deps: SyncDeps, server: ServerRecord, generation: number) => {
  try {
    return await run(deps, server, generation)
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error'
    const state: SyncState = {
      ...server.sync,
      status: 'failed',
      error: {
        code: 'other',
        message: `sync interrupted by a service fault (${name}); it will be retried`,
      },
    }
    deps.log.warn('sync interrupted', { serverId: server.id, error: name })
    await deps.leases
      .finish(server, generation, state)
      .catch(() => deps.leases.release(server, generation))
      .catch(() => undefined)
    throw error
  }
}

/** Claims a server for an inline sync (refresh), waiting up to `waitMs` for a running one to end. */
export const syncNow = async (
  deps: SyncDeps,
  server: ServerRecord,
  waitMs: number,
): Promise<SyncOutcome> => {
  const deadline = Date.now() + waitMs
  for (;;) {
    const claim = await deps.leases.claim(
      server.organizationId,
      server.id,
      server.configVersion,
      deps.leaseMs,
    )
    if (claim.ok) return guarded(deps, claim.server, claim.generation)
    if (claim.why !== 'busy' || Date.now() > deadline) return { outcome: 'skipped', why: claim.why }
    await new Promise((r) => setTimeout(r, 200))
  }
}
