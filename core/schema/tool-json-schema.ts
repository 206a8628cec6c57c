import type { Health, SchemaStatus } from './health.js'
import type { JsonObject } from './json.js'
import { hasHealth, listTimeHealth } from './list-time.js'
import { normalizeSchema } from './normalize.js'

export type ToolDefinition = { name: string; description?: string | null; inputSchema?: unknown }

/** Letta's `tools.json_schema` for an MCP tool (spec §2.3, §3.3). */
export type ToolJsonSchema = {
  name: string
  description: string | null
  parameters: JsonObject
  'mcp:SCHEMA_STATUS'?: SchemaStatus
  'mcp:SCHEMA_WARNINGS'?: string[]
}

/** `listed` is the list-time verdict that decides rejection; null for an empty input schema. */
export type ToolSchemaRecord = {
  jsonSchema: ToolJsonSchema
  listed: Health | null
  warnings: string[]
}

export const toolJsonSchema = (tool: ToolDefinition): ToolSchemaRecord => {
  const listed = listTimeHealth(tool.inputSchema)
  const stored = normalizeSchema(tool.inputSchema ?? {})
  const base = { name: tool.name, description: tool.description ?? null, parameters: stored.schema }
  const jsonSchema: ToolJsonSchema = hasHealth(tool.inputSchema)
    ? { ...base, 'mcp:SCHEMA_STATUS': stored.status, 'mcp:SCHEMA_WARNINGS': stored.reasons }
    : base
  return { jsonSchema, listed, warnings: stored.warnings }
}
