import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb'
import { AppError } from '../../errors.js'
import { nameClaimKey, orgPk, serverKey, SERVER_PREFIX } from '../../keys.js'
import type { Page, ServerStore } from '../../ports.js'
import type { ServerRecord } from '../../registry/types.js'
import { fromServerItem, nameClaimItem, serverItem } from './server-item.js'
import { updateServerParams } from './update-params.js'

const isNew = 'attribute_not_exists(pk)'
const exists = 'attribute_exists(pk)'
const claimedBy = 'server_id = :id'

const cancelled = (error: unknown): string[] | undefined =>
  error instanceof TransactionCanceledException
    ? (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None')
    : undefined

const nameTaken = (name: string) =>
  new AppError('server.nameTaken', `An MCP server named "${name}" already exists`)

/** Servers and their name claims in DynamoDB, one organization per partition. */
export class DynamoServerStore implements ServerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(server: ServerRecord): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: serverItem(server),
                ConditionExpression: isNew,
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: nameClaimItem(server),
                ConditionExpression: isNew,
              },
            },
          ],
        }),
      )
    } catch (error) {
      if (cancelled(error)?.[1] === 'ConditionalCheckFailed') throw nameTaken(server.name)
      throw error
    }
  }

  async get(organizationId: string, id: string): Promise<ServerRecord | undefined> {
    const found = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: serverKey(organizationId, id),
        ConsistentRead: true,
      }),
    )
    return found.Item ? fromServerItem(found.Item) : undefined
  }

  async findByName(organizationId: string, name: string): Promise<ServerRecord | undefined> {
    const claim = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: nameClaimKey(organizationId, name),
        ConsistentRead: true,
      }),
    )
    const id = claim.Item?.server_id as string | undefined
    const server = id ? await this.get(organizationId, id) : undefined
    // A rename between the two reads: the claim no longer names this server.
    return server?.name === name ? server : undefined
  }

  async list(
    organizationId: string,
    options: { limit: number; after?: string },
  ): Promise<Page<ServerRecord>> {
    const found = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': orgPk(organizationId), ':prefix': SERVER_PREFIX },
        Limit: options.limit,
        ExclusiveStartKey: options.after ? serverKey(organizationId, options.after) : undefined,
      }),
    )
    const items = (found.Items ?? []).map(fromServerItem)
    const last = found.LastEvaluatedKey ? items.at(-1)?.id : undefined
    return last ? { items, next: last } : { items }
  }

  async update(server: ServerRecord, previous: ServerRecord): Promise<void> {
    const renamed = server.name !== previous.name
    const items = [{ Update: updateServerParams(this.tableName, server, previous) }]
    if (renamed) {
      items.push(
        {
          Delete: {
            TableName: this.tableName,
            Key: nameClaimKey(previous.organizationId, previous.name),
            ConditionExpression: claimedBy,
            ExpressionAttributeValues: { ':id': previous.id },
          },
        } as never,
        {
          Put: {
            TableName: this.tableName,
            Item: nameClaimItem(server),
            ConditionExpression: isNew,
          },
        } as never,
      )
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }))
    } catch (error) {
      const reasons = cancelled(error)
      if (reasons?.[2] === 'ConditionalCheckFailed') throw nameTaken(server.name)
      if (reasons?.some((r) => r === 'ConditionalCheckFailed')) {
        throw new AppError('server.conflict', `MCP server ${server.id} changed meanwhile; retry`)
      }
      throw error
    }
  }

  async delete(organizationId: string, id: string): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const server = await this.get(organizationId, id)
      if (!server) return false
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: this.tableName,
                  Key: serverKey(organizationId, id),
                  ConditionExpression: `${exists} AND server_name = :name`,
                  ExpressionAttributeValues: { ':name': server.name },
                },
              },
              {
                Delete: {
                  TableName: this.tableName,
                  Key: nameClaimKey(organizationId, server.name),
                },
              },
            ],
          }),
        )
        return true
      } catch (error) {
        // Renamed or deleted between the read and the write: read again.
        if (!cancelled(error)) throw error
      }
    }
    throw new AppError('server.conflict', `MCP server ${id} keeps changing; retry the delete`)
  }
}
