import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

export interface BaseEnv {
  /** The child's private folder: its HOME, TMPDIR and working directory. */
  home: string
  /** Where `node` and `npx` live; defaults to the runner's own node. */
  nodeDir?: string
  /** Set by the sandbox (its organization's package caches). */
  sandbox?: Readonly<Record<string, string>>
  /**
   * The runner user's own bin folder, where uv's and pipx's installers put `uvx`; on PATH (last,
   * so it never shadows node or npx) when it exists. Defaults to ~/.local/bin.
   */
  userBinDir?: string
}

/**
 * The whole environment of a child: the server's own variables (already checked by the launch
 * policy) under a minimal base that they cannot override. Nothing comes from the runner's env.
 */
export const childEnv = (
  serverEnv: Readonly<Record<string, string>>,
  base: BaseEnv,
): Record<string, string> => {
  const userBin = base.userBinDir ?? join(homedir(), '.local', 'bin')
  const dirs = [base.nodeDir ?? dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin']
  if (existsSync(userBin)) dirs.push(userBin)
  return {
    ...serverEnv,
    ...base.sandbox,
    PATH: [...new Set(dirs)].join(':'),
    HOME: base.home,
    TMPDIR: base.home,
    LANG: 'C.UTF-8',
  }
}
