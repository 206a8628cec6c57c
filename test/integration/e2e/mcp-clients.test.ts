import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EVERYTHING_TOOLS,
  startEverything,
  type Everything,
} from '../../fixtures/mcp/everything.js'
import { startStack } from '../../support/stack.js'

const run = promisify(execFile)
const EVERYTHING = resolve('node_modules/@modelcontextprotocol/server-everything/dist/index.js')
// The CLI reads its own package.json relative to the working directory, so it runs from its build.
const INSPECTOR = resolve('node_modules/@modelcontextprotocol/inspector-cli/build')
const MCP_REMOTE = resolve('node_modules/mcp-remote/dist/proxy.js')

let stack: Awaited<ReturnType<typeof startStack>>
let http: Everything
let sse: Everything
const ids: Record<string, string> = {}
const authDir = mkdtempSync(join(tmpdir(), 'hangar-mcp-remote-'))

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${stack.baseURL}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return (await res.json()) as any
}

const waitForSync = async (id: string) => {
  const deadline = Date.now() + 45_000
  for (;;) {
    const server = await api('GET', `/v1/mcp-servers/${id}`)
    if (server.sync.status === 'ok' || Date.now() > deadline) return server.sync
    await new Promise((r) => setTimeout(r, 250))
  }
}

const inspector = async (...args: string[]) => {
  const { stdout } = await run(
    process.execPath,
    [
      'index.js',
      `${stack.baseURL}/v1/mcp`,
      '--transport',
      'http',
      '--header',
      `Authorization: Bearer ${stack.key}`,
      ...args,
    ],
    { cwd: INSPECTOR, timeout: 30_000 },
  )
  return JSON.parse(stdout) as any
}

const sdkClient = async (path: string) => {
  const client = new Client({ name: 'sdk-e2e', version: '1.0.0' })
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${stack.baseURL}${path}`), {
      requestInit: { headers: { authorization: `Bearer ${stack.key}` } },
    }),
  )
  return client
}

beforeAll(async () => {
  ;[stack, http, sse] = await Promise.all([
    startStack(),
    startEverything('streamableHttp'),
    startEverything('sse'),
  ])
  const configs = {
    'ev-stdio': { mcp_server_type: 'stdio', command: 'node', args: [EVERYTHING, 'stdio'] },
    'ev-http': {
      mcp_server_type: 'streamable_http',
      server_url: `http://127.0.0.1:${http.port}/mcp`,
    },
    'ev-sse': { mcp_server_type: 'sse', server_url: `http://127.0.0.1:${sse.port}/sse` },
  }
  for (const [name, config] of Object.entries(configs)) {
    ids[name] = (await api('POST', '/v1/mcp-servers/', { server_name: name, config })).id
  }
  for (const id of Object.values(ids)) {
    expect(await waitForSync(id)).toMatchObject({ status: 'ok', tool_count: 13 })
  }
}, 120_000)

afterAll(async () => {
  await Promise.all([stack?.stop(), http?.stop(), sse?.stop()])
  rmSync(authDir, { recursive: true, force: true })
})

describe('MCP clients nobody here wrote, against npm start', () => {
  it('Should list the tools and call echo with the MCP Inspector CLI through /v1/mcp', async () => {
    const listed = await inspector('--method', 'tools/list')
    const called = await inspector(
      '--method',
      'tools/call',
      '--tool-name',
      'ev-stdio__echo',
      '--tool-arg',
      'message=from the inspector',
    )

    const names = (listed.tools as { name: string }[]).map((t) => t.name).sort()
    expect(names).toEqual(
      ['ev-http', 'ev-sse', 'ev-stdio']
        .flatMap((s) => EVERYTHING_TOOLS.map((t) => `${s}__${t}`))
        .sort(),
    )
    expect(called).toEqual({ content: [{ type: 'text', text: 'Echo: from the inspector' }] })
  }, 60_000)

  it.each(['ev-http', 'ev-sse', 'ev-stdio'])(
    'Should list and call %s with an SDK Client through both endpoints',
    async (name) => {
      const all = await sdkClient('/v1/mcp')
      const one = await sdkClient(`/v1/mcp-servers/${ids[name]}/mcp`)
      const viaAll = await all.callTool({ name: `${name}__echo`, arguments: { message: 'a' } })
      const viaOne = await one.callTool({ name: 'echo', arguments: { message: 'b' } })
      const { tools } = await one.listTools()
      await Promise.all([all.close(), one.close()])

      expect(viaAll.content).toEqual([{ type: 'text', text: 'Echo: a' }])
      expect(viaOne.content).toEqual([{ type: 'text', text: 'Echo: b' }])
      expect(tools.map((t) => t.name).sort()).toEqual([...EVERYTHING_TOOLS].sort())
    },
    60_000,
  )

  it('Should list and call through mcp-remote bridging stdio to /v1/mcp', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        MCP_REMOTE,
        `${stack.baseURL}/v1/mcp`,
        '--header',
        `Authorization:Bearer ${stack.key}`,
      ],
      env: { ...process.env, MCP_REMOTE_CONFIG_DIR: authDir } as Record<string, string>,
      stderr: 'pipe',
    })
    const client = new Client({ name: 'stdio-host', version: '1.0.0' })
    await client.connect(transport)
    try {
      const { tools } = await client.listTools()
      const result = await client.callTool({
        name: 'ev-http__get-sum',
        arguments: { a: 2, b: 40 },
      })

      expect(tools).toHaveLength(39)
      expect(result.content).toEqual([{ type: 'text', text: 'The sum of 2 and 40 is 42.' }])
    } finally {
      await client.close()
    }
  }, 60_000)
})
