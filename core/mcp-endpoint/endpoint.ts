import { ErrorCode } from '@modelcontextprotocol/sdk/types.js'
import { isAppError } from '../errors.js'
import type { UpstreamSession } from '../ports.js'
import type { Secrets, ServerRecord } from '../registry/types.js'
import type { RunDeps } from '../tools/run.js'
import { targetFor } from '../tools/target.js'
import { answer, hasMethod, hasRequests } from './http.js'
import { rpcError } from './rpc-error.js'
import { organizationServer, type OrganizationDeps } from './organization.js'
import { upstreamProxy } from './proxy.js'
import { upstreamError } from './upstream-error.js'

export interface EndpointDeps extends OrganizationDeps {
  servers: OrganizationDeps['servers'] & {
    list(
      organizationId: string,
      options: { limit: number; after?: string },
    ): Promise<{ items: ServerRecord[]; next?: string }>
    secrets(server: ServerRecord): Promise<Secrets>
  }
}

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const accepted = () => new Response(null, { status: 202 })

/** `?servers=` entries (names or ids) as server ids; an entry that names no server is an error. */
export const selectServers = async (
  deps: Pick<EndpointDeps, 'servers'>,
  organizationId: string,
  entries: string[],
): Promise<{ ok: true; ids: string[] } | { ok: false; message: string }> => {
  const all: ServerRecord[] = []
  let after: string | undefined
  do {
    const page = await deps.servers.list(organizationId, { limit: 100, after })
    all.push(...page.items)
    after = page.next
  } while (after)
  const ids: string[] = []
  for (const entry of entries) {
    const found = all.find((s) => s.id === entry || s.name === entry)
    if (!found) return { ok: false, message: `servers: no MCP server named or numbered "${entry}"` }
    ids.push(found.id)
  }
  return { ok: true, ids }
}

/** `/v1/mcp`: the organization's tools (or those of `serverIds`) for one POST. */
export const serveOrganization = async (
  deps: EndpointDeps,
  organizationId: string,
  request: Request,
  body: unknown,
  serverIds?: string[],
): Promise<Response> => {
  if (!hasRequests(body)) return accepted()
  const server = organizationServer(deps, organizationId, serverIds)
  const { response, finished } = await answer(server, request, body)
  void finished.then(() => server.close())
  return response
}

const sessionFor = async (run: RunDeps, server: ServerRecord, secrets: () => Promise<Secrets>) => {
  if (server.type === 'stdio') return run.stdio?.session?.(server, run.runTimeoutMs)
  const target = targetFor(server, await secrets())
  if (!target) return undefined
  return run.connector.session?.(target, { ...run.limits, timeoutMs: run.runTimeoutMs })
}

/**
 * `/v1/mcp-servers/{id}/mcp`: one server, as itself. Each POST opens the upstream (HTTP, SSE or
 * through the stdio runner, with the server's credentials), answers through a proxy of it, and
 * closes it once every request in the POST is answered.
 */
export const serveServer = async (
  deps: EndpointDeps,
  organizationId: string,
  serverId: string,
  request: Request,
  body: unknown,
): Promise<Response> => {
  const upstream = await deps.servers.get(organizationId, serverId).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'server.notFound') return undefined
    throw error
  })
  if (!upstream)
    return json(rpcError(ErrorCode.InvalidRequest, `MCP server ${serverId} not found`), 404)
  if (!hasRequests(body)) return accepted()
  const session: UpstreamSession | undefined = await sessionFor(deps.run, upstream, () =>
    deps.servers.secrets(upstream),
  )
  if (!session) {
    const message = `MCP server "${upstream.name}" cannot be reached from here`
    return json(rpcError(ErrorCode.InternalError, message), 502)
  }
  const onError = (error: unknown) => upstreamError(deps.run, upstream, error)
  let respond: (response: Response) => void = () => {}
  const responded = new Promise<Response>((resolve) => (respond = resolve))
  const stream = hasMethod(body, 'tools/call')
  const opened = session(async (client) => {
    const server = upstreamProxy(client, { timeoutMs: deps.run.runTimeoutMs, onError })
    const { response, finished } = await answer(server, request, body, stream || undefined)
    respond(response)
    await finished
    await server.close()
  })
  return Promise.race([
    responded,
    opened.then(
      () => responded,
      (error: unknown) => json(rpcError(ErrorCode.InternalError, onError(error).message), 502),
    ),
  ])
}
