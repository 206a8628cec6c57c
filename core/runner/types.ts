import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { Log } from '../ports.js'
import type { LaunchSpec } from './policy.js'

export interface ExitInfo {
  code: number | null
  signal: string | null
  /** `code 1` or `signal SIGKILL`. */
  description: string
  /** The end of its stderr, secrets cut out. */
  stderr: string
}

/** A started stdio server: its MCP client and the means to end it (with its whole group). */
export interface Launched<C = Client> {
  pid: number
  client: C
  /** Settles once the process has exited and its group and folder are gone. */
  exited: Promise<ExitInfo>
  stderr(): string
  stop(): Promise<void>
}

export type LaunchResult<C = Client> =
  { ok: true; process: Launched<C> } | { ok: false; message: string }

export interface PoolOptions<C> {
  launch(spec: LaunchSpec, key: PoolKey): Promise<LaunchResult<C>>
  /** A process with no request in flight for this long is stopped. */
  idleMs: number
  maxProcesses: number
  /** Live processes (starting, busy or idle) one organization may hold. */
  maxPerOrganization: number
  /** Processes one organization may have starting at once. */
  maxStartingPerOrganization: number
  /** How long a request waits in the queue for a slot before it is turned away (503). */
  queueMs: number
  /** The first cool-down after a crash; it doubles per repeated crash, up to `maxCooldownMs`. */
  cooldownMs: number
  maxCooldownMs?: number
  /** Deleted servers remembered (and refused), least recently deleted forgotten first. */
  maxDeleted?: number
  log: Pick<Log, 'info' | 'warn'>
  now?: () => number
}

export interface PoolKey {
  organizationId: string
  serverId: string
}

export type Acquired<C = Client> =
  | { ok: true; client: C; pid: number; release(): void }
  | { ok: false; reason: 'failed' | 'deleted'; message: string }
  | { ok: false; reason: 'busy'; message: string; retryAfterS: number }
