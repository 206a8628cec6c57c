import type { Context } from 'hono'
import { Hono } from 'hono'
import { stream } from 'hono/streaming'
import { AppError, isAppError } from '../../../core/errors.js'
import { configView, createBody, flatFields, updateBody } from '../../../core/legacy/config.js'
import type { Log, ToolStore } from '../../../core/ports.js'
import type { Registry } from '../../../core/registry/service.js'
import type { ServerRecord } from '../../../core/registry/types.js'
import type { CallContext } from '../../../core/templates/context.js'
import { addTool } from '../../../core/tools/add-tool.js'
import { connectEvents } from '../../../core/tools/connect.js'
import { listLive, liveToolView } from '../../../core/tools/live.js'
import { refreshServer } from '../../../core/tools/refresh.js'
import { runTool, type RunDeps } from '../../../core/tools/run.js'
import type { SyncDeps } from '../../../core/tools/sync.js'
import { toolView } from '../../../core/tools/view.js'
import { jsonBody } from '../body.js'
import { callContext, refreshContext, splitVariables } from '../call.js'
import type { Env } from '../env.js'

export interface LegacyDeps {
  registry: Registry
  tools: ToolStore
  sync: SyncDeps
  run: RunDeps
  log: Log
  refreshWaitMs: number
}

/** Every server of the organization as Letta's `{name: config}` map, or a list of configs. */
const allServers = async (registry: Registry, organizationId: string) => {
  const servers: ServerRecord[] = []
  let after: string | undefined
  do {
    const page = await registry.list(organizationId, { limit: 1000, after })
    servers.push(...page.items)
    after = page.next
  } while (after)
  return servers.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
}

const events = (c: Context, source: AsyncIterable<unknown> | Iterable<unknown>) => {
  c.header('Content-Type', 'text/event-stream')
  c.header('Cache-Control', 'no-cache')
  return stream(c, async (out) => {
    for await (const event of source) await out.write(`data: ${JSON.stringify(event)}\n\n`)
  })
}

const stdioDraft =
  'stdio servers run in the stdio runner, which starts only registered servers: add it with PUT /v1/tools/mcp/servers first'

/**
 * Letta's legacy name-based routes (`/v1/tools/mcp/servers`), which the 0.1.x clients and
 * letta-code still call, over the same registry and tool code as `/v1/mcp-servers`. Declared in
 * Letta's order: `/connect`, `/test` and `/{name}/resync` before `/{name}/{tool}`.
 */
export const legacyRoutes = (deps: LegacyDeps) => {
  const app = new Hono<Env>()
  const defaults: CallContext = { log: deps.log }

  const listing = async (organizationId: string) =>
    (await allServers(deps.registry, organizationId)).map(configView)

  /** A config body checked as a registration would be, not stored. */
  const draft = async (c: Context<Env>) => {
    const body = await jsonBody(c)
    return flatFields(async () => deps.registry.build(c.var.organizationId, createBody(body)))
  }

  app.get('/', async (c) => {
    const servers = await listing(c.var.organizationId)
    return c.json(Object.fromEntries(servers.map((s) => [s.server_name, s])), 200)
  })

  app.put('/', async (c) => {
    const body = await jsonBody(c)
    await flatFields(() => deps.registry.create(c.var.organizationId, createBody(body)))
    return c.json(await listing(c.var.organizationId), 200)
  })

  app.post('/connect', async (c) => {
    const { server, secrets } = await draft(c)
    if (server.type === 'stdio') {
      return events(c, [
        { event: 'connection_attempt', server_name: server.name },
        { event: 'error', message: stdioDraft },
      ])
    }
    const run = { ...deps.run, secrets: async () => secrets, call: defaults }
    return events(c, connectEvents(run, server))
  })

  app.post('/test', async (c) => {
    const { server, secrets } = await draft(c)
    if (server.type === 'stdio') throw new AppError('request.invalid', `type: ${stdioDraft}`)
    const tools = await listLive(
      { ...deps.run, secrets: async () => secrets, call: defaults },
      server,
    )
    return c.json({ status: 'success', tools }, 200)
  })

  app.patch('/:name', async (c) => {
    const name = c.req.param('name')
    const server = await deps.registry.getByName(c.var.organizationId, name).catch((error) => {
      if (!isAppError(error) || error.code !== 'server.notFound') throw error
      // Letta's own body for this route.
      const message = `MCP server ${name} not found`
      const detail = { code: 'MCPServerNotFoundError', message, mcp_server_name: name }
      throw new AppError('server.notFound', message, { detail })
    })
    const body = updateBody(await jsonBody(c), server.type)
    const updated = await flatFields(() =>
      deps.registry.update(c.var.organizationId, server.id, body),
    )
    return c.json(configView(updated), 200)
  })

  app.delete('/:name', async (c) => {
    const server = await deps.registry.getByName(c.var.organizationId, c.req.param('name'))
    await deps.registry.remove(c.var.organizationId, server.id)
    return c.json(await listing(c.var.organizationId), 200)
  })

  app.get('/:name/tools', async (c) => {
    const server = await deps.registry.getByName(c.var.organizationId, c.req.param('name'))
    const tools = await listLive({ ...deps.run, call: defaults }, server)
    return c.json(tools.map(liveToolView), 200)
  })

  app.post('/:name/resync', async (c) => {
    const server = await deps.registry.getByName(c.var.organizationId, c.req.param('name'))
    const call = await refreshContext(c, deps.log)
    return c.json(await refreshServer({ ...deps.sync, call }, server, deps.refreshWaitMs), 200)
  })

  app.post('/:name/:tool', async (c) => {
    const server = await deps.registry.getByName(c.var.organizationId, c.req.param('name'))
    const tool = await addTool(deps.sync, server, c.req.param('tool'), deps.refreshWaitMs)
    return c.json(toolView(tool), 200)
  })

  app.post('/:name/tools/:tool/execute', async (c) => {
    const server = await deps.registry.getByName(c.var.organizationId, c.req.param('name'))
    const { variables, rest } = await splitVariables(c)
    const call = callContext(c, deps.log, variables)
    const tool = await addTool(deps.sync, server, c.req.param('tool'), deps.refreshWaitMs)
    const result = await runTool({ ...deps.run, call }, server, tool.id, rest)
    return c.json({ result: result.func_return, success: result.status === 'success' }, 200)
  })

  return app
}
