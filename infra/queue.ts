import { deadLetterAlarm } from './alarms'
import { syncQueue as shape } from './resources'
import { stageName } from './stage'

const FOURTEEN_DAYS = 14 * 24 * 60 * 60

export const syncDeadLetters = new sst.aws.Queue('SyncDeadLetters', {
  transform: {
    queue: { name: stageName(shape.deadLetterName), messageRetentionSeconds: FOURTEEN_DAYS },
  },
})

export const syncQueue = new sst.aws.Queue('SyncQueue', {
  visibilityTimeout: `${shape.visibilityTimeoutSeconds} seconds`,
  dlq: { queue: syncDeadLetters.arn, retry: shape.maxReceiveCount },
  transform: { queue: { name: stageName(shape.name) } },
})

export const syncDeadLettersAlarm = deadLetterAlarm('SyncDeadLettersAlarm', syncDeadLetters)
