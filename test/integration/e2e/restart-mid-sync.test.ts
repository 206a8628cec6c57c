import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Letta from '@letta-ai/letta-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../../infra/local/ports.js'
import {
  simpleTool,
  startMutableServer,
  type MutableServer,
} from '../../fixtures/mcp/mutable-server.js'
import {
  boundPorts,
  commandOf,
  processTree,
  stillRunning,
  waitUntil,
} from '../../support/processes.js'
import { javaPids, stackPorts, startStack } from '../../support/stack.js'

/** A `tools/list` held this long is still running when the stack is killed. */
const HELD_MS = 45_000
/** One held this long finishes while a SIGTERM'd stack drains its running sync. */
const DRAINED_MS = 4_000
/** A restarted stack must have settled every server by then: far below the 120 s sync lease. */
const HEAL_BOUND_MS = 20_000
/** Long enough that no held list times out before the kill. */
const ENV = { HANGAR_LIST_TIMEOUT_MS: '60000' }

type Stack = Awaited<ReturnType<typeof startStack>>
interface Sync {
  status: string
  tool_count: number
  error: { code: string; message: string } | null
}

let ports: Awaited<ReturnType<typeof stackPorts>>
let stateDir: string
let stack: Stack | undefined
let client: Letta
const upstreams: MutableServer[] = []

const upstream = async (toolCount: number, listDelayMs = 0) => {
  const names = Array.from({ length: toolCount }, (_, i) => simpleTool(`t${i}`))
  const server = await startMutableServer(names)
  server.setListDelay(listDelayMs)
  upstreams.push(server)
  return server
}

const start = async () => {
  stack = await startStack(ENV, { ports, stateDir })
  expect(stack.output()).toContain('Ctrl-C stops everything')
  client = new Letta({ baseURL: stack.baseURL, apiKey: stack.key, maxRetries: 0 })
  return stack
}

const register = async (name: string, url: string) => {
  const created = await client.mcpServers.create({
    server_name: name,
    config: { mcp_server_type: 'streamable_http', server_url: url },
  })
  return created.id as string
}

/** Every server's sync state, by name. */
const syncs = async () => {
  const servers = (await client.mcpServers.list()) as unknown as {
    server_name: string
    sync: Sync
  }[]
  return Object.fromEntries(servers.map((s) => [s.server_name, s.sync]))
}

const statuses = async () =>
  Object.fromEntries(Object.entries(await syncs()).map(([name, sync]) => [name, sync.status]))

const anySyncing = () =>
  waitUntil(async () => Object.values(await statuses()).includes('syncing'), 15_000)

/** Every server's sync state once none is `pending` or `syncing` any more, or at the bound. */
const settled = async () => {
  await waitUntil(
    async () => Object.values(await statuses()).every((s) => s === 'ok' || s === 'failed'),
    HEAL_BOUND_MS,
  )
  return syncs()
}

const ok = (tool_count: number) => ({ status: 'ok', tool_count, error: null })

beforeAll(async () => {
  ports = await stackPorts()
  stateDir = mkdtempSync(join(tmpdir(), 'hangar-restart-'))
})

afterAll(async () => {
  await stack?.stop()
  await Promise.all(upstreams.map((u) => u.close()))
  rmSync(stateDir, { recursive: true, force: true })
})

describe('npm start restarted mid-sync heals every server', () => {
  it('Should end every server ok or failed with a reason after a crash (SIGKILL to the whole stack) and a restart', async () => {
    const first = await start()
    const [slowA, slowB, fastA, fastB] = await Promise.all([
      upstream(3, HELD_MS),
      upstream(2, HELD_MS),
      upstream(1),
      upstream(4),
    ])
    const refused = `http://127.0.0.1:${await freePort()}/mcp` // nothing listens there
    await Promise.all([register('slow-a', slowA.url()), register('slow-b', slowB.url())])
    // The worker now holds a listing for 45 s: whatever is registered next stays queued.
    expect(await anySyncing()).toBe(true)
    await register('fast-a', fastA.url())
    await register('fast-b', fastB.url())
    await register('refused', refused)

    const before = await statuses()
    expect(Object.values(before).filter((s) => s === 'syncing').length).toBeGreaterThanOrEqual(1)
    expect(Object.values(before).every((s) => s === 'syncing' || s === 'pending')).toBe(true)
    expect([before['fast-a'], before['fast-b'], before.refused]).toEqual([
      'pending',
      'pending',
      'pending',
    ])

    const commands = processTree(first.pid).map(commandOf)
    expect(commands.some((c) => c.includes('LoopbackDynamoDbLocal'))).toBe(true)
    expect(commands.some((c) => c.includes('functions/runner/main.ts'))).toBe(true)
    const killed = await first.crash()
    expect(stillRunning(killed)).toEqual([])
    expect(javaPids(ports.DYNAMODB_PORT)).toEqual([])
    expect(await boundPorts(Object.values(ports))).toEqual([])
    expect(await first.exited).toBe(null) // killed by a signal, no exit code

    // The upstreams answer at once from now on; the killed listings are gone with the stack.
    slowA.setListDelay(0)
    slowB.setListDelay(0)
    const second = await start()
    expect(second.key).toBe(first.key) // same state folder: same data, same key
    const after = await settled()
    expect(Object.keys(after).sort()).toEqual(['fast-a', 'fast-b', 'refused', 'slow-a', 'slow-b'])
    expect(after).toMatchObject({
      'slow-a': ok(3),
      'slow-b': ok(2),
      'fast-a': ok(1),
      'fast-b': ok(4),
      refused: { status: 'failed', tool_count: 0, error: { code: 'connection_refused' } },
    })
    expect(after.refused!.error!.message).toMatch(/\S/)
  }, 120_000)

  it('Should drain the running sync on SIGTERM and sync the queued ones after a restart', async () => {
    const running = stack!
    const [slow, fast] = await Promise.all([upstream(5, DRAINED_MS), upstream(2)])
    await register('slow-c', slow.url())
    expect(await anySyncing()).toBe(true)
    await register('fast-c', fast.url())
    expect(await statuses()).toMatchObject({ 'slow-c': 'syncing', 'fast-c': 'pending' })

    const tree = processTree(running.pid)
    process.kill(running.pid, 'SIGTERM')
    expect(await running.exited).toBe(0)
    expect(running.output()).toContain('Hangar: stopped')
    expect(await waitUntil(() => stillRunning(tree).length === 0, 10_000)).toBe(true)
    expect(javaPids(ports.DYNAMODB_PORT)).toEqual([])

    await start()
    expect(await settled()).toMatchObject({
      'slow-a': ok(3),
      'slow-b': ok(2),
      'fast-a': ok(1),
      'fast-b': ok(4),
      'slow-c': ok(5),
      'fast-c': ok(2),
      refused: { status: 'failed', error: { code: 'connection_refused' } },
    })
  }, 120_000)
})
