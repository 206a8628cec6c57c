import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb'
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  KMSClient,
} from '@aws-sdk/client-kms'
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs'
import { secretsKey, syncQueue, table } from '../resources.js'

/** CreateTable input derived from the shared table shape (also used by the infra drift test). */
export const tableDefinition = (): CreateTableCommandInput => {
  const attributes = new Set<string>([table.partitionKey, table.sortKey])
  for (const index of Object.values(table.indexes)) {
    attributes.add(index.partitionKey)
    attributes.add(index.sortKey)
  }
  return {
    TableName: table.name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: 'HASH' },
      { AttributeName: table.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: Object.entries(table.indexes).map(([name, index]) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }
}

export interface Clients {
  dynamodb: DynamoDBClient
  sqs: SQSClient
  kms: KMSClient
}

export interface Provisioned {
  tableName: string
  streamArn: string
  queueUrl: string
  deadLetterQueueUrl: string
  keyAlias: string
}

const ensureTable = async (dynamodb: DynamoDBClient): Promise<string> => {
  try {
    const found = await dynamodb.send(new DescribeTableCommand({ TableName: table.name }))
    return found.Table?.LatestStreamArn ?? ''
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error
  }
  const created = await dynamodb.send(new CreateTableCommand(tableDefinition()))
  await dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: table.name,
      TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
    }),
  )
  return created.TableDescription?.LatestStreamArn ?? ''
}

const ensureQueues = async (sqs: SQSClient) => {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: syncQueue.deadLetterName }))
  const dlqUrl = dlq.QueueUrl ?? ''
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  )
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: syncQueue.name,
      Attributes: {
        VisibilityTimeout: String(syncQueue.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: attrs.Attributes?.QueueArn,
          maxReceiveCount: syncQueue.maxReceiveCount,
        }),
      },
    }),
  )
  return { queueUrl: queue.QueueUrl ?? '', deadLetterQueueUrl: dlqUrl }
}

const ensureKey = async (kms: KMSClient) => {
  try {
    await kms.send(new DescribeKeyCommand({ KeyId: secretsKey.alias }))
    return
  } catch (error) {
    if ((error as Error).name !== 'NotFoundException') throw error
  }
  const key = await kms.send(new CreateKeyCommand({ Description: 'Hangar secrets (local)' }))
  await kms.send(
    new CreateAliasCommand({ AliasName: secretsKey.alias, TargetKeyId: key.KeyMetadata?.KeyId }),
  )
}

/** Creates (if missing) the table, queues and key alias that infra/ declares for AWS. */
export const provision = async (clients: Clients): Promise<Provisioned> => {
  const [streamArn, queues] = await Promise.all([
    ensureTable(clients.dynamodb),
    ensureQueues(clients.sqs),
    ensureKey(clients.kms),
  ])
  return { tableName: table.name, streamArn, ...queues, keyAlias: secretsKey.alias }
}
