import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { InvalidResponseError } from '../mcp/errors.js'
import type { McpTool } from '../mcp/types.js'
import type { RunnerTarget } from './target.js'
import { withRunnerClient, type RunnerConnectOptions } from './with-runner-client.js'

const MAX_TOOLS = 20_000

export interface RunnerListOptions extends RunnerConnectOptions {
  listTimeoutMs: number
  maxTools?: number
}

export interface RunnerCallOptions extends RunnerConnectOptions {
  timeoutMs: number
}

/** Every tool a stdio server offers, through the runner, following `tools/list` cursors. */
export const listToolsViaRunner = (target: RunnerTarget, options: RunnerListOptions) =>
  withRunnerClient(target, options, async (client) => {
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

/** Runs one tool of a stdio server through the runner. Tool failures come back as `isError`. */
export const callToolViaRunner = (
  target: RunnerTarget,
  name: string,
  args: Record<string, unknown>,
  options: RunnerCallOptions,
): Promise<CallToolResult> =>
  withRunnerClient(target, options, async (client) => {
    const request = { timeout: options.timeoutMs, signal: options.signal }
    return (await client.callTool({ name, arguments: args }, undefined, request)) as CallToolResult
  })
