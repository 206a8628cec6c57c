import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { answer } from '../../core/mcp-endpoint/http.js'
import type { Log } from '../../core/ports.js'
import { openServer, type OpenDeps, type Opened } from '../../core/runner/open.js'
import { proxyServer } from '../../core/runner/proxy.js'
import type { RunnerEnv } from './auth.js'

export interface BridgeDeps extends OpenDeps {
  requestTimeoutMs: number
  log: Pick<Log, 'warn'>
}

const statusOf: Record<Exclude<Opened, { ok: true }>['reason'], ContentfulStatusCode> = {
  invalid: 400,
  refused: 422,
  deleted: 404,
  failed: 502,
  busy: 503,
}

const parseError = { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }

/** The body the callers send: `{"launch": <sealed spec>, "message": <JSON-RPC message>}`. */
const parsed = (
  body: Uint8Array,
): { ok: true; launch: unknown; message: unknown } | { ok: false } => {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(body))
    if (typeof value !== 'object' || value === null || !('message' in value)) return { ok: false }
    return { ok: true, launch: (value as { launch?: unknown }).launch, message: value.message }
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
  const body = parsed(c.var.body)
  if (!body.ok) return c.json(parseError, 400)
  if (onlyNotifications(body.message)) return c.body(null, 202)
  const key = { organizationId: c.req.param('org') ?? '', serverId: c.req.param('serverId') ?? '' }
  const opened = await openServer(deps, key, body.launch, c.var.signed)
  if (!opened.ok) {
    deps.log.warn('stdio server unavailable', { ...key, reason: opened.reason })
    const retry: Record<string, string> =
      'retryAfterS' in opened ? { 'Retry-After': String(opened.retryAfterS) } : {}
    return c.json({ detail: opened.message }, statusOf[opened.reason], retry)
  }
  const server = proxyServer(opened.client, { timeoutMs: deps.requestTimeoutMs })
  // One JSON body, or an SSE stream when the caller asked for progress; the child is held until
  // every request in the POST is answered.
  const done = async () => {
    opened.release()
    await server.close()
  }
  try {
    const { response, finished } = await answer(server, c.req.raw, body.message)
    void finished.then(done)
    return response
  } catch (error) {
    await done()
    throw error
  }
}
