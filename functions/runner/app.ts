import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Log } from '../../core/ports.js'
import type { ReplayCache } from '../../core/runner/replay-cache.js'
import { signedRequests, type RunnerEnv } from './auth.js'
import { bridge, type BridgeDeps } from './bridge.js'

export interface RunnerAppDeps extends BridgeDeps {
  secret: string
  replay: ReplayCache
  log: Pick<Log, 'warn' | 'error'>
  now?: () => number
}

const MAX_BODY_BYTES = 4 * 1024 * 1024

/** The stdio runner: MCP over Streamable HTTP for each registered stdio server, signed requests only. */
export const createRunnerApp = (deps: RunnerAppDeps) => {
  const app = new Hono<RunnerEnv>()
  app.onError((error, c) => {
    deps.log.error('runner request failed', {
      path: c.req.path,
      error: error.name,
      message: error.message,
    })
    return c.json({ detail: 'An unknown error occurred' }, 500)
  })
  app.notFound((c) => c.json({ detail: 'Not Found' }, 404))

  app.get('/health', (c) => c.json({ status: 'ok', processes: deps.pool.size }, 200))

  const signed = signedRequests(deps)
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json({ detail: `body: larger than ${MAX_BODY_BYTES} bytes` }, 413),
  })
  app.use('/mcp/*', limit, signed)
  app.use('/processes/*', limit, signed)

  app.post('/mcp/:org/:serverId', (c) => bridge(deps, c))
  app.on(['GET', 'DELETE'], '/mcp/:org/:serverId', (c) =>
    c.json({ detail: 'Method Not Allowed: this endpoint is stateless, POST only' }, 405, {
      Allow: 'POST',
    }),
  )
  // Sent only by the deletion cascade: the server is gone for good, so it never starts here again.
  app.delete('/processes/:org/:serverId', async (c) => {
    const evicted = await deps.pool.delete(c.req.param('org'), c.req.param('serverId'))
    return c.json({ evicted }, 200)
  })
  return app
}

export type RunnerApp = ReturnType<typeof createRunnerApp>
