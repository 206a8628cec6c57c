import type { ServerRecord } from './registry/types.js'

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
  reason: 'created' | 'updated' | 'requested'
}

export interface SyncQueue {
  send(message: SyncMessage): Promise<void>
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
  list(organizationId: string, options: { limit: number; after?: string }): Promise<Page<ServerRecord>>
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
}

export interface Clock {
  now(): Date
}
