import type { OAuthDeps } from './deps.js'
import { clientInformation } from './tokens.js'
import type { Grant, Principal } from './types.js'

/** RFC 7009 revocation of one token, best effort; true when the server accepted it. */
const revokeOne = async (deps: OAuthDeps, grant: Grant, token: string, hint: string) => {
  const endpoint = grant.discovery.metadata.revocation_endpoint
  if (typeof endpoint !== 'string') return false
  const client = clientInformation(grant.client)
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  const body = new URLSearchParams({ token, token_type_hint: hint, client_id: client.client_id })
  if (client.client_secret) {
    if (grant.client.tokenEndpointAuthMethod === 'client_secret_basic') {
      body.delete('client_id')
      const pair = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`
    } else body.set('client_secret', client.client_secret)
  }
  const http = deps.http()
  try {
    const res = await http.fetch(endpoint, { method: 'POST', headers, body: body.toString() })
    await res.body?.cancel().catch(() => undefined)
    return res.ok
  } catch {
    return false
  } finally {
    await http.close()
  }
}

/**
 * Revokes the grant at the authorization server when it offers revocation (refresh token first, as
 * that ends the whole grant at most servers) and forgets it whatever the server answers.
 */
export const revokeGrant = async (
  deps: OAuthDeps,
  server: { organizationId: string; id: string },
  principal: Principal,
) => {
  const grant = await deps.store.getGrant(server.organizationId, server.id, principal)
  if (!grant) return { revoked: false, forgotten: false }
  const revoked = grant.refreshToken
    ? await revokeOne(deps, grant, grant.refreshToken, 'refresh_token')
    : await revokeOne(deps, grant, grant.accessToken, 'access_token')
  await deps.store.deleteGrant(server.organizationId, server.id, principal)
  deps.log.info('oauth grant forgotten', { serverId: server.id, principal, revoked })
  return { revoked, forgotten: true }
}
