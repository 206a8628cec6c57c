import { Hono, type Context } from 'hono'
import { rpcError } from '../../../core/mcp-endpoint/rpc-error.js'
import type { EndpointDeps } from '../../../core/mcp-endpoint/endpoint.js'
import { originAllowed } from '../../../core/mcp-endpoint/origin.js'
import type { Env } from '../env.js'

// The endpoint (the MCP SDK's server and its schemas) loads on the first MCP request, so the
// API's cold start never pays for it.
const endpoint = () => import('../../../core/mcp-endpoint/endpoint.js')

const PARSE_ERROR = -32700
const INVALID_REQUEST = -32600

const parsed = async (c: Context): Promise<{ ok: true; value: unknown } | { ok: false }> => {
  try {
    return { ok: true, value: JSON.parse(await c.req.text()) as unknown }
  } catch {
    return { ok: false }
  }
}

/** Stateless: no session to resume, so no standalone stream (GET) and nothing to end (DELETE). */
const noSession = (c: Context) => {
  c.header('Allow', 'POST')
  return c.json(rpcError(INVALID_REQUEST, 'Method not allowed: this endpoint is stateless'), 405)
}

/** The MCP endpoints: `/v1/mcp` (the organization's tools) and `/v1/mcp-servers/{id}/mcp`. */
export const mcpRoutes = (deps: EndpointDeps) => {
  const app = new Hono<Env>()
  app.use('*', async (c, next) => {
    if (!originAllowed(c.req.header('origin'), c.req.header('host'))) {
      return c.json(rpcError(INVALID_REQUEST, 'Origin not allowed'), 403)
    }
    await next()
  })

  app.post('/mcp', async (c) => {
    const body = await parsed(c)
    if (!body.ok) return c.json(rpcError(PARSE_ERROR, 'Parse error'), 400)
    const wanted = c.req.query('servers')
    let serverIds: string[] | undefined
    if (wanted !== undefined) {
      const entries = wanted
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      const selected = await (await endpoint()).selectServers(deps, c.var.organizationId, entries)
      if (!selected.ok) return c.json(rpcError(INVALID_REQUEST, selected.message), 400)
      serverIds = selected.ids
    }
    const { serveOrganization } = await endpoint()
    return serveOrganization(deps, c.var.organizationId, c.req.raw, body.value, serverIds)
  })
  app.post('/mcp-servers/:id/mcp', async (c) => {
    const body = await parsed(c)
    if (!body.ok) return c.json(rpcError(PARSE_ERROR, 'Parse error'), 400)
    const { serveServer } = await endpoint()
    return serveServer(deps, c.var.organizationId, c.req.param('id'), c.req.raw, body.value)
  })
  app.on(['GET', 'DELETE'], ['/mcp', '/mcp-servers/:id/mcp'], noSession)
  return app
}
