import { CreateQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'

/** A queue of the test's own, so messages from other test files never mix in. */
export const privateQueue = async (sqs: SQSClient, label: string) => {
  const name = `${label}-${process.pid}-${Date.now().toString(36)}`
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name }))
  return created.QueueUrl ?? ''
}

export const drainBodies = async (sqs: SQSClient, queueUrl: string): Promise<unknown[]> => {
  const bodies: unknown[] = []
  for (;;) {
    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      }),
    )
    if (!got.Messages?.length) return bodies
    bodies.push(...got.Messages.map((m) => JSON.parse(m.Body ?? 'null')))
  }
}
