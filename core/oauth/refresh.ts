import { randomUUID } from 'node:crypto'
import type { OAuthDeps } from './deps.js'
import { OAuthReauthRequired, OAuthTransientError } from './errors.js'
import { clientInformation, oauthErrorCode, REAUTH_ERRORS, withTokens } from './tokens.js'
import type { Grant, LastError } from './types.js'

export interface GrantOwner {
  organizationId: string
  id: string
  name: string
}

const POLL_MS = 250

const lastError = (deps: OAuthDeps, code: string, description: string): LastError => ({
  code,
  description: description.slice(0, 300),
  at: deps.clock.now().toISOString(),
})

/** Marks the grant `needs_reauth` (only if still at its version) and returns the error to throw. */
export const needsReauth = async (
  deps: OAuthDeps,
  server: GrantOwner,
  grant: Grant,
  code: string,
  description: string,
) => {
  const marked = await deps.store.markNeedsReauth(
    server.organizationId,
    server.id,
    grant.principal,
    grant.version,
    lastError(deps, code, description),
  )
  deps.log.warn('oauth grant needs reauthorization', {
    serverId: server.id,
    principal: grant.principal,
    code,
    marked,
  })
  return new OAuthReauthRequired(server.name, server.id)
}

/** Another caller holds the lease: wait for its tokens (a newer version) or its verdict. */
const awaitOther = async (deps: OAuthDeps, server: GrantOwner, grant: Grant): Promise<Grant> => {
  const deadline = Date.now() + deps.waitForRefreshMs
  for (;;) {
    await new Promise((r) => setTimeout(r, POLL_MS))
    const now = await deps.store.getGrant(server.organizationId, server.id, grant.principal)
    if (!now) throw new OAuthReauthRequired(server.name, server.id)
    if (now.status === 'needs_reauth') throw new OAuthReauthRequired(server.name, server.id)
    if (now.version !== grant.version) return now
    if (Date.now() > deadline)
      throw new OAuthTransientError('Another request is refreshing the OAuth token; retry shortly')
  }
}

/**
 * Refreshes a grant under a lease on its item: exactly one caller talks to the token endpoint and
 * the others wait for its result. `invalid_grant` (and a rejected client) mark the grant
 * `needs_reauth`; a 5xx or network failure keeps it as it was and is reported as transient.
 */
export const refreshGrant = async (
  deps: OAuthDeps,
  server: GrantOwner,
  grant: Grant,
): Promise<Grant> => {
  if (!grant.refreshToken) {
    throw await needsReauth(
      deps,
      server,
      grant,
      'no_refresh_token',
      'The token expired and the server issued no refresh token',
    )
  }
  const owner = randomUUID()
  const leased = await deps.store.claimRefresh(
    server.organizationId,
    server.id,
    grant.principal,
    grant.version,
    owner,
    Date.now() + deps.leaseMs,
  )
  if (!leased) return awaitOther(deps, server, grant)
  const { refreshAuthorization } = await import('@modelcontextprotocol/sdk/client/auth.js')
  const http = deps.http()
  let tokens
  try {
    tokens = await refreshAuthorization(grant.discovery.authorizationServerUrl, {
      metadata: grant.discovery.metadata as never,
      clientInformation: clientInformation(grant.client),
      refreshToken: grant.refreshToken,
      resource: grant.discovery.resource ? new URL(grant.discovery.resource) : undefined,
      fetchFn: http.fetch,
    })
  } catch (error) {
    const code = oauthErrorCode(error)
    if (code && REAUTH_ERRORS.includes(code)) {
      if (code !== 'invalid_grant' && grant.client.source === 'dcr') {
        await deps.store.deleteClient(server.organizationId, server.id, grant.client.issuer)
      }
      throw await needsReauth(deps, server, grant, code, (error as Error).message)
    }
    const description = code ? `${code}: ${(error as Error).message}` : (error as Error).name
    await deps.store.releaseRefresh(
      server.organizationId,
      server.id,
      grant.principal,
      owner,
      lastError(deps, code ?? 'unavailable', description),
    )
    deps.log.warn('oauth refresh failed; grant kept', { serverId: server.id, code })
    throw new OAuthTransientError(
      'The authorization server could not refresh the token right now; retry shortly',
      { cause: error },
    )
  } finally {
    await http.close()
  }
  const next = { ...withTokens(grant, tokens, Date.now()), version: grant.version + 1 }
  const saved = await deps.store.saveRefreshed(server.organizationId, server.id, next, owner)
  deps.log.info('oauth token refreshed', {
    serverId: server.id,
    principal: grant.principal,
    version: next.version,
    saved,
  })
  if (saved) return next
  // The lease lapsed and someone else moved on: theirs is the grant of record.
  const current = await deps.store.getGrant(server.organizationId, server.id, grant.principal)
  if (!current || current.status !== 'authorized')
    throw new OAuthReauthRequired(server.name, server.id)
  return current
}
