import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { notificationRelay } from './relay.js'
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js'
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  CompleteRequestSchema,
  CompleteResultSchema,
  EmptyResultSchema,
  GetPromptRequestSchema,
  GetPromptResultSchema,
  ListPromptsRequestSchema,
  ListPromptsResultSchema,
  ListResourcesRequestSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesRequestSchema,
  ListResourceTemplatesResultSchema,
  ListToolsRequestSchema,
  ListToolsResultSchema,
  LoggingMessageNotificationSchema,
  ReadResourceRequestSchema,
  ReadResourceResultSchema,
  SetLevelRequestSchema,
  type ServerCapabilities,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js'

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>
type Forward = (
  request: { method: string; params?: Record<string, unknown> },
  extra: Extra,
) => Promise<never>

const FALLBACK_INFO = { name: 'hangar-proxy', version: '0.1.0' }

/**
 * What a stateless proxy can offer of the upstream's capabilities: everything it answers to a
 * request, nothing that needs a standing connection (subscriptions, list-changed notifications).
 */
const statelessCapabilities = (upstream: ServerCapabilities = {}): ServerCapabilities => ({
  ...(upstream.tools ? { tools: {} } : {}),
  ...(upstream.resources ? { resources: {} } : {}),
  ...(upstream.prompts ? { prompts: {} } : {}),
  ...(upstream.completions ? { completions: {} } : {}),
  ...(upstream.logging ? { logging: {} } : {}),
})

/**
 * An MCP server for one HTTP request in front of one connected upstream `client`: it offers what
 * the upstream offers (names, results and errors as the upstream gives them) and forwards each
 * request, with the caller's progress token and cancellation, bounded by `timeoutMs`.
 */
export const upstreamProxy = (
  client: Client,
  options: { timeoutMs: number; onError(error: unknown): Error },
): Server => {
  const capabilities = statelessCapabilities(client.getServerCapabilities())
  const server = new Server(client.getServerVersion() ?? FALLBACK_INFO, {
    capabilities,
    instructions: client.getInstructions(),
  })
  // Log messages and progress go out in the order they came, ahead of the result they precede.
  let notes = notificationRelay(async () => {})
  if (capabilities.logging) {
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => notes.relay(n))
  }
  const forwarding =
    (schema: Parameters<Client['request']>[1]): Forward =>
    async (request, extra) => {
      notes = notificationRelay((n) => extra.sendNotification(n))
      const token = (request.params?._meta as { progressToken?: string | number } | undefined)
        ?.progressToken
      const onprogress = notes.progress(token)
      try {
        const result = await client.request(
          { method: request.method, params: request.params },
          schema,
          {
            timeout: options.timeoutMs,
            signal: extra.signal,
            ...(onprogress ? { onprogress } : {}),
          },
        )
        await notes.flushed()
        return result as never
      } catch (error) {
        throw options.onError(error)
      }
    }
  if (capabilities.tools) {
    server.setRequestHandler(ListToolsRequestSchema, forwarding(ListToolsResultSchema))
    server.setRequestHandler(CallToolRequestSchema, forwarding(CallToolResultSchema))
  }
  if (capabilities.resources) {
    server.setRequestHandler(ListResourcesRequestSchema, forwarding(ListResourcesResultSchema))
    server.setRequestHandler(
      ListResourceTemplatesRequestSchema,
      forwarding(ListResourceTemplatesResultSchema),
    )
    server.setRequestHandler(ReadResourceRequestSchema, forwarding(ReadResourceResultSchema))
  }
  if (capabilities.prompts) {
    server.setRequestHandler(ListPromptsRequestSchema, forwarding(ListPromptsResultSchema))
    server.setRequestHandler(GetPromptRequestSchema, forwarding(GetPromptResultSchema))
  }
  if (capabilities.completions) {
    server.setRequestHandler(CompleteRequestSchema, forwarding(CompleteResultSchema))
  }
  if (capabilities.logging) {
    server.setRequestHandler(SetLevelRequestSchema, forwarding(EmptyResultSchema))
  }
  return server
}
