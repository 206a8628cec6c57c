import { parseSandboxSettings, type SandboxSettings } from '../sandbox/settings.js'
import { BARE_NAME, DEFAULT_ALLOWLIST } from './policy-rules.js'

export interface RunnerConfig {
  /** Shared with the functions that call the runner; signs every request. */
  secret: string
  host: string
  port: number
  allowlist: readonly string[]
  idleMs: number
  maxProcesses: number
  /** Fair shares: processes one organization may hold, and start at once. */
  maxPerOrganization: number
  maxStartingPerOrganization: number
  /** How long a request waits for a slot before a 503 with Retry-After. */
  queueMs: number
  sandbox: SandboxSettings
  /** Bounds each request forwarded to a child. */
  requestTimeoutMs: number
  /** Bounds a child's start, up to its answer to `initialize` (npx/uvx may download first). */
  startTimeoutMs: number
  /** The first cool-down after a crash. */
  cooldownMs: number
  /** How long a stopping runner waits for requests in flight. */
  drainMs: number
}

/** Where the API and the sync worker reach the runner. */
export interface RunnerClientConfig {
  url: string
  secret: string
  /** The runner's first-start budget (the same HANGAR_RUNNER_START_TIMEOUT_MS): callers wait it out. */
  startTimeoutMs?: number
}

type Source = Record<string, string | undefined>

const MIN_SECRET_LENGTH = 32

const required = (source: Source, key: string): string => {
  const value = source[key]?.trim()
  if (!value) throw new Error(`Missing configuration: environment variable ${key} must be set`)
  return value
}

const secret = (source: Source, key: string): string => {
  const value = required(source, key)
  if (value.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `Invalid configuration: ${key} must be at least ${MIN_SECRET_LENGTH} characters`,
    )
  }
  return value
}

const positive = (source: Source, key: string, fallback: number): number => {
  const raw = source[key]?.trim()
  if (!raw) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`Invalid configuration: ${key} must be a positive integer, got "${raw}"`)
  }
  return value
}

const allowlist = (source: Source, key: string): readonly string[] => {
  const raw = source[key]?.trim()
  if (!raw) return DEFAULT_ALLOWLIST
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const bad = names.find((name) => !BARE_NAME.test(name))
  if (bad !== undefined || names.length === 0) {
    throw new Error(
      `Invalid configuration: ${key} must list bare program names, got "${bad ?? raw}"`,
    )
  }
  return names
}

/** The runner's settings, read once at start, failing loudly and naming the variable. */
export const parseRunnerConfig = (
  source: Source,
  isRoot = process.getuid?.() === 0,
): RunnerConfig => ({
  secret: secret(source, 'HANGAR_RUNNER_SECRET'),
  host: source.RUNNER_HOST?.trim() || '127.0.0.1',
  port: positive(source, 'RUNNER_PORT', 8100),
  allowlist: allowlist(source, 'HANGAR_STDIO_ALLOWLIST'),
  idleMs: positive(source, 'HANGAR_RUNNER_IDLE_MS', 5 * 60_000),
  maxProcesses: positive(source, 'HANGAR_RUNNER_MAX_PROCESSES', 20),
  maxPerOrganization: positive(
    source,
    'HANGAR_RUNNER_MAX_PER_ORG',
    Math.ceil(positive(source, 'HANGAR_RUNNER_MAX_PROCESSES', 20) / 4),
  ),
  maxStartingPerOrganization: positive(source, 'HANGAR_RUNNER_MAX_STARTING_PER_ORG', 2),
  queueMs: positive(source, 'HANGAR_RUNNER_QUEUE_MS', 5_000),
  sandbox: parseSandboxSettings(source, isRoot),
  requestTimeoutMs: positive(source, 'HANGAR_RUNNER_REQUEST_TIMEOUT_MS', 60_000),
  startTimeoutMs: positive(source, 'HANGAR_RUNNER_START_TIMEOUT_MS', 60_000),
  cooldownMs: positive(source, 'HANGAR_RUNNER_COOLDOWN_MS', 10_000),
  drainMs: positive(source, 'HANGAR_RUNNER_DRAIN_MS', 10_000),
})

/**
 * parseRunnerConfig over the process environment, then HANGAR_RUNNER_SECRET is deleted from it: no
 * later code, library or child process finds it there.
 */
export const takeRunnerConfig = (env: Source): RunnerConfig => {
  const config = parseRunnerConfig(env)
  delete env.HANGAR_RUNNER_SECRET
  return config
}

/** The allowlist the API checks registrations against (the runner's own setting, same variable). */
export const parseStdioAllowlist = (source: Source): readonly string[] =>
  allowlist(source, 'HANGAR_STDIO_ALLOWLIST')

/** The runner's address and secret for the functions, or undefined when no runner is configured. */
export const parseRunnerClientConfig = (source: Source): RunnerClientConfig | undefined => {
  const url = source.HANGAR_RUNNER_URL?.trim()
  if (!url) return undefined
  if (!/^https?:\/\/[^/]+/.test(url)) {
    throw new Error(`Invalid configuration: HANGAR_RUNNER_URL must be an http(s) URL, got "${url}"`)
  }
  return {
    url: url.replace(/\/+$/, ''),
    secret: secret(source, 'HANGAR_RUNNER_SECRET'),
    startTimeoutMs: positive(source, 'HANGAR_RUNNER_START_TIMEOUT_MS', 60_000),
  }
}
