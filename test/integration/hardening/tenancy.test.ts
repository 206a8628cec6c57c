import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncServer } from '../../../core/tools/sync.js'
import {
  simpleTool,
  startMutableServer,
  type MutableServer,
} from '../../fixtures/mcp/mutable-server.js'
import { newOrg, testApp } from '../../support/deps.js'
import { scanAll } from '../../support/scan.js'

let ctx: ReturnType<typeof testApp>
let mcp: MutableServer
let a: Awaited<ReturnType<typeof newOrg>>
let b: Awaited<ReturnType<typeof newOrg>>
let serverId: string
let toolId: string

const call = async (auth: Record<string, string>, method: string, path: string, body?: unknown) => {
  const res = await ctx.app.request(path, {
    method,
    headers: { ...auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, text: await res.text() }
}

const snapshot = async () => {
  const items = await scanAll(ctx.deps, a.organizationId)
  return JSON.stringify(
    items.map((i) => [i.pk, i.sk, i.revision ?? null, i.updated_at ?? null]).sort(),
  )
}

beforeAll(async () => {
  ctx = testApp()
  mcp = await startMutableServer([simpleTool('alpha')])
  a = await newOrg(ctx.deps)
  b = await newOrg(ctx.deps)
  const created = await call(a.auth, 'POST', '/v1/mcp-servers/', {
    server_name: 'victim',
    config: {
      mcp_server_type: 'streamable_http',
      server_url: mcp.url(),
      auth_token: 'victim-secret-1234',
    },
  })
  serverId = JSON.parse(created.text).id
  await syncServer(ctx.deps.sync, {
    organization_id: a.organizationId,
    server_id: serverId,
    config_version: 1,
    reason: 'created',
  })
  toolId = JSON.parse((await call(a.auth, 'GET', `/v1/mcp-servers/${serverId}/tools`)).text)[0].id
})

afterAll(() => mcp?.close())

describe("Organization B against organization A's server and tools (ids leaked)", () => {
  const routes = (): [string, string, unknown?][] => [
    ['GET', `/v1/mcp-servers/${serverId}`],
    [
      'PATCH',
      `/v1/mcp-servers/${serverId}`,
      {
        server_name: 'owned',
        config: { mcp_server_type: 'streamable_http', server_url: 'https://evil.example.com/mcp' },
      },
    ],
    ['DELETE', `/v1/mcp-servers/${serverId}`],
    ['GET', `/v1/mcp-servers/${serverId}/tools`],
    ['GET', `/v1/mcp-servers/${serverId}/tools/${toolId}`],
    ['POST', `/v1/mcp-servers/${serverId}/tools/${toolId}/run`, { args: { text: 'x' } }],
    ['PATCH', `/v1/mcp-servers/${serverId}/refresh`],
    ['GET', `/v1/mcp-servers/connect/${serverId}`],
    ['GET', `/v1/tools/${toolId}`],
  ]

  it('Should answer 404 on every route and change nothing', async () => {
    const before = await snapshot()
    const requestsBefore = mcp.requests()
    for (const [method, path, body] of routes()) {
      const res = await call(b.auth, method, path, body)
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 })
      expect(res.text).not.toContain('victim')
    }
    expect(await snapshot()).toEqual(before)
    expect(mcp.requests()).toBe(requestsBefore)
    const mine = JSON.parse((await call(b.auth, 'GET', '/v1/mcp-servers/')).text)
    expect(mine).toEqual([])
  })

  it("Should still serve organization A's own requests", async () => {
    for (const [method, path] of routes().filter(([m]) => m === 'GET')) {
      expect((await call(a.auth, method, path)).status).toBe(200)
    }
  })
})
