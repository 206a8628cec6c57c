import type { OAuthDeps } from './deps.js'
import { hashState } from './hash.js'
import { clientInformation, oauthErrorCode, withTokens } from './tokens.js'

export interface CallbackQuery {
  code?: string
  state?: string
  iss?: string
  error?: string
  error_description?: string
}

export interface CallbackAnswer {
  status: 'success' | 'error'
  message: string
  server_url?: string
}

const answer = (message: string): CallbackAnswer => ({ status: 'error', message })
const INVALID = answer('Invalid or expired state parameter')

/**
 * Letta's OAuth callback. `state` is the credential: single-use (the flow moves pending → exchanging
 * once) and valid 15 minutes. Unlike Letta, the code is exchanged here, so the grant exists even
 * when the connect stream that started the flow is gone.
 */
export const handleCallback = async (
  deps: OAuthDeps,
  query: CallbackQuery,
): Promise<CallbackAnswer> => {
  if (!query.state) return answer('Missing state parameter')
  const stateHash = hashState(query.state)
  const ref = await deps.store.findState(stateHash)
  if (!ref) return INVALID
  const { organizationId: org, serverId: srv, sessionId } = ref
  if (!(await deps.store.beginExchange(org, srv, sessionId))) return INVALID
  const flow = await deps.store.getFlow(org, srv, sessionId)
  if (!flow) return INVALID
  const fail = async (message: string) => {
    await deps.store.finishFlow(org, srv, sessionId, stateHash, { status: 'error', error: message })
    deps.log.warn('oauth callback failed', { serverId: srv, sessionId, message })
    return answer(message)
  }
  // RFC 9207, before anything else in the response is believed (mix-up defence).
  const issuerAdvertised = flow.discovery.metadata.authorization_response_iss_parameter_supported
  if (query.iss !== undefined ? query.iss !== flow.discovery.issuer : issuerAdvertised === true)
    return fail('OAuth error: the authorization response did not come from the expected issuer')
  if (query.error)
    return fail(
      `OAuth error: ${query.error}${query.error_description ? ` - ${query.error_description}` : ''}`,
    )
  if (!query.code) return fail('Missing authorization code')
  const { exchangeAuthorization } = await import('@modelcontextprotocol/sdk/client/auth.js')
  const http = deps.http()
  let tokens
  try {
    tokens = await exchangeAuthorization(flow.discovery.authorizationServerUrl, {
      metadata: flow.discovery.metadata as never,
      clientInformation: clientInformation(flow.client),
      authorizationCode: query.code,
      codeVerifier: flow.codeVerifier,
      redirectUri: flow.client.redirectUri,
      resource: flow.discovery.resource ? new URL(flow.discovery.resource) : undefined,
      fetchFn: http.fetch,
    })
  } catch (error) {
    const code = oauthErrorCode(error) ?? (error as Error).name
    return fail(`OAuth callback failed: the token exchange was refused (${code})`)
  } finally {
    await http.close()
  }
  const previous = await deps.store.getGrant(org, srv, flow.principal)
  const grant = withTokens(
    {
      principal: flow.principal,
      status: 'authorized',
      discovery: flow.discovery,
      client: flow.client,
      scope: flow.scope,
      version: (previous?.version ?? 0) + 1,
      consecutiveFailures: 0,
      updatedAt: '',
    },
    tokens,
    Date.now(),
  )
  await deps.store.putGrant(org, srv, grant)
  await deps.store.finishFlow(org, srv, sessionId, stateHash, { status: 'authorized' })
  deps.log.info('oauth authorized', { serverId: srv, sessionId, principal: flow.principal })
  return { status: 'success', message: 'Authorization successful', server_url: flow.serverUrl }
}
