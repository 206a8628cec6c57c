import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch'
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda'
import type { Log } from '../../core/ports.js'
import { syncServer, type SyncDeps } from '../../core/tools/sync.js'
import { parseSyncMessage } from '../../core/tools/sync-message.js'
import { syncQueue } from '../../infra/resources.js'

/** The SQS → sync handler, over injected deps (Lambda and the local poller use the same one). */
export const syncHandler = (deps: { sync: SyncDeps; log: Log }) => {
  const processor = new BatchProcessor(EventType.SQS)
  const handleRecord = async (record: SQSRecord) => {
    const message = parseSyncMessage(record.body)
    if (!message) {
      // Permanent: retrying cannot fix the body, so the message is logged and dropped.
      deps.log.error('dropped a malformed sync message', { messageId: record.messageId })
      return
    }
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount) || 1
    const delivery = { receiveCount, maxReceiveCount: syncQueue.maxReceiveCount }
    const outcome = await syncServer(deps.sync, message, delivery)
    deps.log.info('sync message handled', {
      messageId: record.messageId,
      serverId: message.server_id,
      outcome: outcome.outcome,
    })
  }
  return (event: SQSEvent, context?: Context) =>
    processPartialResponse(event, handleRecord, processor, { context })
}
