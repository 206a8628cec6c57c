import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Log } from '../../core/ports.js'

export interface RunningRunner {
  url: string
  port: number
  /** Stops accepting, lets requests in flight finish (up to `drainMs`), then stops every child. */
  stop(): Promise<void>
}

interface Stoppable {
  stop(): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref())

/** Serves the runner app on host:port (port 0 picks a free one) with a graceful stop. */
export const startRunner = async (
  app: { fetch(request: Request): Response | Promise<Response> },
  pool: Stoppable,
  options: { host: string; port: number; drainMs: number },
  log: Pick<Log, 'info'>,
): Promise<RunningRunner> => {
  let draining = false
  let inFlight = 0
  const fetch = async (request: Request) => {
    if (draining) return Response.json({ detail: 'The runner is stopping' }, { status: 503 })
    inFlight++
    try {
      return await app.fetch(request)
    } finally {
      inFlight--
    }
  }
  const server = serve({ fetch, hostname: options.host, port: options.port })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port
  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      draining = true
      const closed = new Promise((r) => server.close(r))
      const deadline = Date.now() + options.drainMs
      while (inFlight > 0 && Date.now() < deadline) await sleep(25)
      log.info('runner stopping', { abandoned: inFlight })
      await pool.stop()
      if ('closeAllConnections' in server) server.closeAllConnections()
      await closed
    })())
  return { url: `http://${options.host}:${port}`, port, stop }
}
