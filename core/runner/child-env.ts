import { dirname } from 'node:path'

export interface BaseEnv {
  /** The child's private folder: its HOME, TMPDIR and working directory. */
  home: string
  /** Where `node` and `npx` live; defaults to the runner's own node. */
  nodeDir?: string
  /** Set by the sandbox (its organization's package caches). */
  sandbox?: Readonly<Record<string, string>>
}

/**
 * The whole environment of a child: the server's own variables (already checked by the launch
 * policy) under a minimal base that they cannot override. Nothing comes from the runner's env.
 */
export const childEnv = (
  serverEnv: Readonly<Record<string, string>>,
  base: BaseEnv,
): Record<string, string> => {
  const dirs = [base.nodeDir ?? dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin']
  return {
    ...serverEnv,
    ...base.sandbox,
    PATH: [...new Set(dirs)].join(':'),
    HOME: base.home,
    TMPDIR: base.home,
    LANG: 'C.UTF-8',
  }
}
