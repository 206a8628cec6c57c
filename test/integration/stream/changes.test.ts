import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { startStreamPoller, type StreamPoller } from '../../../infra/local/pollers/stream.js'
import type { ServerChildren } from '../../../core/ports.js'
import { batchWrite } from '../../../core/adapters/dynamo/batch-write.js'
import { toolKey } from '../../../core/keys.js'
import { syncServer } from '../../../core/tools/sync.js'
import { changesHandler } from '../../../functions/stream/changes-handler.js'
import { startPagedServer, toolName } from '../../fixtures/mcp/paged-server.js'
import {
  simpleTool,
  startMutableServer,
  type MutableServer,
} from '../../fixtures/mcp/mutable-server.js'
import type { HttpFixture } from '../../fixtures/mcp/http-fixture.js'
import { clientsFor } from '../../support/aws.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'
import { privateQueue } from '../../support/queue.js'
import { scanAll } from '../../support/scan.js'

let ctx: Awaited<ReturnType<typeof setup>>
let big: HttpFixture
let small: MutableServer
let poller: StreamPoller
const seen: DynamoDBRecord[] = []

const setup = async () => {
  const clients = clientsFor(inject('endpoints'))
  const built = testApp({ syncQueueUrl: await privateQueue(clients.sqs, 'stream') })
  const org = await newOrg(built.deps)
  const call = apiCaller(built.app, org.auth)
  const register = async (name: string, url: string) => {
    const res = await call('POST', '/v1/mcp-servers/', {
      server_name: name,
      config: { mcp_server_type: 'streamable_http', server_url: url },
    })
    await syncServer(built.deps.sync, {
      organization_id: org.organizationId,
      server_id: res.json.id,
      config_version: 1,
      reason: 'created',
    })
    return res.json as { id: string }
  }
  return { ...built, clients, org, call, register }
}

/** This org's stream records for one server item, as the real stream delivered them. */
const recordsFor = async (serverId: string, eventName: string) => {
  const deadline = Date.now() + 10_000
  for (;;) {
    await poller.idle()
    const found = seen.filter(
      (r) => r.eventName === eventName && r.dynamodb?.Keys?.sk?.S === `SERVER#${serverId}`,
    )
    if (found.length || Date.now() > deadline) return found
  }
}

const scanOrg = async () => {
  const items = await scanAll(ctx.deps, ctx.org.organizationId)
  return items
    .map((i) => `${i.pk} ${i.sk} ${i.server_name ?? ''} ${JSON.stringify(i.tags ?? '')}`)
    .sort()
}

const event = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records })

beforeAll(async () => {
  ;[ctx, big, small] = await Promise.all([
    setup(),
    startPagedServer({ tools: 1000, pageSize: 200 }),
    startMutableServer(['one', 'two', 'three'].map((n) => simpleTool(n))),
  ])
  poller = startStreamPoller({
    streams: ctx.clients.streams,
    streamArn: inject('provisioned').streamArn,
    startFrom: 'LATEST',
    handler: async (e) => {
      seen.push(...e.Records)
    },
  })
  await poller.idle()
}, 60_000)

afterAll(async () => {
  await Promise.all([poller?.stop(), big?.close(), small?.close()])
})

describe('Stream handler: cascade on delete', () => {
  it('Should remove every item of a deleted server, and only those, even when replayed', async () => {
    const doomed = await ctx.register('doomed', big.url())
    const kept = await ctx.register('kept', small.url())
    const doomedTool = (await ctx.call('GET', `/v1/mcp-servers/${doomed.id}/tools?limit=1`)).json[0]
    expect((await ctx.call('GET', `/v1/tools/${doomedTool.id}`)).status).toBe(200)
    const deleted = await ctx.call('DELETE', `/v1/mcp-servers/${doomed.id}`)
    expect(deleted.status).toBe(204)
    const records = await recordsFor(doomed.id, 'REMOVE')
    expect(records).toHaveLength(1)

    const handler = changesHandler(ctx.deps)
    expect(await handler(event(records))).toEqual({ batchItemFailures: [] })
    expect((await ctx.call('GET', `/v1/tools/${doomedTool.id}`)).status).toBe(404)
    const clean = await scanOrg()
    expect(clean.filter((line) => line.includes(doomed.id))).toEqual([])
    expect(clean.filter((line) => line.includes(`SERVER#${kept.id} TOOL#`))).toHaveLength(3)

    expect(await handler(event(records))).toEqual({ batchItemFailures: [] })
    expect(await scanOrg()).toEqual(clean)
    const tools = (await ctx.call('GET', `/v1/mcp-servers/${kept.id}/tools`)).json
    expect(tools.map((t: { name: string }) => t.name).sort()).toEqual(['one', 'three', 'two'])
  })

  it('Should finish the cascade on retry after failing halfway', async () => {
    const doomed = await ctx.register('halfway', big.url())
    await ctx.call('DELETE', `/v1/mcp-servers/${doomed.id}`)
    const records = await recordsFor(doomed.id, 'REMOVE')
    let calls = 0
    const flaky: ServerChildren = {
      retag: (...args) => ctx.deps.children.retag(...args),
      deleteAll: async (org, id) => {
        if (calls++ === 0) {
          // Delete some of the tools, then crash, as a Lambda timeout would.
          const some = Array.from({ length: 300 }, (_, i) => ({
            DeleteRequest: { Key: toolKey(org, id, toolName(i)) },
          }))
          await batchWrite(ctx.deps.db, ctx.deps.config.tableName, some)
          throw new Error('crashed halfway')
        }
        return ctx.deps.children.deleteAll(org, id)
      },
    }
    const handler = changesHandler({ ...ctx.deps, children: flaky })
    const first = await handler(event(records)).catch((error: Error) => error.name)
    expect(first).toBe('FullBatchFailureError')
    expect(
      (await scanOrg()).filter((line) => line.includes(`SERVER#${doomed.id} TOOL#`)),
    ).toHaveLength(700)
    expect(await handler(event(records))).toEqual({ batchItemFailures: [] })
    expect((await scanOrg()).filter((line) => line.includes(doomed.id))).toEqual([])
  })
})

describe('Stream handler: rename', () => {
  it('Should re-tag every tool of a renamed server', async () => {
    const server = await ctx.register('before-rename', small.url())
    const renamed = await ctx.call('PATCH', `/v1/mcp-servers/${server.id}`, {
      server_name: 'after-rename',
      config: { mcp_server_type: 'streamable_http' },
    })
    expect(renamed.status).toBe(200)
    const records = (await recordsFor(server.id, 'MODIFY')).filter(
      (r) => r.dynamodb?.NewImage?.server_name?.S === 'after-rename',
    )
    expect(records).toHaveLength(1)
    await changesHandler(ctx.deps)(event(records))
    const tools = (await ctx.call('GET', `/v1/mcp-servers/${server.id}/tools`)).json
    expect(tools).toHaveLength(3)
    for (const tool of tools) {
      expect(tool.tags).toEqual(['mcp:after-rename'])
      expect(tool.metadata_).toEqual({ mcp: { server_name: 'after-rename', server_id: server.id } })
    }
  })
})
