import type { McpTarget } from '../ports.js'
import type { OAuthDeps } from './deps.js'
import { discover } from './discover.js'
import { hashState, newSessionId, newState } from './hash.js'
import { clientFor } from './register.js'
import { clientInformation } from './tokens.js'
import type { Principal } from './types.js'

/** How long an authorization URL (its state) is accepted. */
export const STATE_TTL_MS = 15 * 60 * 1000

export interface StartedFlow {
  url: string
  sessionId: string
}

/**
 * Starts one authorization: discovery, a client, PKCE S256, a single-use state (stored hashed) and
 * the authorization URL. Nothing waits here: the callback finishes the flow, wherever it lands.
 */
export const startFlow = async (
  deps: OAuthDeps,
  server: { organizationId: string; id: string },
  target: McpTarget,
  principal: Principal,
  redirectUri: string,
): Promise<StartedFlow> => {
  const http = deps.http()
  try {
    const settings = (await deps.store.getSettings(server.organizationId, server.id)) ?? {}
    const { discovery, scope } = await discover(http.fetch, target, settings, deps.allowPrivate)
    const client = await clientFor(
      deps,
      http.fetch,
      server,
      discovery,
      settings,
      redirectUri,
      scope,
    )
    const { startAuthorization } = await import('@modelcontextprotocol/sdk/client/auth.js')
    const state = newState()
    const { authorizationUrl, codeVerifier } = await startAuthorization(
      discovery.authorizationServerUrl,
      {
        metadata: discovery.metadata as never,
        clientInformation: clientInformation(client),
        redirectUrl: redirectUri,
        scope,
        state,
        resource: discovery.resource ? new URL(discovery.resource) : undefined,
      },
    )
    for (const [key, value] of Object.entries(settings.extraAuthorizeParams ?? {}))
      authorizationUrl.searchParams.set(key, value)
    const sessionId = newSessionId()
    await deps.store.putFlow(
      server.organizationId,
      server.id,
      {
        sessionId,
        principal,
        status: 'pending',
        serverUrl: target.url,
        discovery,
        client,
        codeVerifier,
        scope,
        createdAt: deps.clock.now().toISOString(),
        stateExpiresAt: Date.now() + STATE_TTL_MS,
      },
      hashState(state),
    )
    deps.log.info('oauth flow started', { serverId: server.id, sessionId, principal })
    return { url: authorizationUrl.href, sessionId }
  } finally {
    await http.close()
  }
}
