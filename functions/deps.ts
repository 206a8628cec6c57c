import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { KMSClient } from '@aws-sdk/client-kms'
import { SQSClient } from '@aws-sdk/client-sqs'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { Logger } from '@aws-lambda-powertools/logger'
import { DynamoApiKeyStore } from '../core/adapters/dynamo/api-key-store.js'
import { DynamoServerStore } from '../core/adapters/dynamo/server-store.js'
import { KmsDataKeys } from '../core/adapters/kms/data-keys.js'
import { SqsSyncQueue } from '../core/adapters/sqs/sync-queue.js'
import { authenticator } from '../core/auth.js'
import { parseConfig, type Config } from '../core/config.js'
import type { Log } from '../core/ports.js'
import { registry } from '../core/registry/service.js'

export interface AwsClients {
  dynamodb: DynamoDBClient
  sqs: SQSClient
  kms: KMSClient
}

/** Endpoints come from AWS_ENDPOINT_URL_* in the environment, which the SDK reads by itself. */
export const defaultClients = (): AwsClients => ({
  dynamodb: new DynamoDBClient({}),
  sqs: new SQSClient({}),
  kms: new KMSClient({}),
})

export const documentClient = (dynamodb: DynamoDBClient) =>
  DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } })

/** The composition root: adapters wired to core, built once per cold start. */
export const buildDeps = (config: Config, clients: AwsClients, log: Log) => {
  const db = documentClient(clients.dynamodb)
  const store = new DynamoServerStore(db, config.tableName)
  const apiKeys = new DynamoApiKeyStore(db, config.tableName)
  const keys = new KmsDataKeys(clients.kms, config.kmsKeyId)
  const queue = new SqsSyncQueue(clients.sqs, config.syncQueueUrl)
  const clock = { now: () => new Date() }
  return {
    config,
    log,
    db,
    store,
    apiKeys,
    keys,
    queue,
    clock,
    registry: registry({ store, keys, queue, clock, log, allowPrivateUrls: config.allowPrivateUrls }),
    authenticate: authenticator(apiKeys),
    version: config.version,
  }
}

export type Deps = ReturnType<typeof buildDeps>

let built: Deps | undefined

/** Deps from the process environment, read once. */
export const deps = (serviceName = 'hangar'): Deps =>
  (built ??= buildDeps(parseConfig(process.env), defaultClients(), new Logger({ serviceName })))
