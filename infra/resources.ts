/**
 * Names and shapes shared by the SST app (infra/*.ts) and the local stack (infra/local/), so the
 * two cannot drift apart. Plain data only: no SST globals, no SDK.
 */
export const table = {
  name: 'hangar',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'ttl',
  stream: 'new-and-old-images',
  indexes: {
    gsi1: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'all' },
  },
} as const

export const syncQueue = {
  name: 'hangar-sync',
  deadLetterName: 'hangar-sync-dlq',
  maxReceiveCount: 5,
  /** Six times the worker's timeout, as AWS recommends for SQS event sources. */
  visibilityTimeoutSeconds: 6 * 60,
  workerTimeoutSeconds: 60,
  batchSize: 10,
} as const

/** The sweep that re-queues lost syncs (core/tools/sweep.ts): how often, and after how long. */
export const syncSweep = {
  schedule: 'rate(5 minutes)',
  /** Longer than a message waits in the queue and a sync runs, so no live sync is re-queued. */
  graceSeconds: 10 * 60,
} as const

export const secretsKey = {
  alias: 'alias/hangar-secrets',
} as const

/** The stdio runner's port in its container (core/runner/config.ts defaults to it) and health route. */
export const runner = {
  port: 8100,
  healthPath: '/health',
} as const

/**
 * Lambda event filters on the table stream (ORed): only server deletes and modifications reach the
 * cascade handler, the only records core/cascade/changes.ts acts on.
 */
export const serverChangeFilters = [
  { eventName: ['REMOVE'], dynamodb: { OldImage: { type: { S: ['server'] } } } },
  { eventName: ['MODIFY'], dynamodb: { NewImage: { type: { S: ['server'] } } } },
] as const
