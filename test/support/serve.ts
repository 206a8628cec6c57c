import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'

/** Serves a Hono app on a free 127.0.0.1 port, as npm start does on 8283. */
export const serveApp = async (app: { fetch: (req: Request) => Response | Promise<Response> }) => {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseURL: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
