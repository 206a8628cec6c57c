import type {
  Classified,
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
import type {
  Secrets,
  ServerRecord,
  SyncErrorCode,
  SyncReport,
  SyncState,
} from '../registry/types.js'
import { redactSecrets } from '../redact.js'
import { secretValues } from '../registry/secrets.js'
import type { CallContext } from '../templates/context.js'
import type { OAuthDeps } from '../oauth/deps.js'
import { noticeWhileInstalling } from './installing.js'
import { toolId } from './tool-id.js'
import { planSync, type Prepared } from './plan.js'
import { authorizedTarget } from './target.js'
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
  /** OAuth grants (core/oauth); absent where OAuth is not wired. */
  oauth?: OAuthDeps
  /** The per-tool validator and normaliser, loaded on first use (it is cold-start weight). */
  preparer(): Promise<(tool: McpTool) => Prepared>
  clock: Clock
  log: Pick<Log, 'info' | 'warn'>
  limits: McpLimits
  /** How long a claimed sync may run before another may take over (beyond the worker timeout). */
  leaseMs: number
  /** Seconds before a sync that found another one running is tried again. */
  retryDelaySeconds: number
  /** Delays (seconds) before each automatic retry of a sync that failed for a passing cause. */
  retryBackoffSeconds?: readonly number[]
  /**
   * Seconds before the queue delivers a message again after a fault (its visibility timeout): a
   * sync cut off by a service fault shows it as `next_retry_at`, and the sweep re-queues it if
   * that delivery never comes (the queue lost the message, or the local stack stopped).
   */
  redeliverySeconds?: number
}

/** How a sync message reached the worker: which delivery, of how many before the DLQ. */
export interface Delivery {
  receiveCount: number
  maxReceiveCount: number
}

/** Bounded: five retries over about 20 minutes, none beyond SQS's 15-minute delay limit. */
export const RETRY_BACKOFF_SECONDS = [10, 30, 90, 270, 810] as const
const TRANSIENT: readonly SyncErrorCode[] = ['timeout', 'connection_refused', 'unavailable']

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

/** When and how a failed sync is tried again on its own, or undefined (permanent, or exhausted). */
const retryPlan = (
  deps: SyncDeps,
  code: SyncErrorCode,
  transient: boolean | undefined,
  attempt: number,
) => {
  const backoff = deps.retryBackoffSeconds ?? RETRY_BACKOFF_SECONDS
  if (!(transient || TRANSIENT.includes(code)) || attempt >= backoff.length) return undefined
  const delaySeconds = backoff[attempt]!
  return {
    delaySeconds,
    at: new Date(deps.clock.now().getTime() + delaySeconds * 1000).toISOString(),
    message: (server: ServerRecord): SyncMessage => ({
      organization_id: server.organizationId,
      server_id: server.id,
      config_version: server.configVersion,
      reason: 'retry',
      attempt: attempt + 1,
    }),
  }
}

/** Connects, lists, diffs and writes the tools of one claimed server; never throws for upstream faults. */
const run = async (
  deps: SyncDeps,
  server: ServerRecord,
  generation: number,
  attempt: number,
): Promise<SyncOutcome> => {
  const now = deps.clock.now().toISOString()
  const superseded = async () => {
    await deps.leases.release(server, generation)
    return { outcome: 'skipped', why: 'superseded' } as const
  }
  const fail = async ({ code, message: upstream, transient }: Classified) => {
    // Upstream text may quote this server's secrets in any form; none of it is stored.
    const secrets = secretValues(await deps.secrets(server))
    const message = redactSecrets(upstream, secrets).slice(0, 1000)
    const retry = retryPlan(deps, code, transient, attempt)
    const { next_retry_at: _previous, ...rest } = server.sync
    const state: SyncState = {
      ...rest,
      status: 'failed',
      last_synced_at: now,
      error: { code, message },
      ...(retry ? { next_retry_at: retry.at } : {}),
    }
    deps.log.warn('sync failed', {
      serverId: server.id,
      code,
      reason: message,
      ...(retry ? { retryInSeconds: retry.delaySeconds, attempt } : {}),
    })
    if (!(await deps.leases.finish(server, generation, state))) return superseded()
    if (retry) await deps.queue.send(retry.message(server), { delaySeconds: retry.delaySeconds })
    return { outcome: 'failed', state } as const
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
      const listing = deps.stdio.listTools(server)
      listed = await noticeWhileInstalling(deps.leases, { server, generation }, listing)
    } catch (error) {
      return fail(deps.stdio.classify(error))
    }
  } else {
    const target = await authorizedTarget(deps, server)
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
    newId: (name) => toolId(server.id, name),
    prepare: await prepareSoon,
  })
  // A config change or a refresh may have taken the server over while it was being listed.
  if (!(await deps.leases.renew(server, generation, deps.leaseMs))) return superseded()
  const writeRequests = await deps.tools.apply(server.organizationId, server.id, plan.write)
  const state: SyncState = {
    status: 'ok',
    tool_count: plan.toolCount,
    last_synced_at: now,
    error: null,
    report: capped(plan.report),
  }
  if (!(await deps.leases.finish(server, generation, state))) return superseded()
  deps.log.info('sync done', { serverId: server.id, tools: plan.toolCount, writeRequests })
  return { outcome: 'ok', report: plan.report, toolCount: plan.toolCount, writeRequests }
}

