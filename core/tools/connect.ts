import type { McpConnector, McpLimits } from '../ports.js'
import type { Secrets, ServerRecord } from '../registry/types.js'
import { targetFor } from './target.js'

export interface ConnectDeps {
  connector: McpConnector
  secrets(server: ServerRecord): Promise<Secrets>
  limits: McpLimits
}

/**
 * Letta's connect stream for a stored server: `connection_attempt`, then `success` with the raw
 * tool list or `error` with a message. OAuth events come with the OAuth work.
 */
export async function* connectEvents(deps: ConnectDeps, server: ServerRecord) {
  yield { event: 'connection_attempt', server_name: server.name }
  const target = targetFor(server, await deps.secrets(server))
  if (!target) {
    yield { event: 'error', message: 'stdio servers connect through the stdio runner, which is not enabled here' }
    return
  }
  try {
    const tools = await deps.connector.listTools(target, deps.limits)
    yield { event: 'success', tools }
  } catch (error) {
    yield { event: 'error', message: `Connection failed: ${deps.connector.classify(error).message}` }
  }
}
