import type { McpTarget } from '../ports.js'
import type { OAuthDeps } from './deps.js'
import { OAuthSetupError } from './errors.js'
import { startFlow } from './start.js'
import type { Principal } from './types.js'

export interface InteractiveOAuth {
  deps: OAuthDeps
  principal: Principal
  /** Hangar's public callback, `<api>/v1/tools/mcp/oauth/callback`. */
  redirectUri: string
  /** How long to wait for the callback (Letta: 300 s) and how often to look. */
  waitMs: number
  pollMs: number
  signal?: AbortSignal
}

type Event = Record<string, unknown> & { event: string }

const safe = (error: unknown) =>
  error instanceof OAuthSetupError || (error as { errorCode?: unknown })?.errorCode
    ? (error as Error).message
    : error instanceof Error
      ? error.name === 'Error'
        ? error.message
        : `${error.name}: ${error.message}`
      : String(error)

/**
 * Letta's OAuth events after a 401: `oauth_required`, `authorization_url`, `waiting_for_auth`, then
 * `authorized` (internal: the caller connects and ends with `success`) or a final `error`.
 */
export async function* authorizationEvents(
  oauth: InteractiveOAuth,
  server: { organizationId: string; id: string },
  target: McpTarget,
): AsyncGenerator<Event> {
  yield { event: 'oauth_required', message: 'OAuth authentication required' }
  let started
  try {
    started = await startFlow(oauth.deps, server, target, oauth.principal, oauth.redirectUri)
  } catch (error) {
    yield { event: 'error', message: `Failed to trigger OAuth: ${safe(error).slice(0, 500)}` }
    return
  }
  yield { event: 'authorization_url', url: started.url, session_id: started.sessionId }
  yield { event: 'waiting_for_auth', message: 'Waiting for user authorization...' }
  const deadline = Date.now() + oauth.waitMs
  while (Date.now() < deadline) {
    if (oauth.signal?.aborted) return
    await new Promise((r) => setTimeout(r, oauth.pollMs))
    const flow = await oauth.deps.store.getFlow(server.organizationId, server.id, started.sessionId)
    if (flow?.status === 'authorized') {
      yield { event: 'authorized' }
      return
    }
    if (!flow || flow.status === 'error') {
      yield { event: 'error', message: 'OAuth authorization failed' }
      return
    }
  }
  yield {
    event: 'error',
    message: `Timeout waiting for OAuth callback after ${Math.round(oauth.waitMs / 1000)} seconds`,
  }
}
