import { resolve } from 'node:path'
import Letta from '@letta-ai/letta-client'
import { LettaClient, LettaError } from 'letta-client-legacy'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EVERYTHING_TOOLS,
  startEverything,
  type Everything,
} from '../../fixtures/mcp/everything.js'
import { startRecordingServer, type RecordingServer } from '../../fixtures/mcp/recording-server.js'
import { startStack } from '../../support/stack.js'

const EVERYTHING = resolve('node_modules/@modelcontextprotocol/server-everything/dist/index.js')
const AGENT = 'agent-0b6f7c1e-3d2a-4f5b-8c9d-1e2f3a4b5c6d'

let stack: Awaited<ReturnType<typeof startStack>>
let everything: Everything
let recording: RecordingServer
let legacy: LettaClient

beforeAll(async () => {
  ;[stack, everything, recording] = await Promise.all([
    startStack(),
    startEverything('streamableHttp'),
    startRecordingServer([{ name: 'whoami', inputSchema: { type: 'object', properties: {} } }]),
  ])
  if (!stack.key) throw new Error(`npm start did not come up:\n${stack.output().slice(-2000)}`)
  legacy = new LettaClient({ baseUrl: stack.baseURL, token: stack.key })
}, 90_000)

afterAll(async () => {
  await Promise.all([stack?.stop(), everything?.stop(), recording?.close()])
})

const url = () => `http://127.0.0.1:${everything.port}/mcp`
const noRetry = { maxRetries: 0 }
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as LettaError,
  )

describe(
  '@letta-ai/letta-client 0.1.211 (the last 0.1.x) against npm start',
  { timeout: 60_000 },
  () => {
    let added: unknown
    let listed: Record<string, unknown>

    it('Should add and list servers (addMcpServer, listMcpServers)', async () => {
      expect(await legacy.tools.listMcpServers()).toEqual({})
      added = await legacy.tools.addMcpServer({
        serverName: 'everything',
        type: 'streamable_http',
        serverUrl: url(),
        authToken: 'legacy-client-token-0001',
      })
      expect(added).toEqual([
        {
          serverName: 'everything',
          type: 'streamable_http',
          serverUrl: url(),
          authHeader: 'Authorization',
          authToken: 'Bearer ****0001',
        },
      ])
      await legacy.tools.addMcpServer({
        serverName: 'stdio-everything',
        type: 'stdio',
        command: 'node',
        args: [EVERYTHING, 'stdio'],
      })
      listed = await legacy.tools.listMcpServers()
      expect(Object.keys(listed)).toEqual(['everything', 'stdio-everything'])
      expect(listed['stdio-everything']).toEqual({
        serverName: 'stdio-everything',
        type: 'stdio',
        command: 'node',
        args: [EVERYTHING, 'stdio'],
      })
    })

    it('Should list live tools and add one (listMcpToolsByServer, addMcpTool)', async () => {
      const live = await legacy.tools.listMcpToolsByServer('everything')
      expect(live.map((t) => t.name).sort()).toEqual(EVERYTHING_TOOLS)
      const echo = live.find((t) => t.name === 'echo')
      expect(echo?.health).toEqual({ status: 'STRICT_COMPLIANT', reasons: [] })
      expect(echo?.inputSchema).toMatchObject({ type: 'object', additionalProperties: false })

      const tool = await legacy.tools.addMcpTool('everything', 'echo')
      expect(tool).toMatchObject({
        id: expect.stringMatching(/^tool-/),
        name: 'echo',
        toolType: 'external_mcp',
        tags: ['mcp:everything'],
      })
      expect((await legacy.tools.addMcpTool('everything', 'echo')).id).toBe(tool.id)
    })

    it("Should list a stdio server's live tools through the runner", async () => {
      const stdioLive = await legacy.tools.listMcpToolsByServer('stdio-everything')
      expect(stdioLive.map((t) => t.name).sort()).toEqual(EVERYTHING_TOOLS)
    })

    it('Should test and connect an unsaved config (testMcpServer, connectMcpServer)', async () => {
      const tested = (await legacy.tools.testMcpServer({
        serverName: 'draft',
        type: 'streamable_http',
        serverUrl: url(),
      })) as { status: string; tools: { name: string }[] }
      expect(tested.status).toBe('success')
      expect(tested.tools.map((t) => t.name).sort()).toEqual(EVERYTHING_TOOLS)

      const events: { event: string; serverName?: string; tools?: unknown }[] = []
      const stream = await legacy.tools.connectMcpServer({
        serverName: 'draft',
        type: 'streamable_http',
        serverUrl: url(),
      })
      for await (const event of stream) events.push(event as (typeof events)[number])
      expect(events.map((e) => e.event)).toEqual(['connection_attempt', 'success'])
      expect((events[1]?.tools as { name: string }[]).map((t) => t.name).sort()).toEqual(
        EVERYTHING_TOOLS,
      )
    })

    it('Should update and delete by name (updateMcpServer, deleteMcpServer)', async () => {
      // 0.1.211 serialises only stdio updates (`{stdio_config}`); an HTTP update goes out as `{}`.
      const updated = await legacy.tools.updateMcpServer('stdio-everything', {
        stdioConfig: {
          serverName: 'stdio-everything',
          command: 'node',
          args: [EVERYTHING, 'stdio'],
          env: { EVERYTHING_FLAG: 'legacy-env-secret-0002' },
        },
      })
      expect(updated).toEqual({
        serverName: 'stdio-everything',
        type: 'stdio',
        command: 'node',
        args: [EVERYTHING, 'stdio'],
        env: { EVERYTHING_FLAG: '****0002' },
      })
      const unchanged = await legacy.tools.updateMcpServer('everything', { serverUrl: 'https://x' })
      expect(unchanged).toMatchObject({ serverName: 'everything', serverUrl: url() })

      const remaining = await legacy.tools.deleteMcpServer('stdio-everything')
      expect(remaining.map((s) => (s as { serverName: string }).serverName)).toEqual(['everything'])
      expect(JSON.stringify([added, listed, updated, remaining])).not.toMatch(
        /legacy-client-token-0001|legacy-env-secret-0002/,
      )
    })

    it('Should raise LettaError with Hangar statuses: 409 duplicate, 404 unknown name', async () => {
      const body = { serverName: 'dup', type: 'sse' as const, serverUrl: 'https://e.com/sse' }
      await legacy.tools.addMcpServer(body)
      const duplicate = await failure(legacy.tools.addMcpServer(body, noRetry))
      expect(duplicate).toBeInstanceOf(LettaError)
      expect(duplicate?.statusCode).toBe(409)
      const missing = await failure(legacy.tools.listMcpToolsByServer('nope', noRetry))
      expect(missing?.statusCode).toBe(404)
      expect(missing?.body).toEqual({ detail: "MCP server 'nope' not found" })
      expect((await failure(legacy.tools.deleteMcpServer('nope', noRetry)))?.statusCode).toBe(404)
      await legacy.tools.deleteMcpServer('dup')
    })
  },
)

