import {
  DeleteCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb'
import { isShortened, servedName } from '../../mcp-endpoint/names.js'
import { servedNameKey, serverChildrenPk, TOOL_PREFIX } from '../../keys.js'
import type { ServerChildren } from '../../ports.js'
import { batchWrite } from './batch-write.js'
import { fromToolItem, servedNameItem } from './tool-item.js'

const PAGE = 1000
const PARALLEL = 8

/** The items in a server's own partition (`ORG#<org>#SERVER#<id>`). */
export class DynamoServerChildren implements ServerChildren {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async *pages(
    organizationId: string,
    serverId: string,
    prefix: string,
    projection: string,
  ) {
    let start: Record<string, unknown> | undefined
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: {
            ':pk': serverChildrenPk(organizationId, serverId),
            ...(prefix ? { ':prefix': prefix } : {}),
          },
          ProjectionExpression: projection,
          ExpressionAttributeNames: projection.includes('#name') ? { '#name': 'name' } : undefined,
          Limit: PAGE,
          ExclusiveStartKey: start,
        }),
      )
      yield page.Items ?? []
      start = page.LastEvaluatedKey
    } while (start)
  }

  async deleteAll(organizationId: string, serverId: string): Promise<number> {
    let removed = 0
    let pending: Record<string, unknown>[] = []
    const flush = async (all: boolean) => {
      // Whole batches of 25 only, until the last page: ⌈N/25⌉ requests however pages fall.
      const take = all ? pending.length : pending.length - (pending.length % 25)
      const batch = pending.slice(0, take)
      pending = pending.slice(take)
      await batchWrite(
        this.db,
        this.tableName,
        batch.map((Key) => ({ DeleteRequest: { Key } })),
      )
      removed += batch.length
    }
    for await (const items of this.pages(organizationId, serverId, '', 'pk, sk, state_key')) {
      pending.push(...items.map((item) => ({ pk: item.pk, sk: item.sk })))
      // An OAuth flow's state index lives outside the partition; it goes with the flow.
      pending.push(...items.filter((item) => item.state_key).map((item) => item.state_key))
      await flush(false)
    }
    await flush(true)
    return removed
  }

  async retag(organizationId: string, serverId: string, name: string): Promise<number> {
    let changed = 0
    for await (const items of this.pages(
      organizationId,
      serverId,
      TOOL_PREFIX,
      'pk, sk, server_name, served_name, #name',
    )) {
      const stale = items.filter(
        (item) =>
          item.server_name !== name || item.served_name !== servedName(name, item.name as string),
      )
      for (let i = 0; i < stale.length; i += PARALLEL) {
        await Promise.all(stale.slice(i, i + PARALLEL).map((item) => this.retagOne(item, name)))
      }
      changed += stale.length
    }
    return changed
  }

  private async retagOne(item: Record<string, unknown>, name: string) {
    // The tool's served name follows the server's name (README "Use Hangar from any MCP client").
    const served = servedName(name, item.name as string)
    const updated = await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET server_name = :name, tags = :tags, served_name = :served',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':name': name, ':tags': [`mcp:${name}`], ':served': served },
          ReturnValues: 'ALL_NEW',
        }),
      )
      .catch((error: Error) => {
        // Deleted meanwhile (by a sync or the cascade): nothing to re-tag.
        if (error.name !== 'ConditionalCheckFailedException') throw error
        return undefined
      })
    if (!updated?.Attributes) return
    const tool = fromToolItem(updated.Attributes)
    const pointer = servedNameKey(tool.organizationId, tool.serverId, tool.name)
    if (isShortened(served)) {
      const item = servedNameItem({ ...tool, servedName: served })
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: item }))
    } else {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: pointer }))
    }
  }
}
