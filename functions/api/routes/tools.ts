import { Hono } from 'hono'
import { stream } from 'hono/streaming'
import { connectEvents } from '../../../core/tools/connect.js'
import { principalOf } from '../../../core/oauth/target-auth.js'
import { callbackUrl, sseFrames, type ConnectSettings } from '../sse.js'
import { AppError } from '../../../core/errors.js'
import type { Log, ToolStore } from '../../../core/ports.js'
import type { Registry } from '../../../core/registry/service.js'
import { refreshServer } from '../../../core/tools/refresh.js'
import { runTool, type RunDeps } from '../../../core/tools/run.js'
import type { SyncDeps } from '../../../core/tools/sync.js'
import { toolView } from '../../../core/tools/view.js'
import { jsonBody, paging } from '../body.js'
import type { Env } from '../env.js'
import { callContext, refreshContext, splitVariables } from '../call.js'

const toolNotFound = (id: string) => new AppError('tool.notFound', `Tool ${id} not found`)

/** A server's tools and its refresh, under `/v1/mcp-servers/{id}`. */
export const serverToolRoutes = (deps: {
  registry: Registry
  tools: ToolStore
  sync: SyncDeps
  run: RunDeps
  refreshWaitMs: number
  log: Log
  connect: ConnectSettings
}) => {
  const app = new Hono<Env>()

  app.get('/connect/:id', async (c) => {
    const server = await deps.registry.get(c.var.organizationId, c.req.param('id'))
    c.header('Content-Type', 'text/event-stream')
    c.header('Cache-Control', 'no-cache')
    const aborted = new AbortController()
    const interactive = {
      principal: principalOf(c.req.header('user_id') ?? c.req.header('user-id')),
      redirectUri: callbackUrl(deps.connect.publicUrl, c.req.url),
      waitMs: deps.connect.waitMs,
      pollMs: deps.connect.pollMs,
      signal: aborted.signal,
    }
    return stream(c, async (out) => {
      out.onAbort(() => aborted.abort())
      await sseFrames(out, connectEvents(deps.run, server, interactive), deps.connect.keepAliveMs)
    })
  })

  app.get('/:id/tools', async (c) => {
    const server = await deps.registry.get(c.var.organizationId, c.req.param('id'))
    const page = await deps.tools.page(server.organizationId, server.id, paging(c, 1000, 1000))
    return c.json(page.items.map(toolView), 200)
  })

  app.get('/:id/tools/:toolId', async (c) => {
    const toolId = c.req.param('toolId')
    const tool = await deps.tools.get(c.var.organizationId, toolId)
    if (!tool || tool.serverId !== c.req.param('id')) throw toolNotFound(toolId)
    return c.json(toolView(tool), 200)
  })

  app.post('/:id/tools/:toolId/run', async (c) => {
    const server = await deps.registry.get(c.var.organizationId, c.req.param('id'))
    const { variables, rest } = await splitVariables(c)
    const run = { ...deps.run, call: callContext(c, deps.log, variables) }
    const principal = principalOf(c.req.header('user_id') ?? c.req.header('user-id'))
    return c.json(await runTool(run, server, c.req.param('toolId'), rest, principal), 200)
  })

  app.patch('/:id/refresh', async (c) => {
    const server = await deps.registry.get(c.var.organizationId, c.req.param('id'))
    const sync = { ...deps.sync, call: await refreshContext(c, deps.log) }
    return c.json(await refreshServer(sync, server, deps.refreshWaitMs), 200)
  })

  return app
}

/** Letta's generic `/v1/tools/{id}`, scoped to the caller's organization. */
export const toolRoutes = (tools: ToolStore) => {
  const app = new Hono<Env>()
  app.get('/:toolId', async (c) => {
    const tool = await tools.get(c.var.organizationId, c.req.param('toolId'))
    if (!tool) throw toolNotFound(c.req.param('toolId'))
    return c.json(toolView(tool), 200)
  })
  return app
}
