import { GetCommand } from '@aws-sdk/lib-dynamodb'
import Letta from '@letta-ai/letta-client'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { serverKey } from '../../../core/keys.js'
import { syncHandler } from '../../../functions/worker/sync-handler.js'
import { startSqsPoller, type Poller } from '../../../infra/local/pollers/sqs.js'
import {
  simpleTool,
  startMutableServer,
  type MutableServer,
} from '../../fixtures/mcp/mutable-server.js'
import { clientsFor } from '../../support/aws.js'
import { newOrg, testApp } from '../../support/deps.js'
import { privateQueue } from '../../support/queue.js'
import { serveApp } from '../../support/serve.js'

const ROUNDS = 20
/** Lifecycles run side by side, in waves of this many. */
const WAVE = 5
/** Every tools/list page waits this long, so the PATCH's sync is still running at the refresh. */
const LIST_DELAY_MS = 700

let api: Awaited<ReturnType<typeof serveApp>>
let worker: Poller
let client: Letta
let ctx: ReturnType<typeof testApp>
let organizationId: string
const upstreams: MutableServer[] = []

// The API served over HTTP for the official client, and the sync worker fed by its own queue
// through the same SQS poller as npm start: the whole path a user's refresh takes.
beforeAll(async () => {
  const queueUrl = await privateQueue(clientsFor(inject('endpoints')).sqs, 'refresh-sync')
  ctx = testApp({ syncQueueUrl: queueUrl })
  const org = await newOrg(ctx.deps)
  organizationId = org.organizationId
  api = await serveApp(ctx.app)
  worker = startSqsPoller({
    sqs: ctx.clients.sqs,
    queueUrl,
    handler: syncHandler({ sync: ctx.deps.sync, log: ctx.deps.log }),
  })
  // No retries: a single 409 would fail the test instead of being retried away.
  client = new Letta({ baseURL: api.baseURL, apiKey: org.key, maxRetries: 0 })
  for (let i = 0; i < ROUNDS; i++) {
    const upstream = await startMutableServer([simpleTool('alpha'), simpleTool('beta')])
    upstream.setListDelay(LIST_DELAY_MS)
    upstreams.push(upstream)
  }
}, 60_000)

afterAll(async () => {
  await worker?.stop()
  await Promise.all([api?.close(), ...upstreams.map((u) => u.close())])
})

type Sync = { status: string; tool_count: number }
const syncOf = async (id: string) =>
  ((await client.mcpServers.retrieve(id)) as unknown as { sync: Sync }).sync

const settled = async (id: string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const sync = await syncOf(id)
    if (sync.status === 'ok' || sync.status === 'failed' || Date.now() > deadline) return sync
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** create → sync → PATCH (rename + new header) → run a tool → refresh, against a slow server. */
const lifecycle = async (round: number) => {
  const upstream = upstreams[round]!
  const created = await client.mcpServers.create({
    server_name: `slow-${round}`,
    config: { mcp_server_type: 'streamable_http', server_url: upstream.url() },
  })
  const id = created.id as string
  expect(await settled(id, 60_000)).toMatchObject({ status: 'ok', tool_count: 2 })
  await client.mcpServers.update(id, {
    server_name: `slow-${round}-renamed`,
    config: {
      mcp_server_type: 'streamable_http',
      server_url: upstream.url(),
      custom_headers: { 'X-Round': `r${round}` },
    },
  } as never)
  const tools = await client.mcpServers.tools.list(id)
  const alpha = tools.find((t) => t.name === 'alpha')!
  const ran = await client.mcpServers.tools.run(alpha.id as string, {
    mcp_server_id: id,
    args: { text: `round ${round}` },
  })
  expect(ran).toMatchObject({ status: 'success', func_return: `alpha: {"text":"round ${round}"}` })
  // The PATCH's own sync is running (each list takes LIST_DELAY_MS): the refresh waits for it.
  const diff = await client.mcpServers.refresh(id)
  expect(diff).toEqual({ added: [], updated: [], deleted: [] })
  expect(upstream.lastHeaders()['x-round']).toBe(`r${round}`)
  const after = await client.mcpServers.tools.list(id)
  expect(after.map((t) => [t.name, t.tags]).sort()).toEqual([
    ['alpha', [`mcp:slow-${round}-renamed`]],
    ['beta', [`mcp:slow-${round}-renamed`]],
  ])
  return id
}

describe('Refresh while a sync runs, with the official client', () => {
  it(`Should answer every one of ${ROUNDS} lifecycles' refreshes 200 with the diff, never 409`, async () => {
    const ids: string[] = []
    for (let wave = 0; wave < ROUNDS; wave += WAVE) {
      const rounds = Array.from({ length: WAVE }, (_, i) => lifecycle(wave + i))
      ids.push(...(await Promise.all(rounds)))
    }
    // Every PATCH's sync ended within seconds, and left no lease behind.
    for (const id of ids) {
      expect(await settled(id, 10_000)).toMatchObject({ status: 'ok', tool_count: 2 })
      const item = await ctx.deps.db.send(
        new GetCommand({
          TableName: ctx.deps.config.tableName,
          Key: serverKey(organizationId, id),
        }),
      )
      expect(item.Item?.config_version).toBe(2)
      expect(item.Item).not.toHaveProperty('sync_lease_until')
    }
  }, 300_000)
})