/**
 * Handles one sync message. A message for an older config version or a deleted server is dropped;
 * one that finds another sync of the same version running is sent again after a short delay, so
 * repeated deliveries and concurrent syncs never interleave their writes. A transient failure is
 * retried with backoff (see `next_retry_at`); `delivery` tells whether SQS will deliver it again.
 */
export const syncServer = async (
  deps: SyncDeps,
  message: SyncMessage,
  delivery?: Delivery,
): Promise<SyncOutcome> => {
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
  const last = delivery !== undefined && delivery.receiveCount >= delivery.maxReceiveCount
  return guarded(deps, claim.server, claim.generation, { attempt: message.attempt ?? 0, last })
}

const SERVICE_FAULT = 'sync interrupted by a service fault'

/**
 * Runs a claimed sync. On an infrastructure fault (storage or KMS) the server shows it, the lease
 * is released so a redelivery need not wait, and the fault is rethrown: SQS delivers the message
 * again, unless this was its last delivery (then the message says it is final), and a refresh
 * answers it.
 */
const guarded = async (
  deps: SyncDeps,
  server: ServerRecord,
  generation: number,
  how: { attempt: number; last: boolean },
) => {
  try {
    return await run(deps, server, generation, how.attempt)
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error'
    const then = how.last
      ? 'no more retries; refresh the server to try again'
      : 'it will be retried'
    const { next_retry_at: _scheduled, ...rest } = server.sync
    const redelivery = how.last ? undefined : deps.redeliverySeconds
    const state: SyncState = {
      ...rest,
      status: 'failed',
      error: { code: 'other', message: `${SERVICE_FAULT} (${name}); ${then}` },
      ...(redelivery === undefined
        ? {}
        : {
            next_retry_at: new Date(deps.clock.now().getTime() + redelivery * 1000).toISOString(),
          }),
    }
    deps.log.warn('sync interrupted', { serverId: server.id, error: name, final: how.last })
    await deps.leases
      .finish(server, generation, state)
      .catch(() => deps.leases.release(server, generation))
      .catch(() => undefined)
    throw error
  }
}

/** Times a refresh starts over after its sync was superseded (a PATCH, or another refresh). */
const MAX_RESTARTS = 3

/**
 * Claims a server for an inline sync (refresh) and runs it. A sync already running is waited for
 * up to `waitMs` and then superseded, so a refresh never fails because a sync was in flight; a
 * refresh superseded by a config change starts over with the new config. Inline syncs schedule no
 * automatic retries: the caller sees the failure at once. `takeOver: false` never takes over: a
 * running sync makes it answer `busy` at once.
 */
export const syncNow = async (
  deps: SyncDeps,
  server: ServerRecord,
  waitMs: number,
  options: { takeOver?: boolean } = {},
): Promise<SyncOutcome> => {
  const deadline = Date.now() + waitMs
  let version = server.configVersion
  let restarts = 0
  let tookOver = false
  for (;;) {
    const takeOver: boolean = !tookOver && Date.now() > deadline
    const claim = await deps.leases.claim(server.organizationId, server.id, version, deps.leaseMs, {
      takeOver,
    })
    if (claim.ok) {
      tookOver ||= takeOver
      const how = { attempt: Number.POSITIVE_INFINITY, last: true }
      const outcome = await guarded(deps, claim.server, claim.generation, how)
      if (outcome.outcome !== 'skipped' || restarts++ >= MAX_RESTARTS) return outcome
      continue
    }
    if (claim.why === 'gone') return { outcome: 'skipped', why: 'gone' }
    if (claim.why === 'stale') {
      if (restarts++ >= MAX_RESTARTS) return { outcome: 'skipped', why: 'stale' }
      version = claim.configVersion ?? version
      continue
    }
    if (options.takeOver === false) return { outcome: 'skipped', why: 'busy' }
    // Busy: once the wait is over, the running sync is taken over (only once per refresh).
    if (tookOver && Date.now() > deadline + waitMs) return { outcome: 'skipped', why: 'busy' }
    await new Promise((r) => setTimeout(r, 100))
  }
}
