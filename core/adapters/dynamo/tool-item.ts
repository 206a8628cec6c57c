import { servedNameIndexKey, servedNameKey, toolIdIndexKey, toolKey } from '../../keys.js'
import type { StoredTool } from '../../tools/types.js'

type Item = Record<string, unknown>

export const toolItem = (tool: StoredTool): Item => ({
  ...toolKey(tool.organizationId, tool.serverId, tool.name),
  ...toolIdIndexKey(tool.organizationId, tool.id),
  type: 'tool',
  organization_id: tool.organizationId,
  server_id: tool.serverId,
  server_name: tool.serverName,
  id: tool.id,
  name: tool.name,
  description: tool.description,
  tags: tool.tags,
  // Schemas are kept as JSON text: DynamoDB maps nest at most 32 deep and drop some JSON values.
  json_schema: JSON.stringify(tool.jsonSchema),
  input_schema: JSON.stringify(tool.inputSchema ?? null),
  annotations: tool.annotations === undefined ? undefined : JSON.stringify(tool.annotations),
  title: tool.title,
  output_schema: tool.outputSchema === undefined ? undefined : JSON.stringify(tool.outputSchema),
  served_name: tool.servedName,
  content_hash: tool.contentHash,
  created_at: tool.createdAt,
  updated_at: tool.updatedAt,
})

export const fromToolItem = (item: Item): StoredTool => ({
  organizationId: item.organization_id as string,
  serverId: item.server_id as string,
  serverName: item.server_name as string,
  id: item.id as string,
  name: item.name as string,
  description: (item.description as string | null) ?? null,
  tags: (item.tags as string[]) ?? [],
  jsonSchema: JSON.parse(item.json_schema as string) as Record<string, unknown>,
  inputSchema: JSON.parse((item.input_schema as string) ?? 'null'),
  annotations: typeof item.annotations === 'string' ? JSON.parse(item.annotations) : undefined,
  title: typeof item.title === 'string' ? item.title : undefined,
  outputSchema: typeof item.output_schema === 'string' ? JSON.parse(item.output_schema) : undefined,
  servedName: typeof item.served_name === 'string' ? item.served_name : undefined,
  contentHash: item.content_hash as string,
  createdAt: item.created_at as string,
  updatedAt: item.updated_at as string,
})

/** The pointer from a tool's served name to the tool (the MCP endpoint's `tools/call` lookup). */
export const servedNameItem = (tool: StoredTool & { servedName: string }): Item => ({
  ...servedNameKey(tool.organizationId, tool.serverId, tool.name),
  ...servedNameIndexKey(tool.organizationId, tool.servedName),
  type: 'served_name',
  organization_id: tool.organizationId,
  server_id: tool.serverId,
  name: tool.name,
  served_name: tool.servedName,
})
