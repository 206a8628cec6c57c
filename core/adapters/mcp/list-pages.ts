import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InvalidResponseError } from './errors.js'
import type { McpTool } from './types.js'

const MAX_TOOLS = 20_000

/**
 * Every tool a connected server offers, following `tools/list` cursors to the end; a repeated
 * cursor or more than `maxTools` tools is an invalid response, not an endless loop.
 */
export const listAllTools = async (
  client: Client,
  options: { listTimeoutMs: number; maxTools?: number; signal?: AbortSignal },
): Promise<McpTool[]> => {
  const max = options.maxTools ?? MAX_TOOLS
  const request = { timeout: options.listTimeoutMs, signal: options.signal }
  const seen = new Set<string>()
  const tools: McpTool[] = []
  let cursor: string | undefined
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, request)
    tools.push(...page.tools)
    if (tools.length > max) throw new InvalidResponseError(`Server lists more than ${max} tools`)
    cursor = page.nextCursor
    if (cursor !== undefined && seen.has(cursor)) {
      throw new InvalidResponseError(`tools/list repeated the cursor ${JSON.stringify(cursor)}`)
    }
    if (cursor !== undefined) seen.add(cursor)
  } while (cursor !== undefined)
  return tools
}
