import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { classifyRunnerError, listToolsViaRunner } from '../../../core/adapters/runner/index.js'

let server: Server | undefined

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((r) => server?.close(r))
  server = undefined
})

/** A runner still starting the child: it holds every request and never answers. */
const startingRunner = async () => {
  server = createServer(() => undefined)
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp/org/srv`
}

describe("the callers' wait for a stdio server's first start", () => {
  it('Should wait for the start budget on top of the connect timeout and name the real number', async () => {
    const url = await startingRunner()
    const began = Date.now()

    const failure = await listToolsViaRunner(
      { url, fetch },
      { connectTimeoutMs: 200, startTimeoutMs: 600, listTimeoutMs: 100 },
    ).then(
      () => undefined,
      (error: unknown) => classifyRunnerError(error),
    )

    expect([failure, Date.now() - began >= 790]).toEqual([
      {
        code: 'timeout',
        message:
          'Timed out after 800 ms while starting the stdio server or connecting to it through the runner',
      },
      true,
    ])
  })
})
