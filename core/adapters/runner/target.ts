import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { RunnerClientConfig } from '../../runner/config.js'
import type { LaunchSpec } from '../../runner/policy.js'
import { signingFetch, type SigningOptions } from './signing-fetch.js'

/** How the functions reach one stdio server: its runner endpoint, with a signing fetch. */
export interface RunnerTarget {
  url: string
  fetch: FetchLike
}

const endpoint = (runner: RunnerClientConfig, kind: 'mcp' | 'processes', org: string, id: string) =>
  `${runner.url}/${kind}/${encodeURIComponent(org)}/${encodeURIComponent(id)}`

/** Every MCP request to it carries `launch` sealed: the runner starts the process from that alone. */
export const runnerTarget = (
  server: { organizationId: string; id: string },
  runner: RunnerClientConfig,
  launch: LaunchSpec,
  options?: SigningOptions,
): RunnerTarget => ({
  url: endpoint(runner, 'mcp', server.organizationId, server.id),
  fetch: signingFetch(runner.secret, { ...options, launch }),
})

/** Asks the runner to stop a deleted server's process now rather than when it idles out. */
export const evictViaRunner = async (
  runner: RunnerClientConfig,
  organizationId: string,
  serverId: string,
  options?: SigningOptions,
): Promise<boolean> => {
  const url = endpoint(runner, 'processes', organizationId, serverId)
  const response = await signingFetch(runner.secret, options)(url, { method: 'DELETE' })
  if (!response.ok) throw new Error(`runner refused the eviction (HTTP ${response.status})`)
  return ((await response.json()) as { evicted: boolean }).evicted
}
