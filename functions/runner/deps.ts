import type { Log } from '../../core/ports.js'
import type { RunnerConfig } from '../../core/runner/config.js'
import { launchProcess } from '../../core/runner/launch.js'
import { ProcessPool } from '../../core/runner/pool.js'
import { ReplayCache } from '../../core/runner/replay-cache.js'
import { Sandbox } from '../../core/sandbox/sandbox.js'
import type { RunnerAppDeps } from './app.js'

const GRACE_MS = 3_000

type PoolSettings = Pick<
  RunnerConfig,
  | 'idleMs'
  | 'maxProcesses'
  | 'maxPerOrganization'
  | 'maxStartingPerOrganization'
  | 'queueMs'
  | 'startTimeoutMs'
  | 'cooldownMs'
  | 'sandbox'
>

/** The pool of stdio processes, launching real children, each in a sandbox cell. */
export const runnerPool = (
  config: PoolSettings,
  log: Pick<Log, 'info' | 'warn'>,
  sandbox = new Sandbox(config.sandbox),
) => {
  const launch = { startTimeoutMs: config.startTimeoutMs, graceMs: GRACE_MS, sandbox }
  return new ProcessPool({
    launch: (spec, key) => launchProcess(spec, key.organizationId, launch),
    ...config,
    log,
  })
}

/**
 * The runner's composition root. It holds no AWS client, table or key: each request carries its
 * server's launch spec, sealed under the runner secret, so there is nothing else here to steal.
 */
export const buildRunnerDeps = (
  config: RunnerConfig,
  log: Log,
): RunnerAppDeps & { sandbox: Sandbox } => {
  const sandbox = new Sandbox(config.sandbox)
  return {
    pool: runnerPool(config, log, sandbox),
    sandbox,
    allowlist: config.allowlist,
    requestTimeoutMs: config.requestTimeoutMs,
    secret: config.secret,
    replay: new ReplayCache(),
    log,
  }
}
