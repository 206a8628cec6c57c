import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { isShortened, readPlain, servedName } from '../../mcp-endpoint/names.js'
import {
  nameClaimKey,
  orgPk,
  serverChildrenPk,
  servedNameIndexKey,
  servedNameKey,
  toolIdIndexKey,
  toolKey,
  TOOL_PREFIX,
} from '../../keys.js'
import { AppError } from '../../errors.js'
import type { Page, ToolStore } from '../../ports.js'
import type { StoredTool, ToolWrite } from '../../tools/types.js'
import { batchWrite } from './batch-write.js'
import { fromToolItem, servedNameItem, toolItem } from './tool-item.js'

type Key = Record<string, string>

const SERVED_ATTRIBUTES = [
  'pk, sk, gsi1pk, gsi1sk, organization_id, server_id, server_name, id, #name, description',
  'tags, input_schema, annotations, title, output_schema, served_name, content_hash',
  'created_at, updated_at',
].join(', ')

/** An organization-wide paging cursor: the last tool's keys, in the caller's organization. */
const cursorOf = (tool: StoredTool) =>
  Buffer.from(JSON.stringify([tool.serverId, tool.name, tool.id])).toString('base64url')

const startAt = (organizationId: string, cursor: string): Key => {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    parsed = undefined
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string'))
    throw new AppError('request.invalid', 'cursor: not a cursor this endpoint returned')
  const [serverId, name, id] = parsed as [string, string, string]
  return { ...toolKey(organizationId, serverId, name), ...toolIdIndexKey(organizationId, id) }
}

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

  /**
   * The organization's tools (of `serverIds` only, when given), in tool-id order through gsi1.
   * A page holds up to `limit` tools; `next` resumes after the last one.
   */
  async pageOrganization(
    organizationId: string,
    options: { limit: number; after?: string; serverIds?: string[] },
  ): Promise<Page<StoredTool>> {
    const items: StoredTool[] = []
    let start = options.after ? startAt(organizationId, options.after) : undefined
    const only = options.serverIds
    do {
      const found = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
          FilterExpression: only ? `server_id IN (${only.map((_, i) => `:s${i}`)})` : undefined,
          ExpressionAttributeValues: {
            ':pk': orgPk(organizationId),
            ':prefix': TOOL_PREFIX,
            ...Object.fromEntries((only ?? []).map((id, i) => [`:s${i}`, id])),
          },
          // Letta's json_schema is the largest attribute and the MCP endpoint never serves it.
          ProjectionExpression: SERVED_ATTRIBUTES,
          ExpressionAttributeNames: { '#name': 'name' },
          Limit: options.limit - items.length,
          ExclusiveStartKey: start,
        }),
      )
      items.push(...(found.Items ?? []).map((item) => fromToolItem({ json_schema: '{}', ...item })))
      start = found.LastEvaluatedKey as Key | undefined
    } while (start && items.length < options.limit)
    const last = items.at(-1)
    return start && last ? { items, next: cursorOf(last) } : { items }
  }

  /** The tool served under `served` in the organization, read back exactly by key. */
  async findServed(organizationId: string, served: string): Promise<StoredTool | undefined> {
    const at = await this.locateServed(organizationId, served)
    if (!at) return undefined
    const found = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: toolKey(organizationId, at.serverId, at.toolName),
      }),
    )
    const tool = found.Item ? fromToolItem(found.Item) : undefined
    const stored = tool && (tool.servedName ?? servedName(tool.serverName, tool.name))
    return stored === served ? tool : undefined
  }

  private async locateServed(organizationId: string, served: string) {
    const plain = readPlain(served)
    if (plain) {
      const claim = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: nameClaimKey(organizationId, plain.serverName),
        }),
      )
      const serverId = claim.Item?.server_id as string | undefined
      return serverId ? { serverId, toolName: plain.toolName } : undefined
    }
    const found = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
        ExpressionAttributeValues: {
          ':pk': orgPk(organizationId),
          ':sk': servedNameIndexKey(organizationId, served).gsi1sk,
        },
      }),
    )
    // Two tools under one shortened name would take a 48-bit hash collision: refuse, never guess.
    const [item, ...more] = found.Items ?? []
    return item && !more.length
      ? { serverId: item.server_id as string, toolName: item.name as string }
      : undefined
  }

  async apply(organizationId: string, serverId: string, write: ToolWrite): Promise<number> {
    // Shortened served names cannot be read back, so they get a pointer item beside the tool.
    const pointed = write.puts.filter(
      (tool): tool is StoredTool & { servedName: string } =>
        tool.servedName !== undefined && isShortened(tool.servedName),
    )
    return batchWrite(this.db, this.tableName, [
      ...write.puts.map((tool) => ({ PutRequest: { Item: toolItem(tool) } })),
      ...pointed.map((tool) => ({ PutRequest: { Item: servedNameItem(tool) } })),
      ...write.deletes.flatMap((name) => [
        { DeleteRequest: { Key: toolKey(organizationId, serverId, name) } },
        { DeleteRequest: { Key: servedNameKey(organizationId, serverId, name) } },
      ]),
    ])
  }
}
