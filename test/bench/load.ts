import { randomUUID } from 'node:crypto'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { createApiKey } from '../../core/auth.js'
import { nameClaimKey, serverKey } from '../../core/keys.js'
import { createApp } from '../../functions/api/app.js'
import { changesHandler } from '../../functions/stream/changes-handler.js'
import { syncHandler } from '../../functions/worker/sync-handler.js'
import { startSqsPoller } from '../../infra/local/pollers/sqs.js'
import { startStreamPoller } from '../../infra/local/pollers/stream.js'
import { simpleTool, startMutableServer } from '../fixtures/mcp/mutable-server.js'
import { serveApp } from '../support/serve.js'
import { runConcurrently, runTimed, summarize } from './stats.js'
import type { BenchContext, Row } from './types.js'

const SERVERS = 200
const CLIENTS = 20
const ORGS = 5

const rowsFor = (route: string, stats: ReturnType<typeof summarize>): Row[] => [
  { name: `load ${route}: throughput`, value: stats.perSecond, unit: 'req/s' },
  { name: `load ${route}: p50`, value: stats.p50, unit: 'ms' },
  { name: `load ${route}: p99`, value: stats.p99, unit: 'ms' },
]

/**
 * 200 registrations from 20 concurrent clients across 5 organizations over real HTTP on
 * loopback, with the sync worker and stream cascade running; then list, retrieve and delete them
 * all, and the storage floor of a create issued directly through the SDK.
 */
export const benchLoad = async (ctx: BenchContext, streamArn: string): Promise<Row[]> => {
  const { deps } = ctx
  const mcp = await startMutableServer(['a', 'b', 'c', 'd', 'e'].map((n) => simpleTool(n)))
  const api = await serveApp(createApp(deps))
  const sqsPoller = startSqsPoller({
    sqs: deps.clients.sqs,
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
    const orgs = await Promise.all(
      Array.from({ length: ORGS }, async (_, i) => {
        const id = `load-${i}-${Date.now().toString(36)}`
        return { id, key: await createApiKey(deps.apiKeys, id) }
      }),
    )
    const request = async (org: { key: string }, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${api.baseURL}${path}`, {
        method,
        headers: { authorization: `Bearer ${org.key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`)
      return text ? JSON.parse(text) : null
    }
    // Creates and their storage floor interleaved in one run, so both meet the same load
    // (the sync worker and the cascade are running meanwhile).
    type Job = { kind: 'create'; org: (typeof orgs)[number]; id: string } | { kind: 'floor' }
    const mixed = await runTimed<Job>(
      Array.from({ length: SERVERS * 2 }, (_, n) => {
        const i = Math.floor(n / 2)
        if (n % 2)
          return async () => (await storageFloor(ctx, `floor-${i}`), { kind: 'floor' as const })
        return async () => {
          const org = orgs[i % ORGS] as (typeof orgs)[number]
          const server = await request(org, 'POST', '/v1/mcp-servers/', {
            server_name: `load-${i}`,
            config: {
              mcp_server_type: 'streamable_http',
              server_url: mcp.url(),
              auth_token: `load-secret-${i}-abcdef`,
            },
          })
          return { kind: 'create' as const, org, id: server.id as string }
        }
      }),
      CLIENTS,
    )
    const creates = mixed.filter((r) => r.result.kind === 'create')
    const created = {
      results: creates.map((r) => r.result as Extract<Job, { kind: 'create' }>),
      latencies: creates.map((r) => r.ms),
      wallMs: mixed.wallMs,
    }
    const floorRuns = mixed.filter((r) => r.result.kind === 'floor')
    const floor = { latencies: floorRuns.map((r) => r.ms), wallMs: mixed.wallMs }
    const listed = await runConcurrently(
      orgs.flatMap((org) =>
        Array.from({ length: 10 }, () => () => request(org, 'GET', '/v1/mcp-servers/?limit=200')),
      ),
      CLIENTS,
    )
    const retrieved = await runConcurrently(
      created.results.map(
        ({ org, id }) =>
          () =>
            request(org, 'GET', `/v1/mcp-servers/${id}`),
      ),
      CLIENTS,
    )
    // Nothing lost: every server created is listed exactly once by its own organization.
    const listedIds = (
      await Promise.all(orgs.map((org) => request(org, 'GET', '/v1/mcp-servers/?limit=1000')))
    )
      .flat()
      .map((s: { id: string }) => s.id)
    const createdIds = created.results.map((r) => r.id)
    const allListedOnce =
      listedIds.length === createdIds.length &&
      new Set(listedIds).size === createdIds.length &&
      createdIds.every((id) => listedIds.includes(id))
    const synced = await waitForSyncs(ctx, created.results)
    const deleted = await runConcurrently(
      created.results.map(
        ({ org, id }) =>
          () =>
            request(org, 'DELETE', `/v1/mcp-servers/${id}`),
      ),
      CLIENTS,
    )
    await streamPoller.idle()
    await streamPoller.idle()
    const left = await leftovers(ctx, createdIds)
    const createStats = summarize(created.latencies, created.wallMs)
    const floorStats = summarize(floor.latencies, floor.wallMs)
    const ratio = Math.round((createStats.p50 / floorStats.p50) * 100) / 100
    return [
      ...rowsFor('POST /v1/mcp-servers/', createStats),
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
    await Promise.all([sqsPoller.stop(), streamPoller.stop(), api.close(), mcp.close()])
  }
}

/** What a create costs underneath: the same transaction, data key and queue message, direct. */
const storageFloor = async (ctx: BenchContext, name: string) => {
  const { deps } = ctx
  const org = 'floor'
  const id = `mcp_server-${randomUUID()}`
  const key = await deps.keys.generate({ organization_id: org, mcp_server_id: id })
  await deps.db.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: deps.config.tableName,
            Item: { ...serverKey(org, id), type: 'floor', wrapped_key: key.wrapped },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: deps.config.tableName,
            Item: { ...nameClaimKey(org, name), type: 'floor', server_id: id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  )
  await deps.queue.send({
    organization_id: org,
    server_id: id,
    config_version: 1,
    reason: 'created',
  })
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
