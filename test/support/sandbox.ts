import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SandboxSettings } from '../../core/sandbox/settings.js'

/**
 * Isolated sandbox settings for a test runner: a throwaway root folder and a uid range of its
 * own (runners on one host also claim ids through a shared folder). The stdio tests run every
 * child under its own uid, which needs root: they fail here, loudly, rather than skip.
 */
export const testSandbox = (overrides: Partial<SandboxSettings> = {}) => {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'The stdio runner tests must run as root: every child runs under a uid of its own (CI runs as root)',
    )
  }
  const root = mkdtempSync(join(tmpdir(), 'hangar-sandbox-test-'))
  const settings: SandboxSettings = {
    isolate: true,
    root,
    uidBase: 400_000 + (process.pid % 1000) * 1000,
    uidCount: 1000,
    limits: { tasks: 128, openFiles: 1024, fileBytes: 256 * 2 ** 20, dataBytes: 512 * 2 ** 20 },
    ...overrides,
  }
  return { settings, remove: () => rmSync(root, { recursive: true, force: true }) }
}
