import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs'
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda'
import { createHash, randomUUID } from 'node:crypto'
import { afterAll, describe, expect, inject, it, vi } from 'vitest'
import { startSqsPoller, type Poller } from '../../../infra/local/pollers/sqs.js'
import { clientsFor } from '../../support/aws.js'

const { sqs } = clientsFor(inject('endpoints'))
const pollers: Poller[] = []
const md5 = (text: string) => createHash('md5').update(text).digest('hex')

const arnOf = async (client: SQSClient, queueUrl: string) => {
  const found = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  )
  return found.Attributes?.QueueArn ?? ''
}

const createQueues = async () => {
  const name = `poller-${randomUUID()}`
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))
  const dlqUrl = dlq.QueueUrl ?? ''
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: '1',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: await arnOf(sqs, dlqUrl),
          maxReceiveCount: 2,
        }),
      },
    }),
  )
  const queueUrl = queue.QueueUrl ?? ''
  return { name, queueUrl, dlqUrl, queueArn: await arnOf(sqs, queueUrl) }
}

const send = async (queueUrl: string, bodies: string[]) => {
  const sent = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: bodies.map((body, i) => ({
        Id: String(i),
        MessageBody: body,
        MessageAttributes: { kind: { DataType: 'String', StringValue: `kind-${body}` } },
      })),
    }),
  )
  return sent.Successful ?? []
}

const counts = async (queueUrl: string) => {
  const found = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  )
  return found.Attributes
}

const start = (options: Omit<Parameters<typeof startSqsPoller>[0], 'sqs'>) => {
  const poller = startSqsPoller({ sqs, ...options })
  pollers.push(poller)
  return poller
}

afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()))
})

describe('startSqsPoller', () => {
  it('Should deliver Lambda-shaped records and redrive only the failed message', async () => {
    // Prepare
    const { name, queueUrl, dlqUrl, queueArn } = await createQueues()
    const sent = await send(queueUrl, ['one', 'two', 'three'])
    const idOf = (body: string) => sent[['one', 'two', 'three'].indexOf(body)]?.MessageId
    const events: SQSEvent[] = []
    const onError = vi.fn()
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      events.push(event)
      const failed = event.Records.filter((r) => r.body === 'two')
      return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) }
    }

    // Act
    const poller = start({ queueUrl, handler, onError })
    await vi.waitFor(
      async () => {
        const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl }))
        expect(dead.Messages?.map((m) => m.Body)).toEqual(['two'])
      },
      { timeout: 10_000, interval: 250 },
    )
    await poller.stop()

    // Assess
    expect(queueArn).toBe(`arn:aws:sqs:us-east-1:000000000000:${name}`)
    expect(events[0]?.Records.find((r) => r.body === 'one')).toStrictEqual({
      messageId: idOf('one'),
      receiptHandle: expect.any(String),
      body: 'one',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: {
        kind: {
          stringValue: 'kind-one',
          stringListValues: [],
          binaryListValues: [],
          dataType: 'String',
        },
      },
      md5OfBody: md5('one'),
      md5OfMessageAttributes: sent[0]?.MD5OfMessageAttributes,
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'us-east-1',
    })
    const deliveries = events.map((e) =>
      e.Records.map((r) => [r.body, r.attributes.ApproximateReceiveCount]),
    )
    expect(deliveries).toEqual([
      [
        ['one', '1'],
        ['two', '1'],
        ['three', '1'],
      ],
      [['two', '2']],
    ])
    expect(events[1]?.Records[0]?.messageId).toBe(idOf('two'))
    expect(await counts(queueUrl)).toEqual({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    })
    expect(onError).not.toHaveBeenCalled()
  })

  it('Should delete nothing when the handler throws', async () => {
    // Prepare
    const { queueUrl } = await createQueues()
    await send(queueUrl, ['a', 'b'])
    const seen: string[][] = []
    const failure = new Error('boom')
    const onError = vi.fn()
    const handler = async (event: SQSEvent) => {
      seen.push(event.Records.map((r) => `${r.body}:${r.attributes.ApproximateReceiveCount}`))
      if (seen.length === 1) throw failure
    }

    // Act
    const poller = start({ queueUrl, handler, onError })
    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 10_000, interval: 100 })
    await poller.stop()

    // Assess
    expect(seen).toEqual([
      ['a:1', 'b:1'],
      ['a:2', 'b:2'],
    ])
    expect(onError.mock.calls).toEqual([[failure]])
    expect(await counts(queueUrl)).toEqual({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    })
  })

  it('Should report SQS errors and keep polling until stopped', async () => {
    // Prepare
    const onError = vi.fn()
    const handler = vi.fn()
    const queueUrl = `http://127.0.0.1/000000000000/missing-${randomUUID()}`

    // Act
    const poller = start({ queueUrl, handler, onError })
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(2), { timeout: 5_000 })
    await poller.stop()

    // Assess
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ name: 'QueueDoesNotExist' })
    expect(handler).not.toHaveBeenCalled()
  })
})
