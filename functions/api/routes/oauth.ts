import { Hono } from 'hono'
import { AppError } from '../../../core/errors.js'
import { handleCallback } from '../../../core/oauth/callback.js'
import type { OAuthDeps } from '../../../core/oauth/deps.js'
import { revokeGrant } from '../../../core/oauth/revoke.js'
import { parseSettings } from '../../../core/oauth/settings.js'
import { principalOf } from '../../../core/oauth/target-auth.js'
import type { Registry } from '../../../core/registry/service.js'
import { jsonBody } from '../body.js'
import type { Env } from '../env.js'

/**
 * Letta's OAuth callback. No API key: the single-use `state` is the credential. Always 200 JSON,
 * with Letta's messages.
 */
export const oauthCallbackRoute = (oauth: OAuthDeps) => {
  const app = new Hono()
  app.get('/', async (c) => {
    const q = (name: string) => c.req.query(name) || undefined
    const answer = await handleCallback(oauth, {
      code: q('code'),
      state: q('state'),
      iss: q('iss'),
      error: q('error'),
      error_description: q('error_description'),
    }).catch((error: unknown) => {
      oauth.log.warn('oauth callback crashed', { error: (error as Error).name })
      return { status: 'error' as const, message: 'OAuth callback failed: internal error' }
    })
    c.header('Cache-Control', 'no-store')
    return c.json(answer, 200)
  })
  return app
}

/** Hangar-only: a server's OAuth settings and grant, under `/v1/mcp-servers/{id}/oauth`. */
export const serverOAuthRoutes = (registry: Registry, oauth: OAuthDeps) => {
  const app = new Hono<Env>()

  app.put('/:id/oauth', async (c) => {
    const server = await registry.get(c.var.organizationId, c.req.param('id'))
    if (server.type === 'stdio')
      throw new AppError('request.invalid', 'oauth: stdio servers do not use OAuth')
    const settings = parseSettings(await jsonBody(c))
    await oauth.store.putSettings(server.organizationId, server.id, settings)
    return c.body(null, 204)
  })

  app.delete('/:id/oauth', async (c) => {
    const server = await registry.get(c.var.organizationId, c.req.param('id'))
    const principal = principalOf(c.req.header('user_id') ?? c.req.header('user-id'))
    const result = await revokeGrant(oauth, server, principal)
    return c.json(result, 200)
  })

  return app
}