describe(
  '@letta-ai/letta-code 0.32.18: its two legacy calls, issued as it issues them',
  { timeout: 60_000 },
  () => {
    // letta-code builds a 1.x client with these default headers (getClientDefaultHeaders) and calls
    // `client.get`/`client.post` on the legacy paths (src/backend/api/mcp-servers.ts).
    const lettaCode = () =>
      new Letta({
        apiKey: stack.key,
        baseURL: stack.baseURL,
        timeout: 10 * 60 * 1000,
        defaultHeaders: {
          'X-Letta-Source': 'letta-code',
          'User-Agent': 'letta-code/0.32.18',
          'X-Letta-Environment-Device-Id': 'device-test',
        },
      })

    it('Should list live tools and register one by name, answering what letta-code checks', async () => {
      const client = lettaCode()
      const created = await client.mcpServers.create({
        server_name: 'team tools',
        config: { mcp_server_type: 'streamable_http', server_url: url() },
      })
      // listLiveServerMcpTools
      const result = await client.get(
        `/v1/tools/mcp/servers/${encodeURIComponent('team tools')}/tools`,
      )
      expect(Array.isArray(result)).toBe(true)
      const tools = (result as unknown[]).filter(
        (tool): tool is { name: string; description?: string } =>
          typeof tool === 'object' &&
          tool !== null &&
          typeof (tool as { name?: unknown }).name === 'string',
      )
      expect(tools.map((t) => t.name).sort()).toEqual(EVERYTHING_TOOLS)
      // registerServerMcpTool, for every tool at once (attachServerMcpTools uses Promise.all)
      const registered = await Promise.all(
        tools.map(
          (tool) =>
            client.post(
              `/v1/tools/mcp/servers/${encodeURIComponent('team tools')}/${encodeURIComponent(tool.name)}`,
            ) as Promise<{ id?: unknown; name?: string; metadata_?: { mcp?: unknown } }>,
        ),
      )
      for (const [i, tool] of registered.entries()) {
        expect(typeof tool.id).toBe('string')
        expect(tool.name).toBe(tools[i]?.name)
        expect(tool.metadata_?.mcp).toEqual({ server_name: 'team tools', server_id: created.id })
      }
      const stored = await client.mcpServers.tools.list(created.id as string)
      expect(stored.map((t) => t.id).sort()).toEqual(registered.map((t) => t.id).sort())
    })

    it('Should send X-Agent-Id on its refresh call (client.mcpServers.refresh with agent_id)', async () => {
      const client = lettaCode()
      const created = await client.mcpServers.create({
        server_name: 'recorder',
        config: {
          mcp_server_type: 'streamable_http',
          server_url: recording.url(),
          auth_token: 'Bearer {{ AGENT_API_KEY | default-key-0003 }}',
        },
      })
      // Let the sync queued by the create land first, so only the refresh is recorded below.
      const deadline = Date.now() + 30_000
      while (Date.now() < deadline) {
        const server = (await client.mcpServers.retrieve(created.id as string)) as {
          sync?: { status: string }
        }
        if (server.sync?.status === 'ok') break
        await new Promise((r) => setTimeout(r, 250))
      }
      recording.clear()
      // refreshServerMcpServer
      const refreshed = await client.mcpServers.refresh(created.id as string, { agent_id: AGENT })
      expect(refreshed).toMatchObject({ deleted: [], updated: [] })
      const lists = recording.received().filter((r) => r.method === 'tools/list')
      expect(lists.map((r) => r.headers)).toEqual([
        {
          authorization: 'Bearer default-key-0003',
          'x-api-key': undefined,
          'x-team': undefined,
          'x-agent-id': AGENT,
        },
      ])
    })
  },
)
