import type { McpConnector, StdioGateway } from '../core/ports.js'
import type { RunnerClientConfig } from '../core/runner/config.js'

// The MCP SDK, undici and the runner client are loaded on first use, not at cold start: most API
// requests (CRUD, lists) never talk MCP, and Lambda's init time is paid by every new instance.
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
  classify: (error) => (mcp ? mcp.classifyError(error) : unclassified(error)),
})

export const lazyRunnerGateway = (
  config: RunnerClientConfig,
  limits: { connectTimeoutMs: number; listTimeoutMs: number },
): StdioGateway => {
  let gateway: StdioGateway | undefined
  const load = async () => (gateway ??= (await loadRunner()).runnerGateway(config, limits))
  return {
    listTools: async (server) => (await load()).listTools(server),
    callTool: async (server, name, args, timeoutMs) =>
      (await load()).callTool(server, name, args, timeoutMs),
    classify: (error) => (gateway ? gateway.classify(error) : unclassified(error)),
    evict: async (organizationId, serverId) => (await load()).evict(organizationId, serverId),
  }
}
