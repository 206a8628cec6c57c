import Letta from '@letta-ai/letta-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNpmRegistry } from '../../support/npm-registry.js'
import { startStack } from '../../support/stack.js'

const MEMORY = '@modelcontextprotocol/server-memory'
const THINKING = '@modelcontextprotocol/server-sequential-thinking'
const MEMORY_TOOLS = [
  'add_observations',
  'create_entities',
  'create_relations',
  'delete_entities',
  'delete_observations',
  'delete_relations',
  'open_nodes',
  'read_graph',
  'search_nodes',
]

let registry: Awaited<ReturnType<typeof startNpmRegistry>>
let stack: Awaited<ReturnType<typeof startStack>>
let client: Letta

beforeAll(async () => {
  // The packages and their dependencies come from node_modules through a registry on loopback.
  registry = await startNpmRegistry([MEMORY, THINKING])
  stack = await startStack({ HANGAR_RUNNER_IDLE_MS: '2000' })
  client = new Letta({ baseURL: stack.baseURL, apiKey: stack.key, maxRetries: 0 })
}, 120_000)

afterAll(async () => {
  await Promise.all([stack?.stop(), registry?.close()])
})

type Sync = { status: string; tool_count: number; message?: string; error: unknown }

const sync = async (id: string) =>
  ((await client.mcpServers.retrieve(id)) as unknown as { sync: Sync }).sync

/** Polls the server until `done` holds for its sync state (or 60 s pass), and returns that state. */
const until = async (id: string, done: (sync: Sync) => boolean) => {
  const deadline = Date.now() + 60_000
  for (;;) {
    const state = await sync(id)
    if (done(state) || Date.now() > deadline) return state
    await new Promise((r) => setTimeout(r, 200))
  }
}
const settled = (id: string) => until(id, (s) => s.status === 'ok' || s.status === 'failed')

const register = async (name: string, pkg: string) => {
  const created = await client.mcpServers.create({
    server_name: name,
    config: {
      mcp_server_type: 'stdio',
      command: 'npx',
      args: ['-y', pkg],
      env: { NPM_CONFIG_REGISTRY: registry.url },
    },
  })
  return created.id as string
}

const runnerProcesses = async () =>
  (
    (await (await fetch(`http://127.0.0.1:${stack.ports.RUNNER_PORT}/health`)).json()) as {
      processes: number
    }
  ).processes

let memory = ''
let thinking = ''

describe('npx -y stdio servers on npm start, packages from a local registry', () => {
  it('Should show the install while the first start waits, then sync both with their tools', async () => {
    // The local stack syncs one message at a time: the first server's install is held back.
    const release = registry.hold()
    memory = await register('memory', MEMORY)
    thinking = await register('thinking', THINKING)
    const installing = await until(memory, (s) => s.message !== undefined)
    release()
    expect([installing.status, installing.message]).toEqual([
      'syncing',
      `installing package ${MEMORY} (first start may take a while)`,
    ])

    const [memorySync, thinkingSync] = await Promise.all([settled(memory), settled(thinking)])
    expect(memorySync).toMatchObject({ status: 'ok', tool_count: 9, error: null })
    expect(thinkingSync).toMatchObject({ status: 'ok', tool_count: 1, error: null })
    expect(memorySync.message).toBeUndefined()
    const names = async (id: string) =>
      (await client.mcpServers.tools.list(id)).map((tool) => tool.name).sort()
    expect(await names(memory)).toEqual(MEMORY_TOOLS)
    expect(await names(thinking)).toEqual(['sequentialthinking'])

    const requests = registry.requests()
    const tarballs = requests.filter((r) => r.kind === 'tarball').map((r) => r.name)
    expect(tarballs).toContain(MEMORY)
    expect(tarballs).toContain(THINKING)
    // npm asked for nothing else than packages: no audit, no update check of its own. The one
    // other lookup is the MCP SDK's optional peer dependency, which the registry does not have.
    const others = new Set(requests.filter((r) => r.kind === 'other').map((r) => r.path))
    expect([...others]).toEqual(['/@cfworker/json-schema'])
  }, 120_000)

  it('Should start a second server of the same package in the organization without a download', async () => {
    const before = registry.requests().length
    const again = await register('memory-2', MEMORY)
    expect(await settled(again)).toMatchObject({ status: 'ok', tool_count: 9, error: null })
    // npx only checks the package's versions; every file comes from the organization's cache.
    expect(registry.requests().slice(before)).toEqual([
      { kind: 'packument', name: MEMORY, method: 'GET', path: `/${MEMORY}` },
    ])
  }, 90_000)

  it('Should run a tool with success after the idle reap stopped its process', async () => {
    const deadline = Date.now() + 30_000
    while ((await runnerProcesses()) > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(await runnerProcesses()).toBe(0)
    const before = registry.requests().length
    const tool = (await client.mcpServers.tools.list(thinking))[0]
    const ran = await client.mcpServers.tools.run(tool?.id as string, {
      mcp_server_id: thinking,
      args: { thought: 'one step', nextThoughtNeeded: false, thoughtNumber: 1, totalThoughts: 1 },
    })
    expect(ran.status).toBe('success')
    expect(JSON.parse(ran.func_return as string)).toEqual({
      thoughtNumber: 1,
      totalThoughts: 1,
      nextThoughtNeeded: false,
      branches: [],
      thoughtHistoryLength: 1,
    })
    expect(registry.requests().slice(before)).toEqual([
      { kind: 'packument', name: THINKING, method: 'GET', path: `/${THINKING}` },
    ])
  }, 90_000)
})
