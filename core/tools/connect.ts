import type { McpConnector, McpLimits, StdioGateway } from '../ports.js'
import type { Secrets, ServerRecord } from '../registry/types.js'
import type { CallContext } from '../templates/context.js'
import { targetFor } from './target.js'

export interface ConnectDeps {
  connector: McpConnector
  stdio?: StdioGateway
  secrets(server: ServerRecord): Promise<Secrets>
  /** The caller's template variables and agent id (core/templates); absent = defaults only. */
  call?: CallContext
  limits: McpLimits
}

/**
 * Letta's connect stream for a stored server: `connection_attempt`, then `success` with the raw
 * tool list or `error` with a message. OAuth events come with the OAuth work.
 */
export async function* connectEvents(deps: ConnectDeps, server: ServerRecord) {
  yield { event: 'connection_attempt', server_name: server.name }
  const stdio = server.type === 'stdio'
  if (stdio && !deps.stdio) {
    yield {
      event: 'error',
      message: 'stdio servers connect through the stdio runner, which is not enabled here',
    }
    return
  }
  try {
    const target = stdio ? undefined : targetFor(server, await deps.secrets(server), deps.call)
    const tools =
      stdio && deps.stdio
        ? await deps.stdio.listTools(server)
        : await deps.connector.listTools(
            target ?? { type: 'streamable_http', url: '', headers: {} },
            deps.limits,
          )
    // Every named tool as served, odd schemas included; an entry with no name cannot be a tool.
    yield { event: 'success', tools: tools.filter((tool) => tool.name !== undefined) }
  } catch (error) {
    const gateway = stdio && deps.stdio ? deps.stdio : deps.connector
    yield { event: 'error', message: `Connection failed: ${gateway.classify(error).message}` }
  }
}
