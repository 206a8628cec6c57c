import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { SSEClientTransport, SseError } from '@modelcontextprotocol/sdk/client/sse.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { checkServerUrl } from '../../net/url.js'
import { withDeadline } from './deadline.js'
import { withSecrets } from './error-secrets.js'
import { BlockedUrlError } from './errors.js'
import { createGuardedFetch, type GuardedFetch } from './guarded-fetch.js'
import { MAX_LIST_BYTES, responseBudget } from './response-budget.js'
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { ConnectOptions, McpTarget } from './types.js'
import { CLIENT_INFO, CLOSE_TIMEOUT_MS, noReconnect } from './client-options.js'
import { isHttp401 } from './classify-error.js'

const transportFor = (target: McpTarget, url: URL, fetch: FetchLike) => {
  const common = {
    fetch,
    requestInit: { headers: target.headers },
    redirectPolicy: 'follow' as const, // the guarded fetch follows and checks redirects itself
  }
  return target.type === 'sse'
    ? new SSEClientTransport(url, common)
    : new StreamableHTTPClientTransport(url, { ...common, reconnectionOptions: noReconnect })
}

// EventSource keeps only the text of a failed fetch; the guarded fetch kept the error itself.
const rootCause = (error: unknown, guarded: GuardedFetch) =>
  error instanceof SseError && error.code === undefined ? (guarded.lastError() ?? error) : error

// The SSE transport hands a message that is not JSON-RPC only to `onerror`, leaving the request
// to time out; this rejects at once instead.
const notJsonRpc = (client: Client) => {
  const garbled = new Promise<never>((_, reject) => {
    client.onerror = (error) => {
      if (error instanceof SyntaxError || error.name === 'ZodError') reject(error)
    }
  })
  garbled.catch(() => undefined)
  return garbled
}

const quietly = (work: Promise<unknown>) =>
  withDeadline(work, CLOSE_TIMEOUT_MS, 'closing the connection').catch(() => undefined)

/** Connects (SSRF-guarded, bounded by `connectTimeoutMs`), runs `fn`, and always disconnects. */
const connectOnce = async <T>(
  target: McpTarget,
  options: ConnectOptions,
  fn: (client: Client) => Promise<T>,
): Promise<T> => {
  const check = checkServerUrl(target.url, { allowPrivate: options.allowPrivate })
  if (!check.ok) throw new BlockedUrlError(check.reason)
  const guarded = createGuardedFetch({ ...options, secretHeaders: Object.keys(target.headers) })
  const budget = responseBudget(guarded.fetch, options.maxResponseBytes ?? MAX_LIST_BYTES)
  const transport = transportFor(target, check.url, budget.fetch)
  const client = new Client(CLIENT_INFO)
  const garbled = notJsonRpc(client)
  try {
    const { connectTimeoutMs: timeout, signal } = options
    await withDeadline(
      Promise.race([client.connect(transport, { timeout, signal }), garbled, budget.overflow]),
      timeout,
      'connecting to the MCP server',
      signal,
    )
    return await Promise.race([fn(client), garbled, budget.overflow])
  } catch (error) {
    throw withSecrets(rootCause(error, guarded), Object.values(target.headers))
  } finally {
    if (transport instanceof StreamableHTTPClientTransport) {
      await quietly(transport.terminateSession())
    }
    await quietly(client.close())
    await quietly(guarded.close())
  }
}

const withHeader = (target: McpTarget, value: string): McpTarget => {
  const headers = Object.fromEntries(
    Object.entries(target.headers).filter(([key]) => key.toLowerCase() !== 'authorization'),
  )
  return { ...target, headers: { ...headers, Authorization: value } }
}

/**
 * `connectOnce`, with an OAuth target's bearer token (it overrides a static Authorization header).
 * A 401 renews the token once and retries; a second 401 marks the grant for reconnection.
 */
export const withClient = async <T>(
  target: McpTarget,
  options: ConnectOptions,
  fn: (client: Client) => Promise<T>,
): Promise<T> => {
  const auth = target.auth
  if (!auth) return connectOnce(target, options, fn)
  const first = await auth.header()
  try {
    return await connectOnce(withHeader(target, first), options, fn)
  } catch (error) {
    if (!isHttp401(error)) throw error
    const renewed = await auth.renew(first)
    try {
      return await connectOnce(withHeader(target, renewed), options, fn)
    } catch (again) {
      if (isHttp401(again)) throw await auth.reject(renewed)
      throw again
    }
  }
}
