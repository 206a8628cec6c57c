import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { orgPk, serverChildrenPk, toolIdIndexKey, toolKey, TOOL_PREFIX } from '../../keys.js'
import type { Page, ToolStore } from '../../ports.js'
import type { StoredTool, ToolWrite } from '../../tools/types.js'
import { batchWrite } from './batch-write.js'
import { fromToolItem, toolItem } from './tool-item.js'

const ofServer = 'pk = :pk AND begins_with(sk, :prefix)'

/** Tools in their server's partition; found by id through gsi1. */
export class DynamoToolStore implements ToolStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private query(
    organizationId: string,
    serverId: string,
    limit?: number,
    start?: Record<string, string>,
  ) {
    return this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: ofServer,
        ExpressionAttributeValues: {
          ':pk': serverChildrenPk(organizationId, serverId),
          ':prefix': TOOL_PREFIX,
        },
        ConsistentRead: true,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    )
  }

  async listAll(organizationId: string, serverId: string): Promise<StoredTool[]> {
    const tools: StoredTool[] = []
    let start: Record<string, string> | undefined
    do {
      const page = await this.query(organizationId, serverId, undefined, start)
      tools.push(...(page.Items ?? []).map(fromToolItem))
      start = page.LastEvaluatedKey as Record<string, string> | undefined
    } while (start)
    return tools
  }

  async page(
    organizationId: string,
    serverId: string,
    options: { limit: number; after?: string },
  ): Promise<Page<StoredTool>> {
    const after = options.after ? await this.get(organizationId, options.after) : undefined
    const start =
      after?.serverId === serverId ? toolKey(organizationId, serverId, after.name) : undefined
    const found = await this.query(organizationId, serverId, options.limit, start)
    const items = (found.Items ?? []).map(fromToolItem)
    const last = found.LastEvaluatedKey ? items.at(-1)?.id : undefined
    return last ? { items, next: last } : { items }
  }

  async get(organizationId: string, toolId: string): Promise<StoredTool | undefined> {
    const key = toolIdIndexKey(organizationId, toolId)
    const found = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
        ExpressionAttributeValues: { ':pk': orgPk(organizationId), ':sk': key.gsi1sk },
        Limit: 1,
      }),
    )
    const item = found.Items?.[0]
    return item ? fromToolItem(item) : undefined
  }

  async byName(
    organizationId: string,
    serverId: string,
    name: string,
  ): Promise<StoredTool | undefined> {
    const found = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: toolKey(organizationId, serverId, name),
        ConsistentRead: true,
      }),
    )
    return found.Item ? fromToolItem(found.Item) : undefined
  }

  async apply(organizationId: string, serverId: string, write: ToolWrite): Promise<number> {
    return batchWrite(this.db, this.tableName, [
      ...write.puts.map((tool) => ({ PutRequest: { Item: toolItem(tool) } })),
      ...write.deletes.map((name) => ({
        DeleteRequest: { Key: toolKey(organizationId, serverId, name) },
      })),
    ])
  }
}
