import { Hono, type Context } from 'hono'
import type { OAuthDeps } from '../../../core/oauth/deps.js'
import { principalOf } from '../../../core/oauth/target-auth.js'
import { oauthView } from '../../../core/oauth/view.js'
import type { ServerRecord } from '../../../core/registry/types.js'
import type { Registry } from '../../../core/registry/service.js'
import { serverView } from '../../../core/registry/view.js'
import { jsonBody, paging } from '../body.js'
import type { Env } from '../env.js'

/** Letta's `/v1/mcp-servers` CRUD routes. */
export const serverRoutes = (registry: Registry, oauth?: OAuthDeps) => {
  const app = new Hono<Env>()
  // Each server shows the caller's OAuth grant state (the organization's without a user_id).
  const views = async (c: Context<Env>, servers: ServerRecord[]) => {
    const principal = principalOf(c.req.header('user_id') ?? c.req.header('user-id'))
    const ids = servers.filter((s) => s.type !== 'stdio').map((s) => s.id)
    const found =
      oauth && ids.length
        ? await oauth.store.summaries(c.var.organizationId, ids, principal)
        : new Map()
    return servers.map((s) =>
      serverView(s, s.type === 'stdio' ? undefined : oauthView(found.get(s.id))),
    )
  }

  app.post('/', async (c) => {
    const server = await registry.create(c.var.organizationId, await jsonBody(c))
    return c.json((await views(c, [server]))[0], 200)
  })

  app.get('/', async (c) => {
    const page = await registry.list(c.var.organizationId, paging(c))
    return c.json(await views(c, page.items), 200)
  })

  app.get('/:id', async (c) => {
    const server = await registry.get(c.var.organizationId, c.req.param('id'))
    return c.json((await views(c, [server]))[0], 200)
  })

  app.patch('/:id', async (c) => {
    const id = c.req.param('id')
    const { server, droppedSecrets } = await registry.updateWithReport(
      c.var.organizationId,
      id,
      await jsonBody(c),
    )
    // The server moved (new origin, command or args): these stored secrets were not sent along.
    if (droppedSecrets.length)
      c.header('Hangar-Secrets-Dropped', droppedSecrets.map(encodeURIComponent).join(', '))
    return c.json((await views(c, [server]))[0], 200)
  })

  app.delete('/:id', async (c) => {
    await registry.remove(c.var.organizationId, c.req.param('id'))
    return c.body(null, 204)
  })

  return app
}
