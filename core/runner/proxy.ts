import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  ListToolsRequestSchema,
  PaginatedResultSchema,
} from '@modelcontextprotocol/sdk/types.js'
import { notificationRelay } from '../mcp-endpoint/relay.js'

const FALLBACK_INFO = { name: 'hangar-stdio', version: '0.1.0' }

/**
 * An MCP server for one HTTP request that answers `tools/list` (cursor by cursor) and `tools/call`
 * by asking the pooled child; each forwarded request is bounded by `timeoutMs` and by the caller.
 * Tool lists pass through as served: the sync judges each tool on its own.
 */
export const proxyServer = (child: Client, options: { timeoutMs: number }): Server => {
  const server = new Server(child.getServerVersion() ?? FALLBACK_INFO, {
    capabilities: { tools: {} },
    instructions: child.getInstructions(),
  })
  const limits = (signal: AbortSignal) => ({ timeout: options.timeoutMs, signal })
  server.setRequestHandler(ListToolsRequestSchema, (request, extra) =>
    child.request(
      { method: request.method, params: request.params },
      // Only the page's shape: one tool's odd inputSchema must not lose the others.
      PaginatedResultSchema,
      limits(extra.signal),
    ),
  )
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    // A caller that asked for progress gets the child's, under its own token, ahead of the result.
    const notes = notificationRelay((n) => extra.sendNotification(n))
    const onprogress = notes.progress(request.params._meta?.progressToken)
    const result = await child.request(
      { method: request.method, params: request.params },
      CallToolResultSchema,
      { ...limits(extra.signal), ...(onprogress ? { onprogress } : {}) },
    )
    await notes.flushed()
    return result
  })
  return server
}
