/** An MCP tool as a server lists it (`tools/list`). */
export interface McpTool {
  name: string
  title?: string
  description?: string
  inputSchema?: unknown
  outputSchema?: unknown
  annotations?: unknown
}

/** A `tools/list` entry that cannot be a tool (no string name); `position` counts from 0. */
export interface UnnamedTool {
  name?: undefined
  position: number
  reason: string
}

/** One entry of a `tools/list` result as served: a tool with any `inputSchema`, or why not. */
export type ListedTool = McpTool | UnnamedTool

/** A tool as Hangar stores it: Letta's `Tool` record plus the original MCP definition. */
export interface StoredTool {
  organizationId: string
  serverId: string
  id: string
  name: string
  description: string | null
  tags: string[]
  jsonSchema: Record<string, unknown>
  inputSchema: unknown
  annotations?: unknown
  /** The MCP definition's title and output schema, served as listed on the MCP endpoints. */
  title?: string
  outputSchema?: unknown
  /** The name the organization's MCP endpoint serves the tool under (core/mcp-endpoint/names.ts). */
  servedName?: string
  contentHash: string
  serverName: string
  createdAt: string
  updatedAt: string
}

export interface ToolWrite {
  puts: StoredTool[]
  deletes: string[]
}
