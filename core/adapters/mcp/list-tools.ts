import { InvalidResponseError } from './errors.js'
import { withClient } from './with-client.js'
import type { ListOptions, McpTarget, McpTool } from './types.js'

const MAX_TOOLS = 20_000

/** Every tool the server offers, following `tools/list` cursors to the end. */
export const listTools = (target: McpTarget, options: ListOptions): Promise<McpTool[]> =>
  withClient(target, options, async (client) => {
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
  })
