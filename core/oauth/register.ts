import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { OAuthDeps } from './deps.js'
import { OAuthSetupError } from './errors.js'
import type { Discovery, OAuthClient, OAuthSettings } from './types.js'

/** A confidential client authenticates at the token endpoint the way the server prefers. */
const authMethod = (metadata: Record<string, unknown>) => {
  const supported = metadata.token_endpoint_auth_methods_supported
  if (!Array.isArray(supported)) return 'client_secret_basic'
  return ['client_secret_basic', 'client_secret_post', 'none'].find((m) => supported.includes(m))
}

/**
 * The client to authorize with, in the order the MCP authorization spec gives: a pre-registered one
 * from the server's OAuth settings, then one registered earlier with this issuer, then dynamic
 * registration (RFC 7591). Credentials are bound to the issuer that issued them.
 */
export const clientFor = async (
  deps: Pick<OAuthDeps, 'store'>,
  fetchFn: FetchLike,
  server: { organizationId: string; id: string },
  discovery: Discovery,
  settings: OAuthSettings,
  redirectUri: string,
  scope: string | undefined,
): Promise<OAuthClient> => {
  if (settings.clientId) {
    return {
      issuer: discovery.issuer,
      source: 'preregistered',
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      tokenEndpointAuthMethod: settings.clientSecret ? authMethod(discovery.metadata) : 'none',
      redirectUri,
    }
  }
  const stored = await deps.store.getClient(server.organizationId, server.id, discovery.issuer)
  if (stored && stored.redirectUri === redirectUri) return stored
  if (typeof discovery.metadata.registration_endpoint !== 'string')
    throw new OAuthSetupError(
      'The authorization server does not support dynamic client registration; configure a client_id with PUT /v1/mcp-servers/{id}/oauth',
    )
  const { registerClient } = await import('@modelcontextprotocol/sdk/client/auth.js')
  const registered = await registerClient(discovery.authorizationServerUrl, {
    metadata: discovery.metadata as never,
    clientMetadata: {
      client_name: 'Hangar',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: authMethod(discovery.metadata),
      application_type: 'web',
    } as never,
    scope,
    fetchFn,
  })
  const client: OAuthClient = {
    issuer: discovery.issuer,
    source: 'dcr',
    clientId: registered.client_id,
    clientSecret: registered.client_secret,
    tokenEndpointAuthMethod:
      registered.token_endpoint_auth_method ??
      (registered.client_secret ? 'client_secret_basic' : 'none'),
    redirectUri,
  }
  await deps.store.putClient(server.organizationId, server.id, client)
  return client
}
