export type ServerType = 'sse' | 'streamable_http' | 'stdio'

export type SyncStatus = 'pending' | 'syncing' | 'ok' | 'failed'

export type SyncErrorCode =
  | 'connection_refused'
  | 'dns'
  | 'timeout'
  | 'unauthorized'
  | 'not_found'
  | 'invalid_response'
  | 'blocked_url'
  /** The stdio runner is at capacity (503 with Retry-After): transient, a later sync succeeds. */
  | 'unavailable'
  | 'other'

export interface SyncReport {
  added: string[]
  updated: string[]
  deleted: string[]
  rejected: { name: string; reasons: string[] }[]
}

export interface SyncState {
  status: SyncStatus
  tool_count: number
  last_synced_at: string | null
  error: { code: SyncErrorCode; message: string } | null
  report?: SyncReport
  /** When a failed sync with a passing cause is tried again on its own; absent otherwise. */
  next_retry_at?: string
  /** What a running sync waits for, such as a package being installed (`syncing` only). */
  message?: string
}

/** Plaintext secrets of one server; they only ever exist in memory. */
export interface Secrets {
  authToken?: string
  customHeaders?: Record<string, string>
  env?: Record<string, string>
}

/** What responses show in place of each secret. */
export interface SecretMasks {
  authToken?: string
  customHeaders?: Record<string, string>
  env?: Record<string, string>
}

/** Secrets at rest: an AES-256-GCM blob and the KMS-wrapped data key that opens it. */
export interface SealedSecrets {
  wrappedKey: Uint8Array
  blob: Uint8Array
}

export interface ServerRecord {
  organizationId: string
  id: string
  name: string
  type: ServerType
  serverUrl?: string
  authHeader?: string
  command?: string
  args?: string[]
  sealed?: SealedSecrets
  masks: SecretMasks
  sync: SyncState
  /** Bumped whenever the way to reach the server changes; a sync only lands on its own generation. */
  configVersion: number
  /** Bumped by every API write; updates are conditioned on it (optimistic concurrency). */
  revision: number
  createdAt: string
  updatedAt: string
}
