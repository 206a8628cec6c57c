import { CreateTableCommand } from '@aws-sdk/client-dynamodb'
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { serverKey } from '../../../core/keys.js'
import type { StdioGateway, SyncMessage } from '../../../core/ports.js'
import { sweepStaleSyncs } from '../../../core/tools/sweep.js'
import { syncServer, type SyncDeps } from '../../../core/tools/sync.js'
import { tableDefinition } from '../../../infra/local/provision.js'
import { freePort } from '../../../infra/local/ports.js'
import {
  simpleTool,
  startMutableServer,
  type MutableServer,
} from '../../fixtures/mcp/mutable-server.js'
import { startHttpFixture, status } from '../../fixtures/mcp/http-fixture.js'
import { clientsFor } from '../../support/aws.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'
import { drainBodies, privateQueue } from '../../support/queue.js'

const { sqs, dynamodb } = clientsFor(inject('endpoints'))
let slow: MutableServer
let fast: MutableServer

const setup = async (overrides: Parameters<typeof testApp>[0] = {}) => {
  const queueUrl = await privateQueue(sqs, 'heal')
  const built = testApp({ syncQueueUrl: queueUrl, ...overrides })
  const org = await newOrg(built.deps)
  const call = apiCaller(built.app, org.auth)
  const register = async (name: string, url: string) => {
    const res = await call('POST', '/v1/mcp-servers/', {
      server_name: name,
      config: { mcp_server_type: 'streamable_http', server_url: url },
    })
    expect(res.status).toBe(200)
    return res.json.id as string
  }
  const message = (id: string, version = 1, extra = {}): SyncMessage => ({
    organization_id: org.organizationId,
    server_id: id,
    config_version: version,
    reason: 'created',
    ...extra,
  })
  const item = async (id: string) =>
    (
      await built.deps.db.send(
        new GetCommand({
          TableName: built.deps.config.tableName,
          Key: serverKey(org.organizationId, id),
        }),
      )
    ).Item ?? {}
  const sync = async (id: string) => (await call('GET', `/v1/mcp-servers/${id}`)).json.sync
  const queued = async () => {
    await drainBodies(sqs, queueUrl) // the create's own message
    return queueUrl
  }
  return { ...built, org, call, register, message, item, sync, queueUrl, queued }
}

