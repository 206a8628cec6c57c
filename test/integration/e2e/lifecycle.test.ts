import { resolve } from 'node:path'
import Letta, {
  ConflictError,
  NotFoundError,
  UnprocessableEntityError,
} from '@letta-ai/letta-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEverything, type Everything } from '../../fixtures/mcp/everything.js'
import {
  simpleTool,
  startMutableServer,
  type MutableServer,
} from '../../fixtures/mcp/mutable-server.js'
import { startStack } from '../../support/stack.js'

const EVERYTHING = resolve('node_modules/@modelcontextprotocol/server-everything/dist/index.js')

let stack: Awaited<ReturnType<typeof startStack>>
let client: Letta
let http: Everything
let sse: Everything
let failing: MutableServer

beforeAll(async () => {
  ;[stack, http, sse, failing] = await Promise.all([
    startStack(),
    startEverything('streamableHttp'),
    startEverything('sse'),
    startMutableServer([simpleTool('fail'), simpleTool('ok')]),
  ])
  client = new Letta({ baseURL: stack.baseURL, apiKey: stack.key, maxRetries: 0 })
}, 90_000)

afterAll(async () => {
  await Promise.all([stack?.stop(), http?.stop(), sse?.stop(), failing?.close()])
})

type Server = Awaited<ReturnType<Letta['mcpServers']['retrieve']>> & {
  sync?: { status: string; tool_count: number }
}

/** The SQS poller delivers the create's sync message to the worker; wait for its verdict. */
const synced = async (id: string) => {
  const deadline = Date.now() + 30_000
  for (;;) {
    const server = (await client.mcpServers.retrieve(id)) as Server
    if (server.sync?.status === 'ok' || server.sync?.status === 'failed' || Date.now() > deadline)
      return server
    await new Promise((r) => setTimeout(r, 250))
  }
}

describe('The official client against npm start: the whole lifecycle', () => {
  it.each([
    [
      'streamable_http',
      () => ({
        mcp_server_type: 'streamable_http' as const,
        server_url: `http://127.0.0.1:${http.port}/mcp`,
      }),
    ],
    [
      'sse',
      () => ({ mcp_server_type: 'sse' as const, server_url: `http://127.0.0.1:${sse.port}/sse` }),
    ],
    [
      'stdio',
      () => ({ mcp_server_type: 'stdio' as const, command: 'node', args: [EVERYTHING, 'stdio'] }),
    ],
  ])(
    'Should create, sync, list tools, run echo, refresh, update and delete a %s server',
    async (type, config) => {
      const created = await client.mcpServers.create({
        server_name: `life-${type}`,
        config: config(),
      })
      const id = created.id as string
      expect(created).toMatchObject({
        server_name: `life-${type}`,
        mcp_server_type: type,
        sync: { status: 'pending' },
      })
      expect((await synced(id)).sync).toMatchObject({ status: 'ok', tool_count: 13 })

      const tools = await client.mcpServers.tools.list(id)
      expect(tools).toHaveLength(13)
      const echo = tools.find((t) => t.name === 'echo')
      expect(echo).toMatchObject({ tool_type: 'external_mcp', tags: [`mcp:life-${type}`] })
      expect(
        await client.mcpServers.tools.retrieve(echo?.id as string, { mcp_server_id: id }),
      ).toEqual(echo)
      expect(
        await client.mcpServers.tools.run(echo?.id as string, {
          mcp_server_id: id,
          args: { message: 'hi' },
        }),
      ).toMatchObject({
        status: 'success',
        func_return: 'Echo: hi',
      })
      const bad = await client.mcpServers.tools
        .run(echo?.id as string, { mcp_server_id: id, args: { message: 5 } })
        .catch((e: unknown) => e)
      expect(bad).toBeInstanceOf(UnprocessableEntityError)

      expect(await client.mcpServers.refresh(id)).toEqual({ added: [], updated: [], deleted: [] })
      const renamed = await client.mcpServers.update(id, {
        server_name: `life-${type}-2`,
        config: { mcp_server_type: type } as never,
      })
      expect(renamed.server_name).toBe(`life-${type}-2`)
      expect(await client.mcpServers.delete(id)).toBeNull()
      expect(await client.mcpServers.retrieve(id).catch((e: unknown) => e)).toBeInstanceOf(
        NotFoundError,
      )
    },
  )

  it('Should report a tool that answers isError as status "error"', async () => {
    const created = await client.mcpServers.create({
      server_name: 'reports-errors',
      config: { mcp_server_type: 'streamable_http', server_url: failing.url() },
    })
    expect((await synced(created.id as string)).sync).toMatchObject({ status: 'ok', tool_count: 2 })
    const tools = await client.mcpServers.tools.list(created.id as string)
    const fail = tools.find((t) => t.name === 'fail')
    expect(
      await client.mcpServers.tools.run(fail?.id as string, {
        mcp_server_id: created.id as string,
        args: { text: 'x' },
      }),
    ).toMatchObject({
      status: 'error',
      func_return: 'it broke',
    })
    const dup = await client.mcpServers
      .create({
        server_name: 'reports-errors',
        config: { mcp_server_type: 'streamable_http', server_url: failing.url() },
      })
      .catch((e: unknown) => e)
    expect(dup).toBeInstanceOf(ConflictError)
  })
})
