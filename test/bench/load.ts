import { fork, type ChildProcess } from 'node:child_process'
import { setPriority } from 'node:os'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { ScanCommand } from '@aws-sdk/lib-dynamodb'
import { createApiKey } from '../../core/auth.js'
import { changesHandler } from '../../functions/stream/changes-handler.js'
import { syncHandler } from '../../functions/worker/sync-handler.js'
import { bundle } from '../../infra/build.mjs'
import { startSqsPoller } from '../../infra/local/pollers/sqs.js'
import { startStreamPoller } from '../../infra/local/pollers/stream.js'
import { simpleTool, startMutableServer } from '../fixtures/mcp/mutable-server.js'
import type { HostRequest, Org } from './api-host-protocol.js'
import { summarize } from './stats.js'
import type { BenchContext, Row } from './types.js'

const SERVERS = 200
const CLIENTS = 20
const ORGS = 5

const rowsFor = (route: string, stats: ReturnType<typeof summarize>): Row[] => [
  { name: `load ${route}: throughput`, value: stats.perSecond, unit: 'req/s' },
  { name: `load ${route}: p50`, value: stats.p50, unit: 'ms' },
  { name: `load ${route}: p99`, value: stats.p99, unit: 'ms' },
]

/** Starts the API host process (bundled, as on Lambda) and returns a phase caller. */
const startHost = async () => {
  const host = await bundle('bench-api-host', 'test/bench/api-host.ts')
  const child: ChildProcess = fork(host.outfile, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const nice = raisePriority(child.pid)
  let seq = 0
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  child.on('message', (m: { seq: number; result?: unknown; error?: string }) => {
    const w = waiting.get(m.seq)
    waiting.delete(m.seq)
    if (m.error !== undefined) w?.reject(new Error(`api host: ${m.error}`))
    else w?.resolve(m.result)
  })
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`api host exited with ${code}`))
  })
  const call = <T>(request: HostRequest) =>
    new Promise<T>((resolve, reject) => {
      waiting.set(++seq, { resolve: resolve as (v: unknown) => void, reject })
      child.send({ ...request, seq })
    })
  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    await call({ phase: 'stop' }).catch(() => child.kill())
    await exited
  }
  return { call, stop, nice }
}

/**
 * On Lambda the API has a CPU of its own. Here it shares two cores with DynamoDB Local's JVM, the
 * sync worker and the emulators, so the host process (API, clients and floor alike) is scheduled
 * first where the OS allows it (root). Returns the niceness it runs at.
 */
const HOST_NICE = -5
const raisePriority = (pid: number | undefined) => {
  try {
    setPriority(pid ?? 0, HOST_NICE)
    return HOST_NICE
  } catch {
    return 0
  }
}

/**
 * 200 registrations from 20 concurrent clients across 5 organizations over real HTTP on
 * loopback, with the sync worker and stream cascade running; then list, retrieve and delete them
 * all, and the storage floor of a create. The API, its clients and the floor run in a process of
 * their own (the API Lambda's); emulators, pollers, the sync worker and the MCP fixture here.
 */
