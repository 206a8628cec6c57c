import Letta, {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  UnprocessableEntityError,
} from '@letta-ai/letta-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newOrg, testApp } from '../../support/deps.js'
import { serveApp } from '../../support/serve.js'

let client: Letta
let baseURL: string
let close: () => Promise<void>

beforeAll(async () => {
  const { app, deps } = testApp()
  const org = await newOrg(deps)
  ;({ baseURL, close } = await serveApp(app))
  client = new Letta({ baseURL, apiKey: org.key, maxRetries: 0 })
})

afterAll(() => close?.())

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

describe('The official @letta-ai/letta-client against Hangar over HTTP', () => {
  it('Should create, list, retrieve, update and delete servers of all three types', async () => {
    const sse = await client.mcpServers.create({
      server_name: 'client-sse',
      config: {
        mcp_server_type: 'sse',
        server_url: 'https://mcp.example.com/sse',
        auth_header: 'Authorization',
        auth_token: 'client-token-0001',
      },
    })
    const http = await client.mcpServers.create({
      server_name: 'client-http',
      config: {
        mcp_server_type: 'streamable_http',
        server_url: 'https://mcp.example.com/mcp',
        custom_headers: { 'X-Key': 'client-header-0002' },
      },
    })
    const stdio = await client.mcpServers.create({
      server_name: 'client-stdio',
      config: {
        mcp_server_type: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-everything'],
        env: { A: 'client-env-0003' },
      },
    })
    expect(sse).toMatchObject({
      server_name: 'client-sse',
      mcp_server_type: 'sse',
      auth_token: 'Bearer ****0001',
    })
    expect(http).toMatchObject({
      mcp_server_type: 'streamable_http',
      custom_headers: { 'X-Key': '****0002' },
    })
    expect(stdio).toMatchObject({
      mcp_server_type: 'stdio',
      command: 'npx',
      env: { A: '****0003' },
    })

    const listed = await client.mcpServers.list()
    expect(listed.map((s) => s.server_name).sort()).toEqual([
      'client-http',
      'client-sse',
      'client-stdio',
    ])
    expect(await client.mcpServers.retrieve(sse.id as string)).toEqual(sse)

    const updated = await client.mcpServers.update(http.id as string, {
      server_name: 'client-http-2',
      config: { mcp_server_type: 'streamable_http', server_url: null },
    })
    expect(updated).toMatchObject({
      id: http.id,
      server_name: 'client-http-2',
      server_url: 'https://mcp.example.com/mcp',
    })

    expect(await client.mcpServers.delete(stdio.id as string)).toBeNull()
    expect((await client.mcpServers.list()).map((s) => s.server_name).sort()).toEqual([
      'client-http-2',
      'client-sse',
    ])
    const everything = JSON.stringify([sse, http, stdio, updated, listed])
    for (const secret of ['client-token-0001', 'client-header-0002', 'client-env-0003']) {
      expect(everything).not.toContain(secret)
    }
  })

  it('Should raise the documented error classes', async () => {
    await client.mcpServers.create({
      server_name: 'taken',
      config: { mcp_server_type: 'sse', server_url: 'https://e.com/sse' },
    })
    const conflict = await errorOf(
      client.mcpServers.create({
        server_name: 'taken',
        config: { mcp_server_type: 'sse', server_url: 'https://e.com/sse' },
      }),
    )
    expect(conflict).toBeInstanceOf(ConflictError)
    expect((conflict as ConflictError).status).toBe(409)

    const missing = await errorOf(
      client.mcpServers.retrieve('mcp_server-00000000-0000-4000-8000-000000000000'),
    )
    expect(missing).toBeInstanceOf(NotFoundError)
    expect((missing as NotFoundError).error).toEqual({
      detail: 'MCP server mcp_server-00000000-0000-4000-8000-000000000000 not found',
    })
    expect(
      await errorOf(client.mcpServers.delete('mcp_server-00000000-0000-4000-8000-000000000000')),
    ).toBeInstanceOf(NotFoundError)

    const bad = await errorOf(
      client.mcpServers.create({ server_name: 'bad', config: { mcp_server_type: 'sse' } as never }),
    )
    expect(bad).toBeInstanceOf(UnprocessableEntityError)
    expect((bad as UnprocessableEntityError).error).toEqual({
      detail: 'config.server_url: field required',
    })

    const stranger = new Letta({ baseURL, apiKey: 'hgr_not-a-key', maxRetries: 0 })
    const denied = await errorOf(stranger.mcpServers.list())
    expect(denied).toBeInstanceOf(AuthenticationError)
    expect((denied as AuthenticationError).error).toEqual({ detail: 'Invalid API key' })
  })
})
