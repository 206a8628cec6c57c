import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { MAX_CALL_BYTES } from './response-budget.js'
import { withClient } from './with-client.js'
import type { CallOptions, McpTarget } from './types.js'

/** Runs one tool on a fresh connection. Tool-level failures come back as `isError: true`. */
export const callTool = (
  target: McpTarget,
  name: string,
  args: Record<string, unknown>,
  options: CallOptions,
): Promise<CallToolResult> =>
  withClient(target, { maxResponseBytes: MAX_CALL_BYTES, ...options }, async (client) => {
    const { timeoutMs: timeout, signal, onProgress: onprogress } = options
    const request = { timeout, signal, ...(onprogress ? { onprogress } : {}) }
    return (await client.callTool({ name, arguments: args }, undefined, request)) as CallToolResult
  })
