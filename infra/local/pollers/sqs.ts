import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs'
import type {
  SQSBatchResponse,
  SQSEvent,
  SQSMessageAttribute,
  SQSRecord,
  SQSRecordAttributes,
} from 'aws-lambda'

export interface SqsPollerOptions {
  sqs: SQSClient
  queueUrl: string
  /** Looked up with GetQueueAttributes when missing. */
  queueArn?: string
  handler: (event: SQSEvent) => Promise<SQSBatchResponse | void>
  /** At most 10. */
  batchSize?: number
  /** At most 20; short by default so that stop() returns quickly. */
  waitTimeSeconds?: number
  onError?: (error: unknown) => void
}

export interface Poller {
  stop(): Promise<void>
}

const backoffMs = 500

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

const messageAttribute = (value: MessageAttributeValue): SQSMessageAttribute => ({
  ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
  ...(value.BinaryValue !== undefined && { binaryValue: base64(value.BinaryValue) }),
  stringListValues: value.StringListValues ?? [],
  binaryListValues: (value.BinaryListValues ?? []).map(base64),
  dataType: value.DataType ?? 'String',
})

const recordAttributes = (attributes: Record<string, string> = {}): SQSRecordAttributes => ({
  ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '',
  SentTimestamp: attributes.SentTimestamp ?? '',
  SenderId: attributes.SenderId ?? '',
  ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
  ...attributes,
})

/** Maps a ReceiveMessage result to the record Lambda's SQS event source would deliver. */
export const sqsRecord = (message: Message, queueArn: string): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: recordAttributes(message.Attributes),
  messageAttributes: Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, v]) => [name, messageAttribute(v)]),
  ),
  md5OfBody: message.MD5OfBody ?? '',
  ...(message.MD5OfMessageAttributes && { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: queueArn.split(':')[3] ?? '',
})

/** Ids of the records to delete; none when the response is not a valid partial-batch report. */
const succeeded = (records: SQSRecord[], response: SQSBatchResponse | void) => {
  const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier))
  const known = records.filter((r) => failed.has(r.messageId)).length === failed.size
  return known ? records.filter((r) => !failed.has(r.messageId)) : []
}

/**
 * Stands in for Lambda's SQS event-source mapping: long-polls the queue, invokes `handler` with an
 * `SQSEvent` and deletes every message not reported in `batchItemFailures`. A handler that throws
 * leaves the whole batch for the visibility timeout (and the queue's redrive policy).
 *
 * @example
 * const poller = startSqsPoller({ sqs, queueUrl, handler })
 * await poller.stop()
 */
export const startSqsPoller = (options: SqsPollerOptions): Poller => {
  const { sqs, queueUrl, handler, onError = console.error } = options
  let queueArn = options.queueArn
  let running = true

  const pollOnce = async () => {
    queueArn ??= await lookUpArn(sqs, queueUrl)
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(options.batchSize ?? 10, 10),
        WaitTimeSeconds: Math.min(options.waitTimeSeconds ?? 1, 20),
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    )
    const arn = queueArn
    const records = (received.Messages ?? []).map((message) => sqsRecord(message, arn))
    if (records.length === 0) return
    let done: SQSRecord[] = []
    try {
      done = succeeded(records, await handler({ Records: records }))
    } catch (error) {
      onError(error)
    }
    if (done.length > 0) await deleteAll(sqs, queueUrl, done)
  }

  const loop = (async () => {
    while (running) {
      try {
        await pollOnce()
      } catch (error) {
        onError(error)
        if (running) await new Promise((resolve) => setTimeout(resolve, backoffMs))
      }
    }
  })()

  return {
    stop: async () => {
      running = false
      await loop
    },
  }
}

const lookUpArn = async (sqs: SQSClient, queueUrl: string) => {
  const found = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  )
  const arn = found.Attributes?.QueueArn
  if (!arn) throw new Error(`no QueueArn for ${queueUrl}`)
  return arn
}

const deleteAll = async (sqs: SQSClient, queueUrl: string, records: SQSRecord[]) => {
  const result = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: records.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
    }),
  )
  if (result.Failed?.length) {
    throw new Error(`DeleteMessageBatch failed for ${result.Failed.map((f) => f.Id).join(', ')}`)
  }
}
