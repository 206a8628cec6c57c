import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { KMSClient } from '@aws-sdk/client-kms'
import type { SQSClient } from '@aws-sdk/client-sqs'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { Logger } from '@aws-lambda-powertools/logger'
import { DynamoApiKeyStore } from '../core/adapters/dynamo/api-key-store.js'
import { DynamoServerStore } from '../core/adapters/dynamo/server-store.js'
import { authenticator } from '../core/auth.js'
import { parseConfig, type Config } from '../core/config.js'
import type { Log, McpConnector } from '../core/ports.js'
import { registry } from '../core/registry/service.js'
import type { SyncDeps } from '../core/tools/sync.js'
import type { RunDeps } from '../core/tools/run.js'
import { DynamoServerChildren } from '../core/adapters/dynamo/server-children.js'
import { DynamoSyncLeases } from '../core/adapters/dynamo/sync-leases.js'
import { DynamoStaleSyncs } from '../core/adapters/dynamo/stale-syncs.js'
import { DynamoToolStore } from '../core/adapters/dynamo/tool-store.js'
import { DynamoOAuthStore } from '../core/adapters/dynamo/oauth-store.js'
import type { OAuthDeps } from '../core/oauth/deps.js'
import { syncQueue } from '../infra/resources.js'
import {
  guardedHttp,
  lazyConnector,
  lazyDataKeys,
  lazyRunnerGateway,
  lazySyncQueue,
} from './lazy-adapters.js'

/** SQS and KMS clients left out are built from the environment on first use (lazy-adapters.ts). */
export interface AwsClients {
  dynamodb: DynamoDBClient
  sqs?: SQSClient
  kms?: KMSClient
}

export const documentClient = (dynamodb: DynamoDBClient) =>
  DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } })

/** The composition root: adapters wired to core, built once per cold start. */
export const buildDeps = <C extends AwsClients>(config: Config, clients: C, log: Log) => {
  const db = documentClient(clients.dynamodb)
  const store = new DynamoServerStore(db, config.tableName)
  const apiKeys = new DynamoApiKeyStore(db, config.tableName)
  const keys = lazyDataKeys(clients.kms, config.kmsKeyId)
  const queue = lazySyncQueue(clients.sqs, config.syncQueueUrl)
  const clock = { now: () => new Date() }
  const tools = new DynamoToolStore(db, config.tableName)
  const registryDeps = registry({
    store,
    keys,
    queue,
    clock,
    log,
    allowPrivateUrls: config.allowPrivateUrls,
    stdioAllowlist: config.stdioAllowlist,
  })
  const stdio = config.runner && lazyRunnerGateway(config.runner, config, registryDeps.secrets)
  const connector: McpConnector = lazyConnector()
  const oauth: OAuthDeps = {
    store: new DynamoOAuthStore(db, config.tableName, keys),
    http: () => guardedHttp(config),
    allowPrivate: config.allowPrivateUrls,
    clock,
    log,
    refreshSkewMs: 60_000,
    leaseMs: 30_000,
    waitForRefreshMs: 5_000,
  }
  const sync: SyncDeps = {
    leases: new DynamoSyncLeases(db, config.tableName),
    tools,
    connector,
    stdio,
    queue,
    secrets: registryDeps.secrets,
    oauth,
    preparer: async () => (await import('../core/tools/prepare.js')).prepareTool,
    clock,
    log,
    call: { log },
    limits: {
      allowPrivate: config.allowPrivateUrls,
      connectTimeoutMs: config.connectTimeoutMs,
      listTimeoutMs: config.listTimeoutMs,
    },
    leaseMs: 2 * syncQueue.workerTimeoutSeconds * 1000,
    retryDelaySeconds: 5,
    redeliverySeconds: syncQueue.visibilityTimeoutSeconds,
  }
  return {
    config,
    clients,
    log,
    db,
    store,
    apiKeys,
    keys,
    queue,
    clock,
    tools,
    sync,
    stdio,
    run: {
      tools,
      connector,
      stdio,
      secrets: registryDeps.secrets,
      call: { log },
      oauth,
      limits: sync.limits,
      runTimeoutMs: config.runTimeoutMs,
    } satisfies RunDeps,
    oauth,
    children: new DynamoServerChildren(db, config.tableName),
    sweep: { stale: new DynamoStaleSyncs(db, config.tableName), queue, clock, log },
    registry: registryDeps,
    authenticate: authenticator(apiKeys),
    version: config.version,
  }
}

export type Deps = ReturnType<typeof buildDeps<AwsClients>>

let built: Deps | undefined

/**
 * Deps from the process environment, read once. Endpoints come from AWS_ENDPOINT_URL_* in the
 * environment, which the SDK reads by itself.
 */
export const deps = (serviceName = 'hangar'): Deps =>
  (built ??= buildDeps(
    parseConfig(process.env),
    { dynamodb: new DynamoDBClient({}) },
    new Logger({ serviceName }),
  ))
