import type { StoredTool } from './types.js'

export const FUNCTION_RETURN_CHAR_LIMIT = 50_000

/** Letta's `Tool` object for an MCP tool. */
export const toolView = (tool: StoredTool) => ({
  id: tool.id,
  name: tool.name,
  description: tool.description,
  tool_type: 'external_mcp' as const,
  tags: tool.tags,
  json_schema: tool.jsonSchema,
  args_json_schema: null,
  source_type: 'python',
  source_code: null,
  metadata_: { mcp: { server_name: tool.serverName, server_id: tool.serverId } },
  return_char_limit: FUNCTION_RETURN_CHAR_LIMIT,
  pip_requirements: null,
  npm_requirements: null,
  default_requires_approval: null,
  enable_parallel_execution: false,
  created_by_id: null,
  last_updated_by_id: null,
  project_id: null,
})
