import type { Log } from '../../core/ports.js'
import type { RunnerConfig } from '../../core/runner/config.js'
import { launchProcess } from '../../core/runner/launch.js'
import { ProcessPool } from '../../core/runner/pool.js'
import { ReplayCache } from '../../core/runner/replay-cache.js'
import type { RunnerAppDeps } from './app.js'

const GRACE_MS = 3_000

type PoolSettings = Pick<RunnerConfig, 'idleMs' | 'maxProcesses' | 'startTimeoutMs' | 'cooldownMs'>

/** The pool of stdio processes, launching real children. */
export const runnerPool = (config: PoolSettings, log: Pick<Log, 'info' | 'warn'>) =>
  new ProcessPool({
    launch: (spec) =>
      launchProcess(spec, { startTimeoutMs: config.startTimeoutMs, graceMs: GRACE_MS }),
    idleMs: config.idleMs,
    maxProcesses: config.maxProcesses,
    cooldownMs: config.cooldownMs,
    log,
  })

/**
 * The runner's composition root. It holds no AWS client, table or key: each request carries its
 * server's launch spec, sealed under the runner secret, so there is nothing else here to steal.
 */
export const buildRunnerDeps = (config: RunnerConfig, log: Log): RunnerAppDeps => ({
  pool: runnerPool(config, log),
  allowlist: config.allowlist,
  requestTimeoutMs: config.requestTimeoutMs,
  secret: config.secret,
  replay: new ReplayCache(),
  log,
})