export const benchLoad = async (ctx: BenchContext, streamArn: string): Promise<Row[]> => {
  const { deps } = ctx
  const mcp = await startMutableServer(['a', 'b', 'c', 'd', 'e'].map((n) => simpleTool(n)))
  const host = await startHost()
  const sqsPoller = startSqsPoller({
    sqs: ctx.clients.sqs,
    queueUrl: deps.config.syncQueueUrl,
    handler: syncHandler(deps),
  })
  const streamPoller = startStreamPoller({
    streams: new DynamoDBStreamsClient({
      endpoint: ctx.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    streamArn,
    handler: changesHandler(deps),
  })
  try {
    const { baseURL } = await host.call<{ baseURL: string }>({
      phase: 'start',
      config: deps.config,
      endpoints: ctx.endpoints,
    })
    const orgs: Org[] = await Promise.all(
      Array.from({ length: ORGS }, async (_, i) => {
        const id = `load-${i}-${Date.now().toString(36)}`
        return { id, key: await createApiKey(deps.apiKeys, id) }
      }),
    )
    type Timed = { latencies: number[]; wallMs: number }
    const timed = (requests: { org: Org; method: string; path: string }[]) =>
      host.call<Timed>({ phase: 'requests', requests, clients: CLIENTS })
    // Creates and their storage floor interleaved in one run, so both meet the same load
    // (the sync worker and the cascade are running meanwhile).
    const mixed = await host.call<{
      creates: { org: number; id: string }[]
      createMs: number[]
      floorMs: number[]
      handlerMs: number[]
      wallMs: number
    }>({ phase: 'mixed', orgs, servers: SERVERS, clients: CLIENTS, serverUrl: mcp.url() })
    const created = mixed.creates.map((c) => ({ org: orgs[c.org] as Org, id: c.id }))
    const listed = await timed(
      orgs.flatMap((org) =>
        Array.from({ length: 10 }, () => ({
          org,
          method: 'GET',
          path: '/v1/mcp-servers/?limit=200',
        })),
      ),
    )
    const retrieved = await timed(
      created.map(({ org, id }) => ({ org, method: 'GET', path: `/v1/mcp-servers/${id}` })),
    )
    // Nothing lost: every server created is listed exactly once by its own organization.
    const listPage = async (org: Org) => {
      const res = await fetch(`${baseURL}/v1/mcp-servers/?limit=1000`, {
        headers: { authorization: `Bearer ${org.key}` },
      })
      return (await res.json()) as { id: string }[]
    }
    const listedIds = (await Promise.all(orgs.map(listPage))).flat().map((s) => s.id)
    const createdIds = created.map((r) => r.id)
    const allListedOnce =
      listedIds.length === createdIds.length &&
      new Set(listedIds).size === createdIds.length &&
      createdIds.every((id) => listedIds.includes(id))
    const synced = await waitForSyncs(ctx, created)
    const deleted = await timed(
      created.map(({ org, id }) => ({ org, method: 'DELETE', path: `/v1/mcp-servers/${id}` })),
    )
    await streamPoller.idle()
    await streamPoller.idle()
    const left = await leftovers(ctx, createdIds)
    const createStats = summarize(mixed.createMs, mixed.wallMs)
    const floorStats = summarize(mixed.floorMs, mixed.wallMs)
    const handlerStats = summarize(mixed.handlerMs, mixed.wallMs)
    const ratio = Math.round((createStats.p50 / floorStats.p50) * 100) / 100
    return [
      { name: 'load API host process niceness', value: host.nice, unit: '' },
      ...rowsFor('POST /v1/mcp-servers/', createStats),
      {
        name: 'load POST /v1/mcp-servers/: p50 inside the app',
        value: handlerStats.p50,
        unit: 'ms',
      },
      ...rowsFor('storage floor of a create', floorStats),
      {
        name: 'load create p50 / storage floor p50',
        value: ratio,
        unit: 'x',
        target: '<= 1.3',
        ok: ratio <= 1.3,
      },
      ...rowsFor('GET /v1/mcp-servers/', summarize(listed.latencies, listed.wallMs)),
      ...rowsFor('GET /v1/mcp-servers/{id}', summarize(retrieved.latencies, retrieved.wallMs)),
      ...rowsFor('DELETE /v1/mcp-servers/{id}', summarize(deleted.latencies, deleted.wallMs)),
      {
        name: 'load servers synced ok',
        value: synced,
        unit: 'servers',
        target: `= ${SERVERS}`,
        ok: synced === SERVERS,
      },
      {
        name: 'load servers listed exactly once',
        value: allListedOnce ? SERVERS : listedIds.length,
        unit: 'servers',
        target: `= ${SERVERS}`,
        ok: allListedOnce,
      },
      {
        name: 'load items left after deletes',
        value: left,
        unit: 'items',
        target: '= 0',
        ok: left === 0,
      },
    ]
  } finally {
    await Promise.all([host.stop(), sqsPoller.stop(), streamPoller.stop(), mcp.close()])
  }
}

const waitForSyncs = async (ctx: BenchContext, servers: { org: { id: string }; id: string }[]) => {
  const deadline = Date.now() + 60_000
  for (;;) {
    const states = await Promise.all(
      servers.map((s) => ctx.deps.registry.get(s.org.id, s.id).then((r) => r.sync.status)),
    )
    const ok = states.filter((s) => s === 'ok').length
    if (ok === servers.length || Date.now() > deadline) return ok
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** Items of the deleted servers still in the table (server items, claims, tools). */
const leftovers = async (ctx: BenchContext, ids: string[]) => {
  const deadline = Date.now() + 30_000
  for (;;) {
    const items: Record<string, unknown>[] = []
    let start: Record<string, unknown> | undefined
    do {
      const out = await ctx.deps.db.send(
        new ScanCommand({
          TableName: ctx.deps.config.tableName,
          ProjectionExpression: 'pk, sk, server_id, id',
          ExclusiveStartKey: start,
        }),
      )
      items.push(...(out.Items ?? []))
      start = out.LastEvaluatedKey
    } while (start)
    const left = items.filter((item) =>
      ids.some(
        (id) =>
          String(item.pk).endsWith(id) || String(item.sk).endsWith(id) || item.server_id === id,
      ),
    ).length
    if (left === 0 || Date.now() > deadline) return left
    await new Promise((r) => setTimeout(r, 500))
  }
}
