import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncServer } from '../../../core/tools/sync.js'
import { startMutableServer, type MutableServer } from '../../fixtures/mcp/mutable-server.js'
import { newOrg, testApp } from '../../support/deps.js'
import { serveApp } from '../../support/serve.js'

const HOSTILE = {
  type: 'object' as const,
  properties: { s: { type: 'string', pattern: '^(a+)+$' } },
}
/** On a backtracking engine this argument takes seconds and each extra character doubles it. */
const ARGUMENT = `${'a'.repeat(27)}!`

let mcp: MutableServer
let api: Awaited<ReturnType<typeof serveApp>>
let runPath: string
let attacker: Record<string, string>
let bystander: Record<string, string>

beforeAll(async () => {
  const ctx = testApp()
  mcp = await startMutableServer([{ name: 'match', inputSchema: HOSTILE }])
  const a = await newOrg(ctx.deps)
  const b = await newOrg(ctx.deps)
  attacker = { ...a.auth, 'content-type': 'application/json' }
  bystander = b.auth
  api = await serveApp(ctx.app)
  const created = await fetch(`${api.baseURL}/v1/mcp-servers/`, {
    method: 'POST',
    headers: attacker,
    body: JSON.stringify({
      server_name: 'regex',
      config: { mcp_server_type: 'streamable_http', server_url: mcp.url() },
    }),
  })
  const serverId = ((await created.json()) as { id: string }).id
  await syncServer(ctx.deps.sync, {
    organization_id: a.organizationId,
    server_id: serverId,
    config_version: 1,
    reason: 'created',
  })
  const tools = await fetch(`${api.baseURL}/v1/mcp-servers/${serverId}/tools`, {
    headers: attacker,
  })
  const [tool] = (await tools.json()) as { id: string; json_schema: { parameters: unknown } }[]
  expect(tool!.json_schema.parameters).toMatchObject({ properties: { s: { pattern: '^(a+)+$' } } })
  runPath = `/v1/mcp-servers/${serverId}/tools/${tool!.id}/run`
})

afterAll(async () => {
  await api?.close()
  await mcp?.close()
})

describe('A tool schema with a catastrophic regex', () => {
  it("Should not hold up another organization's requests while the hostile run is in flight", async () => {
    let inFlight = true
    const run = fetch(`${api.baseURL}${runPath}`, {
      method: 'POST',
      headers: attacker,
      body: JSON.stringify({ args: { s: ARGUMENT } }),
    }).finally(() => (inFlight = false))
    // One health request is always outstanding while the run is: a blocked loop delays it.
    const waits: number[] = []
    do {
      const started = performance.now()
      const health = await fetch(`${api.baseURL}/v1/health/`, { headers: bystander })
      expect(health.status).toBe(200)
      waits.push(performance.now() - started)
    } while (inFlight)
    const res = await run
    expect(res.status).toBe(422)
    expect(((await res.json()) as { detail: string }).detail).toBe(
      'args: /s must match pattern "^(a+)+$"',
    )
    expect(Math.max(...waits)).toBeLessThan(1000)
  })

  it('Should still run the tool with an argument the pattern accepts', async () => {
    const res = await fetch(`${api.baseURL}${runPath}`, {
      method: 'POST',
      headers: attacker,
      body: JSON.stringify({ args: { s: 'a'.repeat(10_000) } }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'success' })
  })
})
