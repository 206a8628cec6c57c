import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Limits } from './limits.js'

export interface SandboxSettings {
  /** Each child under a uid of its own (needs root); false only when explicitly allowed. */
  isolate: boolean
  /** Holds the children's private folders and the per-organization package caches. */
  root: string
  uidBase: number
  uidCount: number
  limits: Limits
}

type Source = Record<string, string | undefined>

const MB = 1024 * 1024

const integer = (source: Source, key: string, fallback: number, min = 1): number => {
  const raw = source[key]?.trim()
  if (!raw) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) {
    throw new Error(
      `Invalid configuration: ${key} must be an integer of at least ${min}, got "${raw}"`,
    )
  }
  return value
}

/**
 * The sandbox settings. As root, children are isolated. As any other user the runner refuses to
 * start unless HANGAR_RUNNER_ALLOW_UNISOLATED=true says that unisolated children are fine (a
 * single-user machine), so a deployment that lost root never runs tenants side by side silently.
 */
export const parseSandboxSettings = (source: Source, isRoot: boolean): SandboxSettings => {
  const allowShared = source.HANGAR_RUNNER_ALLOW_UNISOLATED?.trim() === 'true'
  if (!isRoot && !allowShared) {
    throw new Error(
      'Invalid configuration: the stdio runner must run as root to give each stdio server a uid of its own; set HANGAR_RUNNER_ALLOW_UNISOLATED=true to run children unisolated on a single-user machine',
    )
  }
  return {
    isolate: isRoot,
    root:
      source.HANGAR_RUNNER_SANDBOX_DIR?.trim() ||
      join(tmpdir(), isRoot ? 'hangar-sandbox' : `hangar-sandbox-${process.getuid?.()}`),
    uidBase: integer(source, 'HANGAR_RUNNER_UID_BASE', 100_000, 1000),
    uidCount: integer(source, 'HANGAR_RUNNER_UID_COUNT', 10_000, 2),
    limits: {
      tasks: integer(source, 'HANGAR_RUNNER_MAX_TASKS', 128),
      openFiles: integer(source, 'HANGAR_RUNNER_MAX_OPEN_FILES', 1024),
      fileBytes: integer(source, 'HANGAR_RUNNER_MAX_FILE_MB', 256) * MB,
      dataBytes: integer(source, 'HANGAR_RUNNER_MAX_MEMORY_MB', 512) * MB,
    },
  }
}
