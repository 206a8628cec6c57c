import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { ErrorCode, McpError, PaginatedResultSchema } from '@modelcontextprotocol/sdk/types.js'
import { InvalidResponseError } from './errors.js'
import { readPage } from './read-tool.js'
import type { ListedTool } from './types.js'

const MAX_TOOLS = 20_000

/** A server that refuses a cursor it handed out (a stale cursor) answers wrongly, not transiently. */
const refusedCursor = (error: unknown, cursor: string | undefined) =>
  cursor !== undefined && error instanceof McpError && error.code === ErrorCode.InvalidParams
    ? new InvalidResponseError(`tools/list refused its own cursor (${error.message})`)
    : undefined

/**
 * Every tool a connected server offers, following `tools/list` cursors to the end; a repeated
 * cursor or more than `maxTools` tools is an invalid response, not an endless loop. Each page is
 * checked only for its shape (a `tools` array, a string cursor), never against the SDK's strict
 * `Tool` schema: one tool's odd `inputSchema` must not lose the others.
 */
export const listAllTools = async (
  client: Client,
  options: { listTimeoutMs: number; maxTools?: number; signal?: AbortSignal },
): Promise<ListedTool[]> => {
  const max = options.maxTools ?? MAX_TOOLS
  const request = { timeout: options.listTimeoutMs, signal: options.signal }
  const seen = new Set<string>()
  const tools: ListedTool[] = []
  let cursor: string | undefined
  do {
    const params = cursor === undefined ? {} : { cursor }
    const page = await client
      .request({ method: 'tools/list', params }, PaginatedResultSchema, request)
      .catch((error: unknown) => {
        throw refusedCursor(error, cursor) ?? error
      })
    const entries = readPage(page, tools.length)
    if (!entries) throw new InvalidResponseError("a tools/list result has no 'tools' array")
    tools.push(...entries)
    if (tools.length > max) throw new InvalidResponseError(`Server lists more than ${max} tools`)
    cursor = page.nextCursor
    if (cursor !== undefined && seen.has(cursor)) {
      throw new InvalidResponseError(`tools/list repeated the cursor ${JSON.stringify(cursor)}`)
    }
    if (cursor !== undefined) seen.add(cursor)
  } while (cursor !== undefined)
  return tools
}
