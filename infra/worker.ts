import { runnerClientEnvironment, runtime } from './function-defaults'
import { keyUse } from './kms'
import { syncQueue as shape } from './resources'
import { syncQueue } from './queue'
import { vpc } from './sidecar'
import { table } from './table'

export const syncWorker = syncQueue.subscribe(
  {
    ...runtime,
    handler: 'functions/worker/sync.handler',
    // A sync connects (10 s), lists every page (15 s each) and writes the tools; the queue's
    // visibility timeout is six times this.
    timeout: `${shape.workerTimeoutSeconds} seconds`,
    // 1024 MB: normalising and compiling schemas of servers with thousands of tools is CPU-bound.
    memory: '1024 MB',
    vpc,
    link: [table, syncQueue],
    permissions: [keyUse],
    environment: runnerClientEnvironment,
  },
  { batch: { size: shape.batchSize, partialResponses: true } },
)
