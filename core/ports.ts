import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { ServerRecord, SyncErrorCode, SyncState } from './registry/types.js'
import type { ListedTool, StoredTool, ToolWrite } from './tools/types.js'

/** Structured logging; callers never pass secrets. */
export interface Log {
  debug(message: string, ...extra: Record<string, unknown>[]): void
  info(message: string, ...extra: Record<string, unknown>[]): void
  warn(message: string, ...extra: Record<string, unknown>[]): void
  error(message: string, ...extra: Record<string, unknown>[]): void
}

/** Binds a data key to one server of one organization (the KMS EncryptionContext). */
export interface KeyContext {
  organization_id: string
  mcp_server_id: string
}

/** Envelope-encryption data keys (KMS GenerateDataKey / Decrypt). */
export interface DataKeys {
  generate(context: KeyContext): Promise<{ plaintext: Uint8Array; wrapped: Uint8Array }>
  unwrap(wrapped: Uint8Array, context: KeyContext): Promise<Uint8Array>
}

export interface SyncMessage {
  organization_id: string
  server_id: string
  config_version: number
  reason: 'created' | 'updated' | 'requested' | 'retry' | 'sweep'
  /** Automatic retries already made for this failure (retry messages only). */
  attempt?: number
}

export interface SyncQueue {
  send(message: SyncMessage, options?: { delaySeconds?: number }): Promise<void>
}

/** Where and how to reach an HTTP MCP server; header values are secrets. */
export interface McpTarget {
  type: 'sse' | 'streamable_http'
  url: string
  headers: Record<string, string>
  /** An OAuth grant's Authorization header, renewed once after a 401 (core/oauth). */
  auth?: TargetAuth
}

/** Supplies the Authorization header of an OAuth-connected target. */
export interface TargetAuth {
  /** The current header value, refreshed first when the token is about to expire. */
  header(): Promise<string>
  /** After a 401 with `rejected`: a renewed value, or throws when only a reconnect helps. */
  renew(rejected: string): Promise<string>
  /** A renewed value was refused too: marks the grant for reconnection; returns what to throw. */
  reject(rejected: string): Promise<Error>
}

export interface McpLimits {
  allowPrivate: boolean
  connectTimeoutMs: number
  listTimeoutMs: number
}

export interface McpCallResult {
  content?: unknown[]
  isError?: boolean
  structuredContent?: unknown
}

/** Per-call extras: the caller's cancellation, and where upstream progress goes when asked. */
export interface CallExtras {
  signal?: AbortSignal
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void
}

/** A connected MCP client for one upstream server, open for the span of one function call. */
export type UpstreamSession = <T>(fn: (client: Client) => Promise<T>) => Promise<T>

/** A failure's class, a message without secrets, and whether it may pass (busy, 5xx, 429). */
export interface Classified {
  code: SyncErrorCode
  message: string
  transient?: boolean
}

/**
 * Reaches stdio servers, which run only in the stdio runner (a Fargate service; a local process
 * under npm start). The runner decrypts a server's env itself, so no secret travels.
 */
export interface StdioGateway {
  listTools(server: ServerRecord): Promise<ListedTool[]>
  callTool(
    server: ServerRecord,
    name: string,
    args: Record<string, unknown>,
    timeoutMs: number,
    extras?: CallExtras,
  ): Promise<McpCallResult>
  /** Opens a client to the server through the runner for `fn` (the per-server MCP endpoint). */
  session?(server: ServerRecord, timeoutMs: number): UpstreamSession
  classify(error: unknown): Classified
  /** Stops the server's process now (deletion); the runner also reaps idle ones. */
  evict(organizationId: string, serverId: string): Promise<void>
}

/** Talks MCP to registered servers. */
export interface McpConnector {
  /** Every `tools/list` entry, following cursors to the end; each entry read on its own. */
  listTools(target: McpTarget, limits: McpLimits): Promise<ListedTool[]>
  /** Runs one tool; tool-level failures come back as `isError: true`. */
  callTool(
    target: McpTarget,
    name: string,
    args: Record<string, unknown>,
    limits: McpLimits & { timeoutMs: number } & CallExtras,
  ): Promise<McpCallResult>
  /** Opens a client to the server for `fn` (the per-server MCP endpoint). */
  session?(target: McpTarget, limits: McpLimits & { timeoutMs: number }): UpstreamSession
  /** A failure's class and a message that carries no secret. */
  classify(error: unknown): Classified
}

export interface Page<T> {
  items: T[]
  /** Pass back as `after` to read the next page; absent on the last page. */
  next?: string
}

