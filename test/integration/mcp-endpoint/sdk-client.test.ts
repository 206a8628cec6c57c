import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncServer } from '../../../core/tools/sync.js'
import { createApp } from '../../../functions/api/app.js'
import {
  EVERYTHING_TOOLS,
  startEverything,
  type Everything,
} from '../../fixtures/mcp/everything.js'
import { EVERYTHING, startTestRunner, type TestRunner } from '../runner/harness.js'
import { apiCaller, newOrg, testDeps } from '../../support/deps.js'
import { serveApp } from '../../support/serve.js'

let runner: TestRunner
let http: Everything
let sse: Everything
let served: Awaited<ReturnType<typeof serveApp>>
let key: string
const ids: Record<string, string> = {}

const connect = async (path: string, apiKey = key) => {
  const client = new Client({ name: 'sdk-test', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(`${served.baseURL}${path}`), {
    requestInit: { headers: { authorization: `Bearer ${apiKey}` } },
  })
  await client.connect(transport)
  return client
}

const SERVERS = [
  {
    name: 'ev-http',
    config: () => ({
      mcp_server_type: 'streamable_http',
      server_url: `http://127.0.0.1:${http.port}/mcp`,
    }),
  },
  {
    name: 'ev-sse',
    config: () => ({ mcp_server_type: 'sse', server_url: `http://127.0.0.1:${sse.port}/sse` }),
  },
  {
    name: 'ev-stdio',
    config: () => ({ mcp_server_type: 'stdio', command: 'node', args: [EVERYTHING, 'stdio'] }),
  },
]

beforeAll(async () => {
  ;[runner, http, sse] = await Promise.all([
    startTestRunner(),
    startEverything('streamableHttp'),
    startEverything('sse'),
  ])
  const { deps } = testDeps({ runner: runner.client })
  const app = createApp(deps)
  served = await serveApp(app)
  const org = await newOrg(deps)
  key = org.key
  const call = apiCaller(app, org.auth)
  for (const server of SERVERS) {
    const created = await call('POST', '/v1/mcp-servers/', {
      server_name: server.name,
      config: server.config(),
    })
    expect(created.status).toBe(200)
    ids[server.name] = created.json.id
    const outcome = await syncServer(deps.sync, {
      organization_id: org.organizationId,
      server_id: created.json.id,
      config_version: 1,
      reason: 'created',
    })
    expect(outcome).toMatchObject({ outcome: 'ok', toolCount: 13 })
  }
}, 90_000)

afterAll(async () => {
  await served?.close()
  await Promise.all([runner?.runner.stop(), http?.stop(), sse?.stop()])
})

describe('/v1/mcp with an SDK Client over StreamableHTTPClientTransport', () => {
  it('Should list every tool of the three servers as <server>__<tool>', async () => {
    const client = await connect('/v1/mcp')
    const { tools, nextCursor } = await client.listTools()
    await client.close()

    const expected = SERVERS.flatMap((s) => EVERYTHING_TOOLS.map((t) => `${s.name}__${t}`))
    expect(tools.map((t) => t.name).sort()).toEqual(expected.sort())
    expect(nextCursor).toBeUndefined()
    const structured = tools.find((t) => t.name === 'ev-http__get-structured-content')
    expect(structured).toMatchObject({
      title: 'Get Structured Content Tool',
      outputSchema: { type: 'object', required: ['temperature', 'conditions', 'humidity'] },
      annotations: { readOnlyHint: true, destructiveHint: false },
      _meta: { 'hangar/server': 'ev-http', 'hangar/tool': 'get-structured-content' },
    })
  })

  it.each(SERVERS.map((s) => s.name))('Should call echo on %s', async (name) => {
    const client = await connect('/v1/mcp')
    const result = await client.callTool({ name: `${name}__echo`, arguments: { message: 'hi' } })
    await client.close()

    expect(result).toEqual({ content: [{ type: 'text', text: 'Echo: hi' }] })
  })

  it('Should return structured content, images and annotated parts as the upstream sent them', async () => {
    const client = await connect('/v1/mcp')
    const structured = await client.callTool({
      name: 'ev-stdio__get-structured-content',
      arguments: { location: 'Chicago' },
    })
    const image = await client.callTool({ name: 'ev-sse__get-tiny-image', arguments: {} })
    await client.close()

    expect(structured.structuredContent).toEqual({
      temperature: 36,
      conditions: 'Light rain / drizzle',
      humidity: 82,
    })
    const kinds = (image.content as { type: string; mimeType?: string }[]).map((c) => [
      c.type,
      c.mimeType,
    ])
    expect(kinds).toEqual([
      ['text', undefined],
      ['image', 'image/png'],
      ['text', undefined],
    ])
  })

  it('Should pass progress notifications through when the client asks for them', async () => {
    const client = await connect('/v1/mcp')
    const seen: { progress: number; total?: number }[] = []
    const result = await client.callTool(
      { name: 'ev-http__trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
      undefined,
      { onprogress: (p) => seen.push({ progress: p.progress, total: p.total }) },
    )
    await client.close()

    expect(seen).toEqual([
      { progress: 1, total: 3 },
      { progress: 2, total: 3 },
      { progress: 3, total: 3 },
    ])
    expect(result.content).toEqual([
      { type: 'text', text: 'Long running operation completed. Duration: 0.3 seconds, Steps: 3.' },
    ])
  })

  it('Should serve only the selected servers with ?servers= (names or ids)', async () => {
    const client = await connect(`/v1/mcp?servers=ev-sse,${ids['ev-stdio']}`)
    const { tools } = await client.listTools()
    const refused = await client
      .callTool({ name: 'ev-http__echo', arguments: { message: 'x' } })
      .catch((e: Error) => e.message)
    await client.close()

    expect(tools.map((t) => t.name.split('__')[0])).toEqual(
      expect.arrayContaining(['ev-sse', 'ev-stdio']),
    )
    expect(tools).toHaveLength(26)
    expect(refused).toBe('MCP error -32602: Unknown tool: ev-http__echo')
  })

  it('Should answer an unknown tool with an MCP error', async () => {
    const client = await connect('/v1/mcp')
    const error = await client
      .callTool({ name: 'nope__echo', arguments: {} })
      .catch((e: Error) => e.message)
    await client.close()

    expect(error).toBe('MCP error -32602: Unknown tool: nope__echo')
  })
})

describe('/v1/mcp-servers/{id}/mcp with an SDK Client', () => {
  it.each(SERVERS.map((s) => s.name))(
    'Should proxy %s with its original tool names',
    async (name) => {
      const client = await connect(`/v1/mcp-servers/${ids[name]}/mcp`)
      const { tools } = await client.listTools()
      const result = await client.callTool({ name: 'echo', arguments: { message: 'yo' } })
      await client.close()

      expect(tools.map((t) => t.name).sort()).toEqual([...EVERYTHING_TOOLS].sort())
      expect(result).toEqual({ content: [{ type: 'text', text: 'Echo: yo' }] })
    },
  )

  it('Should pass progress through the proxy', async () => {
    const client = await connect(`/v1/mcp-servers/${ids['ev-http']}/mcp`)
    const seen: number[] = []
    await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 0.2, steps: 2 } },
      undefined,
      { onprogress: (p) => seen.push(p.progress) },
    )
    await client.close()

    expect(seen).toEqual([1, 2])
  })
})
