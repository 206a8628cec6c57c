import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { listAllTools } from '../mcp/list-pages.js'
import { MAX_CALL_BYTES } from '../mcp/response-budget.js'
import type { RunnerTarget } from './target.js'
import { withRunnerClient, type RunnerConnectOptions } from './with-runner-client.js'

export interface RunnerListOptions extends RunnerConnectOptions {
  listTimeoutMs: number
  maxTools?: number
}

export interface RunnerCallOptions extends RunnerConnectOptions {
  timeoutMs: number
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void
}

/** Every tool a stdio server offers, through the runner, following `tools/list` cursors. */
export const listToolsViaRunner = (target: RunnerTarget, options: RunnerListOptions) =>
  withRunnerClient(target, options, (client) => listAllTools(client, options))

/** Runs one tool of a stdio server through the runner. Tool failures come back as `isError`. */
export const callToolViaRunner = (
  target: RunnerTarget,
  name: string,
  args: Record<string, unknown>,
  options: RunnerCallOptions,
): Promise<CallToolResult> =>
  withRunnerClient(target, { maxResponseBytes: MAX_CALL_BYTES, ...options }, async (client) => {
    const { timeoutMs: timeout, signal, onProgress: onprogress } = options
    const request = { timeout, signal, ...(onprogress ? { onprogress } : {}) }
    return (await client.callTool({ name, arguments: args }, undefined, request)) as CallToolResult
  })
