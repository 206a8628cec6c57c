import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { Clock, Log } from '../ports.js'
import type { OAuthStore } from './types.js'

/** A fetch for OAuth hops that passes the same SSRF guard as MCP connections. */
export interface GuardedHttp {
  fetch: FetchLike
  close(): Promise<void>
}

export interface OAuthDeps {
  store: OAuthStore
  /** A guarded fetch; `close()` after use. */
  http(): GuardedHttp
  /** Private and loopback hosts allowed (local stacks and tests only), as for MCP targets. */
  allowPrivate: boolean
  clock: Clock
  log: Pick<Log, 'info' | 'warn'>
  /** Refresh this long before expiry. */
  refreshSkewMs: number
  /** How long a refresh lease is held, and how long a loser waits for the winner's tokens. */
  leaseMs: number
  waitForRefreshMs: number
}
