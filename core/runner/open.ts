import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { ServerStore } from '../ports.js'
import type { Secrets, ServerRecord } from '../registry/types.js'
import { checkLaunch } from './policy.js'
import type { ProcessPool } from './pool.js'

export interface OpenDeps {
  servers: Pick<ServerStore, 'get'>
  secrets(server: ServerRecord): Promise<Secrets>
  pool: ProcessPool<Client>
  allowlist: readonly string[]
}

export type Opened =
  | { ok: true; client: Client; release(): void }
  | { ok: false; reason: 'notFound' | 'refused' | 'failed' | 'busy'; message: string }

/**
 * The pooled process of one stored stdio server, started if needed. The item is read and its env
 * decrypted here, and the launch policy checked again, so a forged item starts nothing.
 */
export const openServer = async (
  deps: OpenDeps,
  organizationId: string,
  serverId: string,
): Promise<Opened> => {
  const server = await deps.servers.get(organizationId, serverId)
  if (!server || server.type !== 'stdio') {
    await deps.pool.evict(organizationId, serverId)
    return { ok: false, reason: 'notFound', message: `stdio MCP server ${serverId} not found` }
  }
  const spec = {
    command: server.command ?? '',
    args: server.args ?? [],
    env: (await deps.secrets(server)).env ?? {},
  }
  const check = checkLaunch(spec, { allowlist: deps.allowlist })
  if (!check.ok) {
    await deps.pool.evict(organizationId, serverId)
    return { ok: false, reason: 'refused', message: `config.${check.field}: ${check.reason}` }
  }
  return deps.pool.acquire({ organizationId, serverId }, spec)
}
