import type { KMSClient } from '@aws-sdk/client-kms'
import type { SQSClient } from '@aws-sdk/client-sqs'
import type { DataKeys, McpConnector, StdioGateway, SyncQueue } from '../core/ports.js'
import type { Secrets, ServerRecord } from '../core/registry/types.js'
import type { RunnerClientConfig } from '../core/runner/config.js'

// The MCP SDK, undici, the runner client and the KMS and SQS clients are loaded on first use, not
// at cold start: most API requests (reads, lists, deletes) need none of them, and Lambda's init
// time is paid by every new instance.
type Mcp = typeof import('../core/adapters/mcp/index.js')
type Runner = typeof import('../core/adapters/runner/index.js')

let mcp: Mcp | undefined
let runner: Runner | undefined
const loadMcp = async () => (mcp ??= await import('../core/adapters/mcp/index.js'))
const loadRunner = async () => (runner ??= await import('../core/adapters/runner/index.js'))

/** Only reached after a call failed, by which time the module is loaded. */
const unclassified = (error: unknown) => ({
  code: 'other' as const,
  message: error instanceof Error ? error.message : String(error),
})

export const lazyConnector = (): McpConnector => ({
  listTools: async (target, limits) => (await loadMcp()).listTools(target, limits),
  callTool: async (target, name, args, limits) =>
    (await loadMcp()).callTool(target, name, args, limits),
  session: (target, limits) => async (fn) => (await loadMcp()).withClient(target, limits, fn),
  classify: (error) => (mcp ? mcp.classifyError(error) : unclassified(error)),
})

/** `secrets` opens a server's env; it travels to the runner sealed, the runner opens nothing itself. */
export const lazyRunnerGateway = (
  config: RunnerClientConfig,
  limits: { connectTimeoutMs: number; listTimeoutMs: number },
  secrets: (server: ServerRecord) => Promise<Secrets>,
): StdioGateway => {
  let gateway: StdioGateway | undefined
  const load = async () => (gateway ??= (await loadRunner()).runnerGateway(config, limits, secrets))
  return {
    listTools: async (server) => (await load()).listTools(server),
    callTool: async (server, name, args, timeoutMs, extras) =>
      (await load()).callTool(server, name, args, timeoutMs, extras),
    session: (server, timeoutMs) => async (fn) => {
      const loaded = await load()
      if (!loaded.session) throw new Error('this runner gateway cannot open sessions')
      return loaded.session(server, timeoutMs)(fn)
    },
    classify: (error) => (gateway ? gateway.classify(error) : unclassified(error)),
    evict: async (organizationId, serverId) => (await load()).evict(organizationId, serverId),
  }
}

/** Loads on the first call; concurrent first calls share one load. */
const once = <T>(load: () => Promise<T>) => {
  let pending: Promise<T> | undefined
  return () => (pending ??= load())
}

/** KMS data keys through `client`, or a client from the environment built on first use. */
export const lazyDataKeys = (client: KMSClient | undefined, keyId: string): DataKeys => {
  const load = once(async () => {
    const { KmsDataKeys } = await import('../core/adapters/kms/data-keys.js')
    const kms = client ?? new (await import('@aws-sdk/client-kms')).KMSClient({})
    return new KmsDataKeys(kms, keyId)
  })
  return {
    generate: async (context) => (await load()).generate(context),
    unwrap: async (wrapped, context) => (await load()).unwrap(wrapped, context),
  }
}

/** The sync queue through `client`, or a client from the environment built on first use. */
export const lazySyncQueue = (client: SQSClient | undefined, queueUrl: string): SyncQueue => {
  const load = once(async () => {
    const { SqsSyncQueue } = await import('../core/adapters/sqs/sync-queue.js')
    // The queue URL's host is not always an endpoint (fauxqs names hosts after the request).
    const sqs = client ?? new (await import('@aws-sdk/client-sqs')).SQSClient(sqsOptions)
    return new SqsSyncQueue(sqs, queueUrl)
  })
  return { send: async (message, options) => (await load()).send(message, options) }
}

export const sqsOptions = { useQueueUrlAsEndpoint: false }

/**
 * A fetch for OAuth hops (discovery, registration, token, revocation) behind the same SSRF guard as
 * MCP connections; undici loads on the first request.
 */
export const guardedHttp = (config: { allowPrivateUrls: boolean; connectTimeoutMs: number }) => {
  let guarded: Promise<import('../core/adapters/mcp/guarded-fetch.js').GuardedFetch> | undefined
  const load = () =>
    (guarded ??= import('../core/adapters/mcp/guarded-fetch.js').then((m) =>
      m.createGuardedFetch({
        allowPrivate: config.allowPrivateUrls,
        connectTimeoutMs: config.connectTimeoutMs,
        secretHeaders: ['authorization'],
      }),
    ))
  return {
    fetch: (async (input: string | URL, init?: RequestInit) => {
      const response = await (await load()).fetch(input, init)
      // The SDK's OAuth helpers test `instanceof Response` (the global class, not undici's own).
      const empty = [101, 204, 205, 304].includes(response.status)
      return new Response(empty ? null : response.body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      })
    }) as import('@modelcontextprotocol/sdk/shared/transport.js').FetchLike,
    close: async () => {
      if (guarded) await (await guarded).close()
    },
  }
}
