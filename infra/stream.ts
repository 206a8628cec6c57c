import { deadLetterAlarm } from './alarms'
import { environment, runtime } from './function-defaults'
import { serverChangeFilters } from './resources'
import { table } from './table'

/** Where the stream's event source mapping records a batch it gave up on. */
export const streamFailures = new sst.aws.Queue('StreamFailures')

export const changes = table.subscribe(
  'Changes',
  {
    ...runtime,
    handler: 'functions/stream/changes.handler',
    // 30 s: a cascade deletes a server's tools in BatchWriteItem calls of 25 (1,000 tools: ~40 calls).
    timeout: '30 seconds',
    // 256 MB: DynamoDB I/O only, no crypto or schema work.
    memory: '256 MB',
    link: [table, streamFailures],
    environment,
  },
  {
    filters: [...serverChangeFilters],
    // SST 4.17.1's Dynamo subscriber has no partial-response option, so set it on the mapping.
    transform: {
      eventSourceMapping: {
        functionResponseTypes: ['ReportBatchItemFailures'],
        // Bounded retries keep one poison record from blocking its shard for the stream's 24 h.
        maximumRetryAttempts: 10,
        destinationConfig: { onFailure: { destinationArn: streamFailures.arn } },
      },
    },
  },
)

export const streamFailuresAlarm = deadLetterAlarm('StreamFailuresAlarm', streamFailures)
