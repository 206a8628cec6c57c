import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js'
import type { Grant, OAuthClient } from './types.js'

/** The SDK's client-information shape for a stored client. */
export const clientInformation = (client: OAuthClient) => ({
  client_id: client.clientId,
  ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
  ...(client.tokenEndpointAuthMethod
    ? { token_endpoint_auth_method: client.tokenEndpointAuthMethod }
    : {}),
  redirect_uris: [client.redirectUri],
})

/** Token-endpoint errors after which only a new consent helps. */
export const REAUTH_ERRORS = ['invalid_grant', 'invalid_client', 'unauthorized_client']

export const oauthErrorCode = (error: unknown): string | undefined => {
  const code = (error as { errorCode?: unknown } | undefined)?.errorCode
  return typeof code === 'string' ? code : undefined
}

/** A grant with a token response applied; a missing refresh token keeps the old one. */
export const withTokens = (
  grant: Omit<Grant, 'accessToken' | 'tokenType' | 'expiresAt'> & Partial<Grant>,
  tokens: OAuthTokens,
  nowMs: number,
): Grant => ({
  ...grant,
  status: 'authorized',
  accessToken: tokens.access_token,
  refreshToken: tokens.refresh_token ?? grant.refreshToken,
  tokenType: tokens.token_type,
  expiresAt: typeof tokens.expires_in === 'number' ? nowMs + tokens.expires_in * 1000 : null,
  scope: tokens.scope ?? grant.scope,
  lastError: undefined,
  consecutiveFailures: 0,
  updatedAt: new Date(nowMs).toISOString(),
})

/** Every token-bearing request says Bearer, whatever case the server wrote `token_type` in. */
export const bearer = (grant: Grant) => `Bearer ${grant.accessToken}`
