import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js'
import { isAppError } from '../errors.js'
import type { ServerRecord } from '../registry/types.js'
import { callUpstream, type RunDeps } from '../tools/run.js'
import type { StoredTool } from '../tools/types.js'
import { servedName } from './names.js'
import { notificationRelay } from './relay.js'
import { rpcFailure } from './rpc-error.js'
import { upstreamError } from './upstream-error.js'

/** Tools per `tools/list` page: most clients read one page, so a page holds a whole toolbox. */
export const PAGE_SIZE = 500

export interface OrganizationDeps {
  run: RunDeps
  servers: { get(organizationId: string, id: string): Promise<ServerRecord> }
  version: string
}

const INSTRUCTIONS =
  'Tools of the MCP servers registered with Hangar for this organization. Each name is ' +
  '<server>__<tool> (shortened with a hash suffix when it would not fit 64 characters).'

const asObjectSchema = (schema: unknown): Tool['inputSchema'] =>
  typeof schema === 'object' && schema !== null && !Array.isArray(schema)
    ? (schema as Tool['inputSchema'])
    : { type: 'object' }

/** A stored tool as the organization endpoint lists it: its served name, else as synced. */
export const servedTool = (tool: StoredTool): Tool => ({
  name: tool.servedName ?? servedName(tool.serverName, tool.name),
  ...(tool.title === undefined ? {} : { title: tool.title }),
  ...(tool.description === null ? {} : { description: tool.description }),
  inputSchema: asObjectSchema(tool.inputSchema),
  ...(tool.outputSchema === undefined
    ? {}
    : { outputSchema: tool.outputSchema as Tool['outputSchema'] }),
  ...(tool.annotations === undefined
    ? {}
    : { annotations: tool.annotations as Tool['annotations'] }),
  _meta: { 'hangar/server': tool.serverName, 'hangar/tool': tool.name },
})

const unknownTool = (name: string) => rpcFailure(ErrorCode.InvalidParams, `Unknown tool: ${name}`)

/**
 * The MCP server of one organization for one request: `tools/list` pages through the stored tools
 * of its servers (or of `serverIds`), `tools/call` resolves a served name by key and runs the tool
 * on its upstream, returning the upstream result as it came.
 */
export const organizationServer = (
  deps: OrganizationDeps,
  organizationId: string,
  serverIds?: string[],
): Server => {
  const server = new Server(
    { name: 'hangar', version: deps.version },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  )
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    const after = request.params?.cursor
    try {
      const page = await deps.run.tools.pageOrganization(organizationId, {
        limit: PAGE_SIZE,
        after,
        serverIds,
      })
      return { tools: page.items.map(servedTool), ...(page.next ? { nextCursor: page.next } : {}) }
    } catch (error) {
      if (isAppError(error)) throw rpcFailure(ErrorCode.InvalidParams, error.message)
      throw error
    }
  })
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args = {} } = request.params
    const tool = await deps.run.tools.findServed(organizationId, name)
    if (!tool || (serverIds && !serverIds.includes(tool.serverId))) throw unknownTool(name)
    const upstream = await deps.servers.get(organizationId, tool.serverId).catch(() => undefined)
    if (!upstream) throw unknownTool(name)
    const notes = notificationRelay((n) => extra.sendNotification(n))
    const onProgress = notes.progress(request.params._meta?.progressToken)
    try {
      const result = await callUpstream(deps.run, upstream, tool.name, args, {
        signal: extra.signal,
        onProgress,
      })
      await notes.flushed()
      return result as CallToolResult
    } catch (error) {
      throw upstreamError(deps.run, upstream, error)
    }
  })
  return server
}
