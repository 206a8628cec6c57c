import {
  CreateTableCommand,
  DeleteTableCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { randomUUID } from 'node:crypto'

/** Throwaway tables keyed pk/sk with a NEW_AND_OLD_IMAGES stream, so tests never share one. */
export const streamTables = (dynamodb: DynamoDBClient) => {
  const names: string[] = []
  return {
    create: async () => {
      const name = `poller-${randomUUID()}`
      const created = await dynamodb.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      )
      names.push(name)
      return { name, streamArn: created.TableDescription?.LatestStreamArn ?? '' }
    },
    put: (table: string, pk: string) =>
      dynamodb.send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, sk: { S: 'v' } } }),
      ),
    dropAll: () =>
      Promise.all(names.map((name) => dynamodb.send(new DeleteTableCommand({ TableName: name })))),
  }
}
