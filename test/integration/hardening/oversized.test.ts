import type { SQSEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncServer } from '../../../core/tools/sync.js'
import { syncHandler } from '../../../functions/worker/sync-handler.js'
import { startFloodServer, type FloodServer } from '../../fixtures/mcp/flood-server.js'
import {
  startMutableServer,
  simpleTool,
  type MutableServer,
} from '../../fixtures/mcp/mutable-server.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'

const MB = 1024 * 1024
/** What the hostile servers offer; without a cap the worker would hold all of it in one string. */
const FLOOD = 400 * MB
/** The worker's resident memory may grow by at most this much while the flood is offered. */
const RSS_BOUND = 256 * MB
const NOT_MCP = 'The server is not returning valid MCP (JSON-RPC) responses'

let ctx: ReturnType<typeof testApp>
let healthy: MutableServer
const floods: FloodServer[] = []

const flood = async (...args: Parameters<typeof startFloodServer>) => {
  const server = await startFloodServer(...args)
  floods.push(server)
  return server
}

const register = async (auth: Record<string, string>, name: string, url: string) => {
  const config = { mcp_server_type: 'streamable_http', server_url: url }
  const res = await apiCaller(ctx.app, auth)('POST', '/v1/mcp-servers/', {
    server_name: name,
    config,
  })
  expect(res.status).toBe(200)
  return res.json.id as string
}

const record = (organization: string, server: string, id: string) => ({
  messageId: id,
  body: JSON.stringify({
    organization_id: organization,
    server_id: server,
    config_version: 1,
    reason: 'created',
  }),
})

/** Runs `work` while sampling RSS every 10 ms; the largest growth seen. */
const peakGrowth = async (work: () => Promise<unknown>) => {
  global.gc?.()
  const base = process.memoryUsage().rss
  let peak = base
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
  try {
    await work()
  } finally {
    clearInterval(timer)
  }
  return Math.max(peak, process.memoryUsage().rss) - base
}

beforeAll(async () => {
  // Generous timeouts: the caps, not the clock, must end these reads (on a slow machine too).
  ctx = testApp({ listTimeoutMs: 30_000, runTimeoutMs: 30_000 })
  healthy = await startMutableServer([simpleTool('alpha')])
})

afterAll(async () => {
  await Promise.all([healthy?.close(), ...floods.map((f) => f.close())])
})

describe('Upstream answers past the size cap', () => {
  it("Should abort an endless SSE line within the worker's memory bound and still sync another organization's server in the same batch", async () => {
    // Prepare: three hostile servers in organization A, a healthy one in organization B.
    const a = await newOrg(ctx.deps)
    const b = await newOrg(ctx.deps)
    const hostile = await Promise.all([0, 1, 2].map(() => flood('sse', FLOOD)))
    const hostileIds = await Promise.all(
      hostile.map((h, i) => register(a.auth, `flood-${i}`, h.url())),
    )
    const healthyId = await register(b.auth, 'bystander', healthy.url())
    const event = {
      Records: [
        ...hostileIds.map((id, i) => record(a.organizationId, id, `m-a${i}`)),
        record(b.organizationId, healthyId, 'm-b'),
      ],
    } as unknown as SQSEvent

    // Act
    let answer: unknown
    const growth = await peakGrowth(async () => {
      answer = await syncHandler({ sync: ctx.deps.sync, log: ctx.deps.log })(event)
    })

    // Assess
    expect(answer).toEqual({ batchItemFailures: [] })
    console.log(`worker RSS grew by ${(growth / MB).toFixed(0)} MB`)
    expect(growth).toBeLessThan(RSS_BOUND)
    for (const h of hostile) expect(h.sent()).toBeLessThan(48 * MB)
    for (const id of hostileIds) {
      const got = (await apiCaller(ctx.app, a.auth)('GET', `/v1/mcp-servers/${id}`)).json
      expect(got.sync).toMatchObject({
        status: 'failed',
        error: { code: 'invalid_response', message: `${NOT_MCP}: response larger than 32 MB` },
      })
    }
    const tools = (await apiCaller(ctx.app, b.auth)('GET', `/v1/mcp-servers/${healthyId}/tools`))
      .json
    expect(tools.map((t: { name: string }) => t.name)).toEqual(['alpha'])
  }, 60_000)

  it('Should abort a JSON body past the cap and classify it', async () => {
    const org = await newOrg(ctx.deps)
    const server = await flood('json', FLOOD, ['tools/list'])
    const id = await register(org.auth, 'flood-json', server.url())
    const outcome = await syncServer(ctx.deps.sync, {
      organization_id: org.organizationId,
      server_id: id,
      config_version: 1,
      reason: 'created',
    })
    expect(outcome).toMatchObject({ outcome: 'failed' })
    const got = (await apiCaller(ctx.app, org.auth)('GET', `/v1/mcp-servers/${id}`)).json
    expect(got.sync.error).toEqual({
      code: 'invalid_response',
      message: `${NOT_MCP}: response larger than 32 MB`,
    })
    expect(server.sent()).toBeLessThan(48 * MB)
  })

  it('Should cap a tool result at 8 MB and answer 502 naming the cap', async () => {
    const org = await newOrg(ctx.deps)
    const server = await flood('json', FLOOD, ['tools/call'])
    const id = await register(org.auth, 'flood-call', server.url())
    await syncServer(ctx.deps.sync, {
      organization_id: org.organizationId,
      server_id: id,
      config_version: 1,
      reason: 'created',
    })
    const call = apiCaller(ctx.app, org.auth)
    const [tool] = (await call('GET', `/v1/mcp-servers/${id}/tools`)).json
    const res = await call('POST', `/v1/mcp-servers/${id}/tools/${tool.id}/run`, { args: {} })
    expect(res.status).toBe(502)
    expect(res.json.error.detail).toBe(
      `INTERNAL_SERVER_ERROR: ${NOT_MCP}: response larger than 8 MB`,
    )
    expect(server.sent()).toBeLessThan(24 * MB)
  })
})
