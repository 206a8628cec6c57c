import { AppError } from '../errors.js'
import type { ServerRecord } from '../registry/types.js'
import { listTime } from '../schema/list-time.js'
import type { ConnectDeps } from './connect.js'
import { targetFor } from './target.js'
import type { ListedTool, McpTool } from './types.js'

/** Entries with no name cannot be tools (the sync reports them; a live list leaves them out). */
const named = (tools: ListedTool[]): McpTool[] =>
  tools.filter((tool): tool is McpTool => tool.name !== undefined)

const stdioUnsupported = 'stdio servers connect through the stdio runner, which is not enabled here'

/**
 * The tools a server offers right now, as it lists them (nothing is stored). An unreachable or
 * refusing server is a 502 in Letta's `mcp_connection_error` shape, its message free of secrets.
 */
export const listLive = async (deps: ConnectDeps, server: ServerRecord): Promise<McpTool[]> => {
  const gateway = server.type === 'stdio' ? deps.stdio : deps.connector
  if (!gateway) throw new AppError('upstream.failed', stdioUnsupported)
  try {
    if (server.type === 'stdio' && deps.stdio) return named(await deps.stdio.listTools(server))
    const target = targetFor(server, await deps.secrets(server), deps.call)
    if (!target) throw new AppError('upstream.failed', 'the server has no URL')
    return named(await deps.connector.listTools(target, deps.limits))
  } catch (error) {
    if (error instanceof AppError) throw error
    const failure = gateway.classify(error)
    const message =
      failure.code === 'unauthorized'
        ? `Authentication failed: ${failure.message}`
        : failure.message
    throw new AppError('upstream.failed', message, { cause: error })
  }
}

/** Letta's `MCPTool`: the MCP tool with its list-time normalised input schema and `health`. */
export const liveToolView = (tool: McpTool & { _meta?: unknown }) => {
  const { schema, health } = listTime(tool.inputSchema)
  return { ...tool, inputSchema: schema, health }
}
