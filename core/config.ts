import {
  parseRunnerClientConfig,
  parseStdioAllowlist,
  type RunnerClientConfig,
} from './runner/config.js'

export interface Config {
  tableName: string
  syncQueueUrl: string
  kmsKeyId: string
  allowPrivateUrls: boolean
  version: string
  /** Milliseconds allowed for connecting to an MCP server and for each tools/list page. */
  connectTimeoutMs: number
  listTimeoutMs: number
  /** Milliseconds the refresh route may spend syncing inline. */
  refreshTimeoutMs: number
  /** Milliseconds a tool run may take; below the API function's own timeout. */
  runTimeoutMs: number
  /** The API's public base URL (OAuth redirect URIs); the request's origin when absent. */
  publicUrl?: string
  /** Milliseconds the connect stream waits for the OAuth callback (Letta: 300 s). */
  oauthWaitMs?: number
  /** Milliseconds between keep-alive comments on the connect stream. */
  keepAliveMs?: number
  /** Where the stdio runner listens, and the secret that signs requests to it; absent = no stdio. */
  runner?: RunnerClientConfig
  /** Programs stdio servers may run (HANGAR_STDIO_ALLOWLIST); the default list when absent. */
  stdioAllowlist?: readonly string[]
}

type Source = Record<string, string | undefined>

const required = (source: Source, key: string): string => {
  const value = source[key]?.trim()
  if (!value) throw new Error(`Missing configuration: environment variable ${key} must be set`)
  return value
}

const flag = (source: Source, key: string): boolean => {
  const value = source[key]?.trim().toLowerCase()
  if (value === undefined || value === '') return false
  if (value === 'true' || value === '1') return true
  if (value === 'false' || value === '0') return false
  throw new Error(`Invalid configuration: ${key} must be true or false, got "${source[key]}"`)
}

const millis = (source: Source, key: string, fallback: number): number => {
  const raw = source[key]?.trim()
  if (!raw) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`Invalid configuration: ${key} must be a positive integer (ms), got "${raw}"`)
  }
  return value
}

/** Reads Hangar's settings once, failing loudly and naming the missing variable. */
export const parseConfig = (source: Source): Config => ({
  tableName: required(source, 'HANGAR_TABLE'),
  syncQueueUrl: required(source, 'HANGAR_SYNC_QUEUE_URL'),
  kmsKeyId: required(source, 'HANGAR_KMS_KEY_ID'),
  allowPrivateUrls: flag(source, 'HANGAR_ALLOW_PRIVATE_URLS'),
  version: source.HANGAR_VERSION?.trim() || '0.1.0',
  connectTimeoutMs: millis(source, 'HANGAR_CONNECT_TIMEOUT_MS', 10_000),
  listTimeoutMs: millis(source, 'HANGAR_LIST_TIMEOUT_MS', 15_000),
  refreshTimeoutMs: millis(source, 'HANGAR_REFRESH_TIMEOUT_MS', 25_000),
  runTimeoutMs: millis(source, 'HANGAR_RUN_TIMEOUT_MS', 25_000),
  publicUrl: source.HANGAR_PUBLIC_URL?.trim() || undefined,
  oauthWaitMs: millis(source, 'HANGAR_OAUTH_WAIT_MS', 300_000),
  keepAliveMs: millis(source, 'HANGAR_KEEPALIVE_MS', 15_000),
  runner: parseRunnerClientConfig(source),
  stdioAllowlist: parseStdioAllowlist(source),
})
