import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { KMSClient } from '@aws-sdk/client-kms'
import { DynamoServerStore } from '../../core/adapters/dynamo/server-store.js'
import { KmsDataKeys } from '../../core/adapters/kms/data-keys.js'
import type { Log } from '../../core/ports.js'
import type { RunnerConfig } from '../../core/runner/config.js'
import { launchProcess } from '../../core/runner/launch.js'
import { ProcessPool } from '../../core/runner/pool.js'
import { ReplayCache } from '../../core/runner/replay-cache.js'
import { serverSecrets } from '../../core/runner/server-secrets.js'
import { documentClient } from '../deps.js'
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

/** The runner's composition root: it reads server items and opens their secrets itself. */
export const buildRunnerDeps = (
  config: RunnerConfig,
  clients: { dynamodb: DynamoDBClient; kms: KMSClient },
  log: Log,
): RunnerAppDeps => ({
  servers: new DynamoServerStore(documentClient(clients.dynamodb), config.tableName),
  secrets: serverSecrets(new KmsDataKeys(clients.kms, config.kmsKeyId)),
  pool: runnerPool(config, log),
  allowlist: config.allowlist,
  requestTimeoutMs: config.requestTimeoutMs,
  secret: config.secret,
  replay: new ReplayCache(),
  log,
})
