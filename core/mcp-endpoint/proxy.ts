import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
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
  let current: Extra | undefined
  if (capabilities.logging) {
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      void current?.sendNotification(notification).catch(() => undefined)
    })
  }
  const forwarding =
    (schema: Parameters<Client['request']>[1]): Forward =>
    async (request, extra) => {
      current = extra
      const token = (request.params?._meta as { progressToken?: unknown } | undefined)
        ?.progressToken
      const onprogress =
        token === undefined
          ? undefined
          : (progress: { progress: number; total?: number; message?: string }) =>
              void extra
                .sendNotification({
                  method: 'notifications/progress',
                  params: { ...progress, progressToken: token as string | number },
                })
                .catch(() => undefined)
      try {
        return (await client.request({ method: request.method, params: request.params }, schema, {
          timeout: options.timeoutMs,
          signal: extra.signal,
          ...(onprogress ? { onprogress } : {}),
        })) as never
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
