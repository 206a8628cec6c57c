import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { checkLaunch } from './policy.js'
import type { ProcessPool } from './pool.js'
import { openLaunch, type LaunchBinding } from './sealed-launch.js'

export interface OpenDeps {
  /** The runner secret: it both checks signatures and opens sealed launch specs. */
  secret: string
  pool: ProcessPool<Client>
  allowlist: readonly string[]
}

export type Opened =
  | { ok: true; client: Client; release(): void }
  | { ok: false; reason: 'invalid' | 'refused' | 'failed' | 'busy' | 'deleted'; message: string }

/**
 * The pooled process of one stdio server, started if needed from the launch spec the caller sealed
 * into this request. The launch policy is checked again here, so a spec that slipped past
 * registration starts nothing.
 */
export const openServer = async (
  deps: OpenDeps,
  key: { organizationId: string; serverId: string },
  sealed: unknown,
  binding: LaunchBinding,
): Promise<Opened> => {
  const launch = openLaunch(deps.secret, sealed, binding)
  if (!launch.ok) return { ok: false, reason: 'invalid', message: `launch: ${launch.reason}` }
  const check = checkLaunch(launch.spec, { allowlist: deps.allowlist })
  if (!check.ok) {
    await deps.pool.evict(key.organizationId, key.serverId)
    return { ok: false, reason: 'refused', message: `config.${check.field}: ${check.reason}` }
  }
  return deps.pool.acquire(key, launch.spec)
}
