import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { withDeadline } from '../mcp/deadline.js'
import { MAX_LIST_BYTES, responseBudget } from '../mcp/response-budget.js'
import type { RunnerTarget } from './target.js'
import { CLIENT_INFO, CLOSE_TIMEOUT_MS, noReconnect } from '../mcp/client-options.js'

export interface RunnerConnectOptions {
  connectTimeoutMs: number
  /** Added to `connectTimeoutMs` for the connect: the runner may have to start the child first. */
  startTimeoutMs?: number
  signal?: AbortSignal
  /** Bytes the whole connection may receive (default: the listing budget). */
  maxResponseBytes?: number
}

/** Connects to a stdio server through the runner, runs `fn`, and always disconnects. */
export const withRunnerClient = async <T>(
  target: RunnerTarget,
  options: RunnerConnectOptions,
  fn: (client: Client) => Promise<T>,
): Promise<T> => {
  const budget = responseBudget(target.fetch, options.maxResponseBytes ?? MAX_LIST_BYTES)
  const transport = new StreamableHTTPClientTransport(new URL(target.url), {
    fetch: budget.fetch,
    reconnectionOptions: noReconnect,
  })
  const client = new Client(CLIENT_INFO)
  try {
    const { connectTimeoutMs, startTimeoutMs = 0, signal } = options
    const timeout = connectTimeoutMs + startTimeoutMs
    await withDeadline(
      Promise.race([client.connect(transport, { timeout, signal }), budget.overflow]),
      timeout,
      'starting the stdio server or connecting to it through the runner',
      signal,
    )
    return await Promise.race([fn(client), budget.overflow])
  } finally {
    await withDeadline(client.close(), CLOSE_TIMEOUT_MS, 'closing').catch(() => undefined)
  }
}
