import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  ListToolsRequestSchema,
  ListToolsResultSchema,
} from '@modelcontextprotocol/sdk/types.js'

const FALLBACK_INFO = { name: 'hangar-stdio', version: '0.1.0' }

/**
 * An MCP server for one HTTP request that answers `tools/list` (cursor by cursor) and `tools/call`
 * by asking the pooled child; each forwarded request is bounded by `timeoutMs` and by the caller.
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
      ListToolsResultSchema,
      limits(extra.signal),
    ),
  )
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    // A caller that asked for progress gets the child's, under its own token.
    const progressToken = request.params._meta?.progressToken
    const onprogress =
      progressToken === undefined
        ? undefined
        : (progress: { progress: number; total?: number; message?: string }) =>
            void extra
              .sendNotification({
                method: 'notifications/progress',
                params: { ...progress, progressToken },
              })
              .catch(() => undefined)
    return child.request({ method: request.method, params: request.params }, CallToolResultSchema, {
      ...limits(extra.signal),
      ...(onprogress ? { onprogress } : {}),
    })
  })
  return server
}
