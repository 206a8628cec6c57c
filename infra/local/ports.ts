import { createServer, connect } from 'node:net'

/** A port on 127.0.0.1 that nothing listens on right now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

/** Resolves once something accepts connections on the port; rejects after `timeoutMs`. */
export const waitForPort = async (port: number, timeoutMs: number, isAlive = () => true) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await accepts(port)) return
    if (!isAlive())
      throw new Error(`process for port ${port} exited before it accepted connections`)
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`nothing accepted connections on 127.0.0.1:${port} within ${timeoutMs} ms`)
}
