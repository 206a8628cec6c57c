import { Hono } from 'hono'
import type { Registry } from '../../../core/registry/service.js'
import { serverView } from '../../../core/registry/view.js'
import { jsonBody, paging } from '../body.js'
import type { Env } from '../env.js'

/** Letta's `/v1/mcp-servers` CRUD routes. */
export const serverRoutes = (registry: Registry) => {
  const app = new Hono<Env>()

  app.post('/', async (c) => {
    const server = await registry.create(c.var.organizationId, await jsonBody(c))
    return c.json(serverView(server), 200)
  })

  app.get('/', async (c) => {
    const page = await registry.list(c.var.organizationId, paging(c))
    return c.json(page.items.map(serverView), 200)
  })

  app.get('/:id', async (c) => {
    const server = await registry.get(c.var.organizationId, c.req.param('id'))
    return c.json(serverView(server), 200)
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
    return c.json(serverView(server), 200)
  })

  app.delete('/:id', async (c) => {
    await registry.remove(c.var.organizationId, c.req.param('id'))
    return c.body(null, 204)
  })

  return app
}