/** MCP server records, with their name claims, in one organization's partition. */
export interface ServerStore {
  /** Writes the server and claims its name atomically; throws `server.nameTaken` on a clash. */
  create(server: ServerRecord): Promise<void>
  get(organizationId: string, id: string): Promise<ServerRecord | undefined>
  /** The server holding `name`'s claim (Letta's legacy routes address servers by name). */
  findByName(organizationId: string, name: string): Promise<ServerRecord | undefined>
  list(
    organizationId: string,
    options: { limit: number; after?: string },
  ): Promise<Page<ServerRecord>>
  /**
   * Writes the API-owned fields of `server` if the stored revision is still `previous.revision`,
   * moving the name claim when the name changed. The sync state is written only when the config
   * version changed. Throws `server.notFound` (gone or changed meanwhile) or `server.nameTaken`.
   */
  update(server: ServerRecord, previous: ServerRecord): Promise<void>
  /** Removes the server and its name claim in one transaction; false when it did not exist. */
  delete(organizationId: string, id: string): Promise<boolean>
}

export interface ApiKeyStore {
  /** The organization a key hash belongs to, or undefined. */
  organizationFor(keyHash: string): Promise<string | undefined>
  put(keyHash: string, organizationId: string, label: string): Promise<void>
  /** The organization's keys (hashes only), oldest first. */
  list(organizationId: string): Promise<ApiKeyInfo[]>
  /** Deletes the key; false when the organization has no such key. */
  revoke(organizationId: string, keyHash: string): Promise<boolean>
}

export interface ApiKeyInfo {
  keyHash: string
  label: string
  createdAt: string
}

export interface Clock {
  now(): Date
}

/** A server's tools, keyed by name within the server. */
export interface ToolStore {
  listAll(organizationId: string, serverId: string): Promise<StoredTool[]>
  page(
    organizationId: string,
    serverId: string,
    options: { limit: number; after?: string },
  ): Promise<Page<StoredTool>>
  get(organizationId: string, toolId: string): Promise<StoredTool | undefined>
  /** One of a server's tools by its name. */
  byName(organizationId: string, serverId: string, name: string): Promise<StoredTool | undefined>
  /** The organization's tools across its servers (or `serverIds` only), for the MCP endpoint. */
  pageOrganization(
    organizationId: string,
    options: { limit: number; after?: string; serverIds?: string[] },
  ): Promise<Page<StoredTool>>
  /** The tool served under `servedName` on the organization's MCP endpoint. */
  findServed(organizationId: string, servedName: string): Promise<StoredTool | undefined>
  /** Writes the puts and deletes in batches; returns the number of write requests sent. */
  apply(organizationId: string, serverId: string, write: ToolWrite): Promise<number>
}

export type Claim =
  | { ok: true; generation: number; server: ServerRecord }
  | { ok: false; why: 'gone' | 'stale' | 'busy'; configVersion?: number }

/**
 * One sync at a time per server: a sync claims a lease on the server item for one config version,
 * and its result lands only if that lease and version still hold.
 */
export interface SyncLeases {
  /**
   * Claims the lease for `configVersion`; `takeOver` claims it even from a running sync (whose
   * result then no longer lands). A failed claim tells the stored config version.
   */
  claim(
    organizationId: string,
    serverId: string,
    configVersion: number,
    leaseMs: number,
    options?: { takeOver?: boolean },
  ): Promise<Claim>
  /** Whether the lease and config version still hold, extending the lease; false when superseded. */
  renew(server: ServerRecord, generation: number, leaseMs: number): Promise<boolean>
  /** Shows what the running sync waits for (`sync.message`) while it holds the lease; false when superseded. */
  progress(server: ServerRecord, generation: number, message: string): Promise<boolean>
  /** Writes the final sync state and releases the lease; false when superseded. */
  finish(server: ServerRecord, generation: number, state: SyncState): Promise<boolean>
  /** Gives the lease up without a result, so a retry need not wait for it to expire. */
  release(server: ServerRecord, generation: number): Promise<void>
}

/** A server whose sync nobody is running or will run: left pending/syncing, or its retry lost. */
export interface StaleSync {
  organizationId: string
  id: string
  configVersion: number
  /** A failed server's scheduled retry (ISO time), if it has one. */
  retryAt?: string
}

/** Finds servers whose sync was lost (a restart, a dropped or dead-lettered message). */
export interface StaleSyncs {
  /**
   * Servers `pending` since before `before`, `syncing` under an expired lease, or `failed` with a
   * retry due before `before`. `afterRestart` (no sync is running, no message is queued) also
   * takes `syncing` servers whose lease has not expired yet, dropping those leases, and `failed`
   * servers whose retry is not due yet.
   */
  find(options: { now: Date; before: Date; afterRestart?: boolean }): AsyncIterable<StaleSync>
}

/** Everything stored under one server: its tools (the server↔tool mapping) and OAuth sessions. */
export interface ServerChildren {
  /** Deletes every child item; returns how many were deleted. */
  deleteAll(organizationId: string, serverId: string): Promise<number>
  /** Points every tool at the server's new name; returns how many changed. */
  retag(organizationId: string, serverId: string, name: string): Promise<number>
}
