import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Log } from '../../core/ports.js'
import { openServer, type OpenDeps, type Opened } from '../../core/runner/open.js'
import { proxyServer } from '../../core/runner/proxy.js'
import type { RunnerEnv } from './auth.js'

export interface BridgeDeps extends OpenDeps {
  requestTimeoutMs: number
  log: Pick<Log, 'warn'>
}

const statusOf: Record<Exclude<Opened, { ok: true }>['reason'], ContentfulStatusCode> = {
  notFound: 404,
  refused: 422,
  failed: 502,
  busy: 503,
}

const parseError = { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }

const parsed = (body: Uint8Array): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(body)) }
  } catch {
    return { ok: false }
  }
}

/** Notifications need no child: the proxy would only acknowledge them. */
const onlyNotifications = (message: unknown) =>
  (Array.isArray(message) ? message : [message]).every(
    (m) => typeof m === 'object' && m !== null && 'method' in m && !('id' in m),
  )

/**
 * One MCP POST, answered statelessly: a fresh proxy server and transport per request, in front of
 * the server's pooled child. No session state lives here, so nothing is left to reap but processes.
 */
export const bridge = async (deps: BridgeDeps, c: Context<RunnerEnv>) => {
  const message = parsed(c.var.body)
  if (!message.ok) return c.json(parseError, 400)
  if (onlyNotifications(message.value)) return c.body(null, 202)
  const [organizationId, serverId] = [c.req.param('org') ?? '', c.req.param('serverId') ?? '']
  const opened = await openServer(deps, organizationId, serverId)
  if (!opened.ok) {
    if (opened.reason !== 'notFound') {
      deps.log.warn('stdio server unavailable', { organizationId, serverId, reason: opened.reason })
    }
    return c.json({ detail: opened.message }, statusOf[opened.reason])
  }
  const server = proxyServer(opened.client, { timeoutMs: deps.requestTimeoutMs })
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  })
  try {
    await server.connect(transport)
    return await transport.handleRequest(c.req.raw, { parsedBody: message.value })
  } finally {
    opened.release()
    await server.close()
  }
}
