import { secretsKeyAlias } from './kms'
import { syncQueue } from './queue'
import { runnerSecret } from './secrets'
import { runnerUrl } from './sidecar'
import { table } from './table'

// Graviton costs about 20 % less per GB-second than x86; Node 22 is the newest runtime the
// code is built (target node22) and tested for.
export const runtime = { runtime: 'nodejs22.x', architecture: 'arm64' } as const

/** core/config.ts parses these at every function's cold start. */
export const environment = {
  HANGAR_TABLE: table.name,
  HANGAR_SYNC_QUEUE_URL: syncQueue.url,
  HANGAR_KMS_KEY_ID: secretsKeyAlias.name,
  HANGAR_ALLOW_PRIVATE_URLS: 'false',
}

/**
 * For the functions that call the runner. Configuration comes only from the environment
 * (core/runner/config.ts), so the secret is an environment variable, encrypted at rest by Lambda.
 */
export const runnerClientEnvironment = {
  ...environment,
  HANGAR_RUNNER_URL: runnerUrl,
  HANGAR_RUNNER_SECRET: runnerSecret.value,
}
