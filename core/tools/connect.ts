import type { McpConnector, McpLimits, StdioGateway } from '../ports.js'
import type { InteractiveOAuth } from '../oauth/connect.js'
import type { OAuthDeps } from '../oauth/deps.js'
import type { Secrets, ServerRecord } from '../registry/types.js'
import type { CallContext } from '../templates/context.js'
import type { ListedTool } from './types.js'
import { authorizedTarget } from './target.js'

export interface ConnectDeps {
  connector: McpConnector
  stdio?: StdioGateway
  secrets(server: ServerRecord): Promise<Secrets>
  /** The caller's template variables and agent id (core/templates); absent = defaults only. */
  call?: CallContext
  oauth?: OAuthDeps
  limits: McpLimits
}

/** Every named tool as served; an entry with no name cannot be a tool. */
const named = (tools: ListedTool[]) => tools.filter((tool) => tool.name !== undefined)

/**
 * Letta's connect stream for a stored server: `connection_attempt`, then `success` with the raw
 * tool list or `error` with a message. A 401 from an HTTP server starts OAuth when `interactive`
 * is given: `oauth_required`, `authorization_url`, `waiting_for_auth`, and once the callback has
 * exchanged the code, a connection with the new grant.
 */
export async function* connectEvents(
  deps: ConnectDeps,
  server: ServerRecord,
  interactive?: Omit<InteractiveOAuth, 'deps'>,
) {
  yield { event: 'connection_attempt', server_name: server.name }
  const stdio = server.type === 'stdio'
  if (stdio && !deps.stdio) {
    yield {
      event: 'error',
      message: 'stdio servers connect through the stdio runner, which is not enabled here',
    }
    return
  }
  const gateway = stdio && deps.stdio ? deps.stdio : deps.connector
  const list = async () => {
    if (stdio && deps.stdio) return deps.stdio.listTools(server)
    const target = await authorizedTarget(deps, server, interactive?.principal)
    return deps.connector.listTools(
      target ?? { type: 'streamable_http', url: '', headers: {} },
      deps.limits,
    )
  }
  try {
    yield { event: 'success', tools: named(await list()) }
    return
  } catch (error) {
    const failure = gateway.classify(error)
    if (stdio || !interactive || !deps.oauth || failure.code !== 'unauthorized') {
      yield { event: 'error', message: `Connection failed: ${failure.message}` }
      return
    }
  }
  const { authorizationEvents } = await import('../oauth/connect.js')
  const { targetFor } = await import('./target.js')
  const target = targetFor(server, await deps.secrets(server), deps.call)
  if (!target) return
  for await (const event of authorizationEvents(
    { ...interactive, deps: deps.oauth },
    server,
    target,
  )) {
    if (event.event !== 'authorized') {
      yield event
      continue
    }
    try {
      yield { event: 'success', tools: named(await list()) }
    } catch (error) {
      yield { event: 'error', message: `Connection failed: ${gateway.classify(error).message}` }
    }
  }
}