const waitFor = async (check: () => Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

beforeAll(async () => {
  ;[slow, fast] = await Promise.all([
    startMutableServer([simpleTool('alpha'), simpleTool('beta')]),
    startMutableServer([simpleTool('alpha'), simpleTool('beta')]),
  ])
  slow.setListDelay(1_500)
})

afterAll(async () => {
  await Promise.all([slow?.close(), fast?.close()])
})

describe('Leases', () => {
  it('Should let the new version sync at once after a PATCH during a running sync', async () => {
    const ctx = await setup()
    const id = await ctx.register('patched-mid-sync', slow.url())
    const first = syncServer(ctx.deps.sync, ctx.message(id))
    await waitFor(async () => (await ctx.sync(id)).status === 'syncing')
    const patched = await ctx.call('PATCH', `/v1/mcp-servers/${id}`, {
      config: {
        mcp_server_type: 'streamable_http',
        server_url: fast.url(),
        custom_headers: { 'X-New': 'yes' },
      },
    })
    expect(patched.status).toBe(200)
    expect(await ctx.item(id)).not.toHaveProperty('sync_lease_until')

    // Claimed at once (not 'busy' behind the old version's lease), while the old sync still runs.
    const second = await syncServer(ctx.deps.sync, ctx.message(id, 2))

    expect(second).toMatchObject({ outcome: 'ok', toolCount: 2 })
    expect(await first).toEqual({ outcome: 'skipped', why: 'superseded' })
    const item = await ctx.item(id)
    expect(item).not.toHaveProperty('sync_lease_until')
    expect(item.sync).toMatchObject({ status: 'ok', tool_count: 2 })
    expect(fast.lastHeaders()['x-new']).toBe('yes')
  })

  it('Should answer a refresh during a running sync with the diff once it ends', async () => {
    const ctx = await setup()
    const id = await ctx.register('refreshed-mid-sync', slow.url())
    const running = syncServer(ctx.deps.sync, ctx.message(id))
    await waitFor(async () => (await ctx.sync(id)).status === 'syncing')

    const refreshed = await ctx.call('PATCH', `/v1/mcp-servers/${id}/refresh`)

    expect(refreshed).toEqual({ status: 200, json: { added: [], updated: [], deleted: [] } })
    expect(await running).toMatchObject({ outcome: 'ok', toolCount: 2 })
    expect(await ctx.item(id)).not.toHaveProperty('sync_lease_until')
  })

  it('Should take over from a sync that holds its lease past the wait', async () => {
    const ctx = await setup({ refreshTimeoutMs: 1_000 })
    const id = await ctx.register('stuck-holder', fast.url())
    // A worker that claimed the server and died: its lease would hold for minutes.
    const stuck = await ctx.deps.sync.leases.claim(ctx.org.organizationId, id, 1, 600_000)
    expect(stuck.ok).toBe(true)

    const refreshed = await ctx.call('PATCH', `/v1/mcp-servers/${id}/refresh`)

    expect(refreshed).toEqual({
      status: 200,
      json: { added: ['alpha', 'beta'], updated: [], deleted: [] },
    })
    expect(await ctx.item(id)).not.toHaveProperty('sync_lease_until')
  })

  it('Should report another sync of the same version as busy, with the stored version', async () => {
    const ctx = await setup()
    const id = await ctx.register('busy', fast.url())
    const leases = ctx.deps.sync.leases
    expect((await leases.claim(ctx.org.organizationId, id, 1, 60_000)).ok).toBe(true)
    expect(await leases.claim(ctx.org.organizationId, id, 1, 60_000)).toEqual({
      ok: false,
      why: 'busy',
      configVersion: 1,
    })
    expect(await leases.claim(ctx.org.organizationId, id, 7, 60_000)).toEqual({
      ok: false,
      why: 'stale',
      configVersion: 1,
    })
  })
})

describe('Progress of a stdio first start', () => {
  const INSTALLING =
    'installing package @modelcontextprotocol/server-memory (first start may take a while)'

  it('Should show "installing package" while an npx server starts, and drop it when done', async () => {
    const ctx = await setup()
    const created = await ctx.call('POST', '/v1/mcp-servers/', {
      server_name: 'npx-memory',
      config: {
        mcp_server_type: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory'],
      },
    })
    expect(created.status).toBe(200)
    const id = created.json.id as string
    let answer = (_tools: { name: string }[]) => {}
    const stdio: StdioGateway = {
      listTools: () => new Promise((resolve) => (answer = resolve)),
      callTool: () => Promise.reject(new Error('not used')),
      classify: (error) => ({ code: 'other', message: String(error) }),
      evict: async () => {},
    }
    const running = syncServer({ ...ctx.deps.sync, stdio }, ctx.message(id))

    await waitFor(async () => (await ctx.sync(id)).message !== undefined)
    expect(await ctx.sync(id)).toMatchObject({ status: 'syncing', message: INSTALLING })
    answer([{ name: 'read_graph' }])

    expect(await running).toMatchObject({ outcome: 'ok', toolCount: 1 })
    const done = await ctx.sync(id)
    expect(done).toMatchObject({ status: 'ok', tool_count: 1 })
    expect(done).not.toHaveProperty('message')
  })

  it('Should take a message only while the sync holds its lease, and clear it at the next claim', async () => {
    const ctx = await setup()
    const id = await ctx.register('progress-lease', fast.url())
    const leases = ctx.deps.sync.leases
    const claim = await leases.claim(ctx.org.organizationId, id, 1, 60_000)
    if (!claim.ok) throw new Error(`claim failed: ${claim.why}`)
    expect(await leases.progress(claim.server, claim.generation, INSTALLING)).toBe(true)
    expect((await ctx.item(id)).sync).toMatchObject({ status: 'syncing', message: INSTALLING })
    await leases.release(claim.server, claim.generation)
    // Released (or finished): a late progress write lands nowhere.
    expect(await leases.progress(claim.server, claim.generation, 'late')).toBe(false)
    expect((await ctx.item(id)).sync.message).toBe(INSTALLING)
    const next = await leases.claim(ctx.org.organizationId, id, 1, 60_000)
    expect(next.ok).toBe(true)
    expect((await ctx.item(id)).sync).not.toHaveProperty('message')
  })
})

describe('Automatic retries', () => {
  it('Should retry a refused connection with backoff until the retries run out', async () => {
    const ctx = await setup()
    const deps: SyncDeps = { ...ctx.deps.sync, retryBackoffSeconds: [1, 2] }
    const port = await freePort()
    const id = await ctx.register('refused', `http://127.0.0.1:${port}/mcp`)
    const queueUrl = await ctx.queued()

    const before = Date.now()
    const first = await syncServer(deps, ctx.message(id))

    expect(first.outcome).toBe('failed')
    const state = (await ctx.sync(id)) as { next_retry_at: string; error: { code: string } }
    expect(state.error.code).toBe('connection_refused')
    const due = Date.parse(state.next_retry_at) - before
    expect(due).toBeGreaterThanOrEqual(1_000)
    expect(due).toBeLessThan(3_000)
    await new Promise((r) => setTimeout(r, 1_200))
    expect(await drainBodies(sqs, queueUrl)).toEqual([
      { ...ctx.message(id), reason: 'retry', attempt: 1 },
    ])

    const second = await syncServer(deps, ctx.message(id, 1, { reason: 'retry', attempt: 1 }))
    expect(second.outcome).toBe('failed')
    expect(Date.parse((await ctx.sync(id)).next_retry_at) - Date.now()).toBeGreaterThan(1_000)

    const last = await syncServer(deps, ctx.message(id, 1, { reason: 'retry', attempt: 2 }))
    expect(last).toMatchObject({ outcome: 'failed' })
    expect(await ctx.sync(id)).not.toHaveProperty('next_retry_at')
    await new Promise((r) => setTimeout(r, 2_200))
    expect(await drainBodies(sqs, queueUrl)).toEqual([
      { ...ctx.message(id), reason: 'retry', attempt: 2 },
    ])
  })

  it('Should not retry a failure that cannot pass by itself (HTTP 404)', async () => {
    const ctx = await setup()
    const deps: SyncDeps = { ...ctx.deps.sync, retryBackoffSeconds: [0] }
    const missing = await startHttpFixture(status(404, 'Not Found'))
    const id = await ctx.register('not-found', missing.url())
    const queueUrl = await ctx.queued()

    expect(await syncServer(deps, ctx.message(id))).toMatchObject({ outcome: 'failed' })

    const state = await ctx.sync(id)
    await missing.close()
    expect(state).toMatchObject({ status: 'failed', error: { code: 'not_found' } })
    expect(state).not.toHaveProperty('next_retry_at')
    expect(await drainBodies(sqs, queueUrl)).toEqual([])
  })

  it('Should say a service fault on the last delivery is final', async () => {
    const ctx = await setup()
    const fault = Object.assign(new Error('throttled'), { name: 'ThrottlingException' })
    const deps: SyncDeps = {
      ...ctx.deps.sync,
      tools: Object.assign(Object.create(ctx.deps.sync.tools), {
        apply: () => Promise.reject(fault),
      }),
    }
    const id = await ctx.register('dead-lettered', fast.url())
    const delivery = (receiveCount: number) => ({ receiveCount, maxReceiveCount: 5 })

    const before = Date.now()
    await expect(syncServer(deps, ctx.message(id), delivery(4))).rejects.toBe(fault)
    const retried = await ctx.sync(id)
    expect(retried.error.message).toBe(
      'sync interrupted by a service fault (ThrottlingException); it will be retried',
    )
    // The queue delivers it again after its visibility timeout; the sweep finds it if it never does.
    const due = Date.parse(retried.next_retry_at) - before
    expect(due).toBeGreaterThanOrEqual(360_000)
    expect(due).toBeLessThan(370_000)
    await expect(syncServer(deps, ctx.message(id), delivery(5))).rejects.toBe(fault)
    expect(await ctx.sync(id)).toMatchObject({
      status: 'failed',
      error: {
        code: 'other',
        message:
          'sync interrupted by a service fault (ThrottlingException); no more retries; refresh the server to try again',
      },
    })
    expect(await ctx.sync(id)).not.toHaveProperty('next_retry_at')
    expect(await ctx.item(id)).not.toHaveProperty('sync_lease_until')
  })
})

describe('The sweep of lost syncs', () => {
  let ctx: Awaited<ReturnType<typeof setup>>

  beforeAll(async () => {
    // A table of its own: the sweep scans the whole table.
    const tableName = `heal-sweep-${process.pid}-${Date.now().toString(36)}`
    await dynamodb.send(new CreateTableCommand({ ...tableDefinition(), TableName: tableName }))
    ctx = await setup({ tableName })
  })

  const set = (id: string, expression: string, values: Record<string, unknown>) =>
    ctx.deps.db.send(
      new UpdateCommand({
        TableName: ctx.deps.config.tableName,
        Key: serverKey(ctx.org.organizationId, id),
        UpdateExpression: expression,
        ExpressionAttributeNames: { '#sync': 'sync', '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    )

  it('Should re-queue pending, dead syncing and overdue retries, and leave the rest', async () => {
    const pending = await ctx.register('lost-pending', fast.url())
    const dead = await ctx.register('dead-syncing', fast.url())
    const live = await ctx.register('live-syncing', fast.url())
    const overdue = await ctx.register('overdue-retry', fast.url())
    const fine = await ctx.register('fine', fast.url())
    expect((await syncServer(ctx.deps.sync, ctx.message(fine))).outcome).toBe('ok')
    await ctx.deps.sync.leases.claim(ctx.org.organizationId, dead, 1, 60_000)
    await set(dead, 'SET sync_lease_until = :past, #sync.#status = :syncing', {
      ':past': Date.now() - 1,
      ':syncing': 'syncing',
    })
    await ctx.deps.sync.leases.claim(ctx.org.organizationId, live, 1, 60_000)
    await set(overdue, 'SET #sync.#status = :failed, #sync.next_retry_at = :past', {
      ':failed': 'failed',
      ':past': new Date(Date.now() - 60_000).toISOString(),
    })
    const queueUrl = await ctx.queued()
    const queuedIds = async () =>
      ((await drainBodies(sqs, queueUrl)) as SyncMessage[])
        .map((m) => [m.server_id, m.reason, m.config_version])
        .sort()

    expect(await sweepStaleSyncs(ctx.deps.sweep, { graceMs: 0 })).toBe(3)
    expect(await queuedIds()).toEqual(
      [
        [pending, 'sweep', 1],
        [dead, 'sweep', 1],
        [overdue, 'sweep', 1],
      ].sort(),
    )

    // After a restart nothing can still be running: the live-looking lease goes too.
    expect(await sweepStaleSyncs(ctx.deps.sweep, { graceMs: 0, afterRestart: true })).toBe(4)
    expect((await queuedIds()).map(([id]) => id)).toEqual([pending, dead, live, overdue].sort())
    expect(await ctx.item(live)).not.toHaveProperty('sync_lease_until')
    expect(await syncServer(ctx.deps.sync, ctx.message(live))).toMatchObject({ outcome: 'ok' })

    // A grace longer than their age leaves the pending server and the retry alone; a sync whose
    // lease is gone is re-queued whatever its age.
    expect(await sweepStaleSyncs(ctx.deps.sweep, { graceMs: 3_600_000 })).toBe(1)
  })
})

describe('The sweep at npm start', () => {
  it("Should queue a failed server's retry that is not due yet, delayed until it is", async () => {
    const tableName = `heal-restart-${process.pid}-${Date.now().toString(36)}`
    await dynamodb.send(new CreateTableCommand({ ...tableDefinition(), TableName: tableName }))
    const ctx = await setup({ tableName })
    const id = await ctx.register('retry-to-come', fast.url())
    const due = new Date(Date.now() + 120_000).toISOString()
    await ctx.deps.db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: serverKey(ctx.org.organizationId, id),
        UpdateExpression: 'SET #sync.#status = :failed, #sync.next_retry_at = :due',
        ExpressionAttributeNames: { '#sync': 'sync', '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':due': due },
      }),
    )
    const queueUrl = await ctx.queued()
    const found = async (afterRestart: boolean) => {
      const all = []
      const now = new Date()
      for await (const s of ctx.deps.sweep.stale.find({ now, before: now, afterRestart })) {
        all.push(s)
      }
      return all
    }

    // While the stack runs its retry message is queued: the sweep leaves it alone.
    expect(await found(false)).toEqual([])
    // After a restart that message is gone: the retry is queued again, to run when it was due.
    const lost = { organizationId: ctx.org.organizationId, id, configVersion: 1, retryAt: due }
    expect(await found(true)).toEqual([lost])
    expect(await sweepStaleSyncs(ctx.deps.sweep, { graceMs: 0, afterRestart: true })).toBe(1)
    expect(await drainBodies(sqs, queueUrl)).toEqual([]) // delayed by about 120 s
  })
})
