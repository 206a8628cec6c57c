import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  boundPorts,
  commandOf,
  listenersOf,
  processTree,
  stillRunning,
  waitUntil,
} from '../../support/processes.js'
import { simpleTool, startMutableServer } from '../../fixtures/mcp/mutable-server.js'
import { runnerTemp, startStack } from '../../support/stack.js'

const EVERYTHING = resolve('node_modules/@modelcontextprotocol/server-everything/dist/index.js')
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])
/** How long the whole stack may take to stop after a signal (its own bound is 12 s + 3 s). */
const STOP_BOUND_MS = 20_000

type Stack = Awaited<ReturnType<typeof startStack>>

/** Registers server-everything over stdio and waits for its sync, so a stdio child runs too. */
const withStdioChild = async (stack: Stack) => {
  const headers = { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' }
  const created = await fetch(`${stack.baseURL}/v1/mcp-servers/`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      server_name: 'everything',
      config: { mcp_server_type: 'stdio', command: 'node', args: [EVERYTHING, 'stdio'] },
    }),
  })
  expect(created.status).toBe(200)
  const { id } = (await created.json()) as { id: string }
  const synced = await waitUntil(async () => {
    const server = await fetch(`${stack.baseURL}/v1/mcp-servers/${id}`, { headers })
    return ((await server.json()) as { sync: { status: string } }).sync.status === 'ok'
  }, 30_000)
  expect(synced).toBe(true)
}

/** Registers an HTTP server and waits until its sync runs (the worker is listing its tools). */
const withSyncRunning = async (stack: Stack, url: string) => {
  const headers = { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' }
  const created = await fetch(`${stack.baseURL}/v1/mcp-servers/`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      server_name: 'held',
      config: { mcp_server_type: 'streamable_http', server_url: url },
    }),
  })
  expect(created.status).toBe(200)
  const { id } = (await created.json()) as { id: string }
  const syncing = await waitUntil(async () => {
    const server = await fetch(`${stack.baseURL}/v1/mcp-servers/${id}`, { headers })
    return ((await server.json()) as { sync: { status: string } }).sync.status === 'syncing'
  }, 15_000)
  expect(syncing).toBe(true)
}

/** Everything the stack started: its process tree while running, ports, the runner's temp folder. */
const snapshot = (stack: Stack, root: number) => {
  const tree = processTree(root)
  return { tree, temp: runnerTemp(tree), ports: Object.values(stack.ports) }
}

const expectAllGone = async (stack: Stack, seen: ReturnType<typeof snapshot>) => {
  const clean = await waitUntil(() => stillRunning(seen.tree).length === 0, STOP_BOUND_MS)
  expect(stillRunning(seen.tree).map(commandOf)).toEqual([])
  expect(clean).toBe(true)
  expect(await boundPorts(seen.ports)).toEqual([])
  expect(seen.temp && existsSync(seen.temp)).toBe(false)
  expect(existsSync(`${stack.stateDir}/stack.json`)).toBe(false)
  expect(stack.output()).toContain('Hangar: stopping…')
  expect(stack.output()).toContain('Hangar: stopped')
}

describe('npm start stops everything it started', () => {
  it('Should stop on SIGTERM to npm, with a stdio child running, after listening on loopback only', async () => {
    const stack = await startStack({}, { via: 'npm' })
    expect(stack.output()).toContain('Ctrl-C stops everything')
    await withStdioChild(stack)
    const seen = snapshot(stack, stack.pid)
    // npm, the start script, DynamoDB Local, the runner and the stdio server (node), at least.
    const commands = seen.tree.map(commandOf)
    expect(commands.some((c) => c.startsWith('npm'))).toBe(true)
    expect(commands.some((c) => c.includes('LoopbackDynamoDbLocal'))).toBe(true)
    expect(commands.some((c) => c.includes('functions/runner/main.ts'))).toBe(true)
    expect(commands.some((c) => c.includes('server-everything'))).toBe(true)
    expect(seen.temp).toMatch(/hangar-runner-/)

    // The socket table: every listener of the stack's processes is on loopback, and all 5 ports.
    const listeners = listenersOf(seen.tree)
    expect(listeners.filter((l) => !LOOPBACK.has(l.address))).toEqual([])
    expect(new Set(listeners.map((l) => l.port))).toEqual(new Set(seen.ports))

    process.kill(stack.pid, 'SIGTERM')
    await expectAllGone(stack, seen)
  }, 150_000)

  it('Should stop on SIGTERM to the node process under npm', async () => {
    const stack = await startStack({}, { via: 'npm' })
    const seen = snapshot(stack, stack.pid)
    const node = seen.tree.find((pid) => commandOf(pid).includes('infra/local/start.ts'))
    expect(node).toBeGreaterThan(0)
    process.kill(node!, 'SIGTERM')
    await expectAllGone(stack, seen)
    expect(await stack.exited).toBe(0)
  }, 120_000)

  it('Should stop on two Ctrl-C (SIGINT to the foreground process group, 1.5 s apart) while a sync holds the stop', async () => {
    const stack = await startStack({}, { via: 'npm' })
    await withStdioChild(stack)
    // A listing that outlasts the stop: the first Ctrl-C waits for it, the second cuts it short.
    const held = await startMutableServer([simpleTool('alpha')])
    held.setListDelay(30_000)
    await withSyncRunning(stack, held.url())
    const seen = snapshot(stack, stack.pid)
    process.kill(-stack.pid, 'SIGINT')
    await new Promise((r) => setTimeout(r, 1500))
    try {
      process.kill(-stack.pid, 'SIGINT')
    } catch (error) {
      // The first Ctrl-C may already have stopped the whole group: nothing left to signal.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
    }
    try {
      await expectAllGone(stack, seen)
      expect(stack.output()).toContain('Hangar: SIGINT again; stopping now')
    } finally {
      await held.close()
    }
  }, 150_000)
})
