import type { LookupAddress } from 'node:dns'
import type { TargetAuth } from '../../ports.js'
import type { ListedTool, UnnamedTool } from '../../tools/types.js'

export type { ListedTool, UnnamedTool }

/** How to reach one MCP server. `headers` carry the auth and custom headers: never log their values. */
export interface McpTarget {
  type: 'sse' | 'streamable_http'
  url: string
  headers: Record<string, string>
  auth?: TargetAuth
}

export interface McpTool {
  name: string
  title?: string
  description?: string
  inputSchema: unknown
  outputSchema?: unknown
  annotations?: unknown
  _meta?: unknown
}

/** Whether a connection may go to `address`, which `hostname` resolved to (or is). */
export type AddressPolicy = (address: string, hostname: string) => boolean

export type Resolver = (hostname: string) => Promise<LookupAddress[]>

export interface GuardOptions {
  allowPrivate: boolean
  /** Replaces the private-address rule (tests); the static URL rules still apply. */
  isAllowedAddress?: AddressPolicy
  /** Replaces DNS resolution (tests). */
  resolve?: Resolver
}

export interface ConnectOptions extends GuardOptions {
  connectTimeoutMs: number
  /** Bytes the whole connection may receive (default: the listing budget). */
  maxResponseBytes?: number
  signal?: AbortSignal
}

export interface ListOptions extends ConnectOptions {
  listTimeoutMs: number
  maxTools?: number
}

export interface CallOptions extends ConnectOptions {
  timeoutMs: number
  /** Asks the server for progress (a progress token) and hands each notification here. */
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void
}
