import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'
import type { SyncMessage, SyncQueue } from '../../ports.js'

export class SqsSyncQueue implements SyncQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: SyncMessage, options: { delaySeconds?: number } = {}): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        DelaySeconds: options.delaySeconds,
        MessageAttributes: {
          organization_id: { DataType: 'String', StringValue: message.organization_id },
          server_id: { DataType: 'String', StringValue: message.server_id },
        },
      }),
    )
  }
}
