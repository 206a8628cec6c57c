import type { TargetAuth } from '../ports.js'
import type { OAuthDeps } from './deps.js'
import { OAuthReauthRequired, OAuthTransientError } from './errors.js'
import { needsReauth, refreshGrant, type GrantOwner } from './refresh.js'
import { bearer } from './tokens.js'
import type { Grant, Principal } from './types.js'

/** Refresh this long before expiry: 60 s, or half the token's life for short-lived tokens. */
const skewOf = (deps: OAuthDeps, grant: Grant) =>
  Math.min(deps.refreshSkewMs, (grant.expiresAt! - Date.parse(grant.updatedAt)) / 2)

export const ORG_PRINCIPAL: Principal = 'ORG'

/** Letta's `user_id` header names the principal; without it the grant is the organization's. */
export const principalOf = (userId: string | undefined): Principal =>
  userId && userId.trim() ? `USR#${userId.trim()}` : ORG_PRINCIPAL

/**
 * The Authorization header of a server's OAuth grant for `principal` (falling back to the
 * organization's grant), or undefined when the server has no grant at all. Runs, lists and syncs
 * never start an authorization: a grant that cannot be refreshed fails at once with a message that
 * says to reconnect.
 */
export const grantAuth = async (
  deps: OAuthDeps,
  server: GrantOwner,
  principal: Principal = ORG_PRINCIPAL,
): Promise<TargetAuth | undefined> => {
  const load = (p: Principal) => deps.store.getGrant(server.organizationId, server.id, p)
  let grant =
    (await load(principal)) ?? (principal === ORG_PRINCIPAL ? undefined : await load(ORG_PRINCIPAL))
  if (!grant) return undefined
  const usable = (g: Grant | undefined): Grant => {
    if (!g || g.status !== 'authorized') throw new OAuthReauthRequired(server.name, server.id)
    return g
  }
  return {
    header: async () => {
      let g = usable(grant)
      if (g.expiresAt !== null && g.expiresAt - Date.now() < skewOf(deps, g)) {
        g = grant = await refreshGrant(deps, server, g)
      }
      return bearer(g)
    },
    renew: async (rejected) => {
      const current = usable(await load(grant!.principal))
      // Someone refreshed since this request began: use their token.
      grant =
        current.accessToken !== rejected.slice('Bearer '.length)
          ? current
          : await refreshGrant(deps, server, current)
      return bearer(grant)
    },
    reject: async () => {
      const g = usable(grant)
      // A token that ran out while the request was on its way says nothing about the grant.
      if (g.expiresAt !== null && g.expiresAt <= Date.now())
        return new OAuthTransientError('The OAuth token expired during the request; retry')
      return needsReauth(
        deps,
        server,
        g,
        'unauthorized',
        'The MCP server refused a freshly refreshed token',
      )
    },
  }
}
