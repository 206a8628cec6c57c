import { table as shape } from './resources'
import { production, stageName } from './stage'

const indexes = Object.entries(shape.indexes)
const keyFields: string[] = [
  shape.partitionKey,
  shape.sortKey,
  ...indexes.flatMap(([, index]) => [index.partitionKey, index.sortKey]),
]

export const table = new sst.aws.Dynamo('Table', {
  fields: Object.fromEntries(keyFields.map((field) => [field, 'string' as const])),
  primaryIndex: { hashKey: shape.partitionKey, rangeKey: shape.sortKey },
  globalIndexes: Object.fromEntries(
    indexes.map(([name, index]) => [
      name,
      { hashKey: index.partitionKey, rangeKey: index.sortKey, projection: index.projection },
    ]),
  ),
  stream: shape.stream,
  ttl: shape.ttlAttribute,
  deletionProtection: production,
  transform: {
    table: {
      name: stageName(shape.name),
      pointInTimeRecovery: { enabled: production },
    },
  },
})
