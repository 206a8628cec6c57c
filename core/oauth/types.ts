/**
 * OAuth 2.1 for upstream MCP servers: what Hangar keeps per server. Secret fields (tokens, client
 * secrets, PKCE verifiers) exist in clear only in memory; the store seals them at rest.
 */

/** Who a grant belongs to: `ORG` (the whole organization) or `USR#<user_id>`. */
export type Principal = string

export type OAuthStatus = 'none' | 'pending' | 'authorized' | 'needs_reauth' | 'error'

/** What discovery found: where to authorize, and the resource the tokens are for. */
export interface Discovery {
  /** The authorization server's issuer, checked against its metadata. */
  issuer: string
  authorizationServerUrl: string
  /** RFC 8414 / OIDC metadata, as fetched. */
  metadata: Record<string, unknown>
  /** RFC 8707 resource indicator sent on authorize and token requests; absent = not sent. */
  resource?: string
}

/** An OAuth client registered with one authorization server (by issuer). */
export interface OAuthClient {
  issuer: string
  source: 'preregistered' | 'dcr'
  clientId: string
  clientSecret?: string
  tokenEndpointAuthMethod?: string
  redirectUri: string
}

/** Per-server OAuth settings (Hangar-only): a pre-registered client and authorize tweaks. */
export interface OAuthSettings {
  clientId?: string
  clientSecret?: string
  scopes?: string[]
  extraAuthorizeParams?: Record<string, string>
  allowMissingPkceMetadata?: boolean
  omitResource?: boolean
}

export interface LastError {
  code: string
  description: string
  at: string
}

/** The tokens one principal holds for one server. */
export interface Grant {
  principal: Principal
  status: 'authorized' | 'needs_reauth'
  discovery: Discovery
  client: OAuthClient
  accessToken: string
  refreshToken?: string
  tokenType: string
  /** Epoch milliseconds; null when the server gave no `expires_in` (valid until a 401). */
  expiresAt: number | null
  scope?: string
  /** Bumped by every write of new tokens; all writes are conditioned on it. */
  version: number
  lastError?: LastError
  consecutiveFailures: number
  updatedAt: string
}

export type FlowStatus = 'pending' | 'exchanging' | 'authorized' | 'error'

/** One authorization attempt, from the authorization URL to the callback. */
export interface Flow {
  sessionId: string
  principal: Principal
  status: FlowStatus
  error?: string
  serverUrl: string
  discovery: Discovery
  client: OAuthClient
  codeVerifier: string
  scope?: string
  createdAt: string
  /** Epoch milliseconds after which the state is no longer accepted. */
  stateExpiresAt: number
}

/** Where a state hash points. */
export interface StateRef {
  organizationId: string
  serverId: string
  sessionId: string
  expiresAt: number
}

export interface GrantSummary {
  status: Grant['status']
  expiresAt: number | null
  scope?: string
  lastError?: LastError
}

/** OAuth items in the server's partition (deleted with it) plus a state index that expires. */
export interface OAuthStore {
  getGrant(org: string, server: string, principal: Principal): Promise<Grant | undefined>
  /** Writes a fresh grant (after a code exchange), replacing any older one. */
  putGrant(org: string, server: string, grant: Grant): Promise<void>
  /** Takes the refresh lease if the grant is still at `version` and nobody holds it. */
  claimRefresh(
    org: string,
    server: string,
    principal: Principal,
    version: number,
    owner: string,
    untilMs: number,
  ): Promise<boolean>
  /** Writes refreshed tokens (version + 1) and drops the lease, if `owner` still holds it. */
  saveRefreshed(org: string, server: string, grant: Grant, owner: string): Promise<boolean>
  /** Marks the grant `needs_reauth` if it is still at `version`; never hides newer tokens. */
  markNeedsReauth(
    org: string,
    server: string,
    principal: Principal,
    version: number,
    error: LastError,
  ): Promise<boolean>
  /** Drops the lease after a transient failure, counting it. */
  releaseRefresh(
    org: string,
    server: string,
    principal: Principal,
    owner: string,
    error: LastError,
  ): Promise<void>
  deleteGrant(org: string, server: string, principal: Principal): Promise<void>
  /** Grant summaries of several servers for one principal (absent = no grant). */
  summaries(
    org: string,
    servers: string[],
    principal: Principal,
  ): Promise<Map<string, GrantSummary>>
  /** Writes a flow and its state index (hash of the state only). */
  putFlow(org: string, server: string, flow: Flow, stateHash: string): Promise<void>
  getFlow(org: string, server: string, sessionId: string): Promise<Flow | undefined>
  /** The flow a state hash points to, unless it expired (TTL deletion is lazy). */
  findState(stateHash: string): Promise<StateRef | undefined>
  /** pending → exchanging, once: false when the flow is gone or not pending (a replay). */
  beginExchange(org: string, server: string, sessionId: string): Promise<boolean>
  finishFlow(
    org: string,
    server: string,
    sessionId: string,
    stateHash: string,
    outcome: { status: 'authorized' } | { status: 'error'; error: string },
  ): Promise<void>
  getClient(org: string, server: string, issuer: string): Promise<OAuthClient | undefined>
  putClient(org: string, server: string, client: OAuthClient): Promise<void>
  deleteClient(org: string, server: string, issuer: string): Promise<void>
  getSettings(org: string, server: string): Promise<OAuthSettings | undefined>
  putSettings(org: string, server: string, settings: OAuthSettings): Promise<void>
}
