import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'

export interface Delivery {
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>
  /** Handler calls for the same first record before the rest of the batch is skipped. */
  maxAttempts: number
  onError: (error: unknown) => void
  /** Records everything up to this sequence number as processed. */
  commit: (sequenceNumber: string) => Promise<void>
  /** Waits before a retry; false means the poller is stopping. */
  pause: () => Promise<boolean>
}

const sequenceOf = (record: DynamoDBRecord | undefined) => record?.dynamodb?.SequenceNumber ?? ''

/** Number of leading records the handler processed; an unknown item identifier counts as none. */
const succeeded = (records: DynamoDBRecord[], response: DynamoDBBatchResponse | void) => {
  const failed = (response?.batchItemFailures ?? []).map((f) =>
    records.findIndex((r) => sequenceOf(r) === f.itemIdentifier),
  )
  return failed.length === 0 ? records.length : Math.max(0, Math.min(...failed))
}

/**
 * Invokes the handler as Lambda does for a stream with ReportBatchItemFailures: a failure retries
 * from the first failed record, a throw retries the whole batch, and after `maxAttempts` calls
 * without progress the remaining records are reported and skipped.
 */
export const deliver = async (delivery: Delivery, records: DynamoDBRecord[]) => {
  let pending = records
  for (let attempts = 1; pending.length > 0; attempts += 1) {
    let done = 0
    try {
      done = succeeded(pending, await delivery.handler({ Records: pending }))
    } catch (error) {
      delivery.onError(error)
    }
    if (done > 0) {
      await delivery.commit(sequenceOf(pending[done - 1]))
      pending = pending.slice(done)
      attempts = 0
    } else if (attempts >= delivery.maxAttempts) {
      const range = `${sequenceOf(pending[0])}..${sequenceOf(pending.at(-1))}`
      delivery.onError(new Error(`skipped stream records ${range} after ${attempts} attempts`))
      return delivery.commit(sequenceOf(pending.at(-1)))
    }
    if (pending.length > 0 && !(await delivery.pause())) return
  }
}
