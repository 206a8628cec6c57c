import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyServerChange } from '../../../core/cascade/apply.js'
import { servedName } from '../../../core/mcp-endpoint/names.js'
import { syncServer } from '../../../core/tools/sync.js'
import { startNamedServer } from '../../fixtures/mcp/named-server.js'
import type { HttpFixture } from '../../fixtures/mcp/http-fixture.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'
import { serveApp } from '../../support/serve.js'

const { deps, app } = testApp()
let served: Awaited<ReturnType<typeof serveApp>>
const fixtures: HttpFixture[] = []

/** Three servers whose names differ only in punctuation, with the same three tools each. */
const SERVER_NAMES = [
  'billing-and-invoicing-service-production',
  'billing.and.invoicing.service.production',
  'billing_and_invoicing_service_production',
]
const TOOLS = ['create_customer_invoice_with_line_items', 'echo', 'refund.issue']

type Org = Awaited<ReturnType<typeof newOrg>>

const connect = async (path: string, org: Org) => {
  const client = new Client({ name: 'names-test', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(`${served.baseURL}${path}`), {
    requestInit: { headers: org.auth },
  })
  await client.connect(transport)
  return client
}

const listNames = async (org: Org) => {
  const client = await connect('/v1/mcp', org)
  const { tools } = await client.listTools()
  await client.close()
  return tools.map((t) => t.name).sort()
}

const callText = async (org: Org, name: string, path = '/v1/mcp') => {
  const client = await connect(path, org)
  try {
    const result = await client.callTool({ name, arguments: {} })
    return (result.content as { text: string }[])[0]?.text
  } catch (error) {
    return (error as Error).message
  } finally {
    await client.close()
  }
}

const register = async (org: Org, name: string, tools: string[]) => {
  const fixture = await startNamedServer(name, tools)
  fixtures.push(fixture)
  const created = await apiCaller(app, org.auth)('POST', '/v1/mcp-servers/', {
    server_name: name,
    config: { mcp_server_type: 'streamable_http', server_url: fixture.url() },
  })
  expect(created.status).toBe(200)
  const outcome = await syncServer(deps.sync, {
    organization_id: org.organizationId,
    server_id: created.json.id,
    config_version: 1,
    reason: 'created',
  })
  expect(outcome).toMatchObject({ outcome: 'ok', toolCount: tools.length })
  return created.json.id as string
}

let a: Org
let b: Org
const ids: string[] = []

beforeAll(async () => {
  served = await serveApp(app)
  ;[a, b] = await Promise.all([newOrg(deps), newOrg(deps)])
  for (const name of SERVER_NAMES) ids.push(await register(a, name, TOOLS))
  await register(b, 'other-org-server', ['secret_tool'])
}, 60_000)

afterAll(async () => {
  await served?.close()
  await Promise.all(fixtures.map((f) => f.close()))
})

describe('Served names on /v1/mcp', () => {
  it('Should serve 9 distinct valid names: plain where <server>__<tool> fits, hashed otherwise', async () => {
    const names = await listNames(a)

    expect(names).toHaveLength(9)
    expect(new Set(names).size).toBe(9)
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/)
    expect(names).toContain('billing-and-invoicing-service-production__echo')
    expect(names).toContain('billing_and_invoicing_service_production__echo')
    const hashed = names.filter((n) => /_[0-9a-f]{12}$/.test(n))
    expect(hashed).toHaveLength(7)
    expect(
      names.filter((n) => n.startsWith('billing_and_invoicing_service_production__cr')),
    ).toEqual(
      [
        servedName('billing.and.invoicing.service.production', TOOLS[0] ?? ''),
        servedName('billing_and_invoicing_service_production', TOOLS[0] ?? ''),
      ].sort(),
    )
  })

  it('Should route each served name to its own upstream tool', async () => {
    const reached: string[] = []
    for (const server of SERVER_NAMES) {
      for (const tool of TOOLS) reached.push((await callText(a, servedName(server, tool))) ?? '')
    }

    expect(reached).toEqual(SERVER_NAMES.flatMap((s) => TOOLS.map((t) => `${s}/${t}`)))
  })

  it('Should keep every name when an unrelated server comes and goes', async () => {
    const before = await listNames(a)
    const id = await register(a, 'billing', ['and_invoicing_service_production__echo'])
    const during = await listNames(a)
    await apiCaller(app, a.auth)('DELETE', `/v1/mcp-servers/${id}`)
    await applyServerChange(deps, {
      kind: 'deleted',
      organizationId: a.organizationId,
      serverId: id,
    })

    expect(during.filter((n) => !n.startsWith('billing__'))).toEqual(before)
    expect(await listNames(a)).toEqual(before)
  })
})

describe('Two organizations', () => {
  it("Should never list or call the other organization's tools on /v1/mcp", async () => {
    const foreign = 'other-org-server__secret_tool'

    expect(await listNames(b)).toEqual([foreign])
    expect((await listNames(a)).includes(foreign)).toBe(false)
    expect(await callText(a, foreign)).toBe(`MCP error -32602: Unknown tool: ${foreign}`)
    expect(await callText(b, 'billing_and_invoicing_service_production__echo')).toBe(
      'MCP error -32602: Unknown tool: billing_and_invoicing_service_production__echo',
    )
  })

  it("Should answer another organization's server like a missing one on /v1/mcp-servers/{id}/mcp", async () => {
    const foreign = await connect(`/v1/mcp-servers/${ids[0]}/mcp`, b).catch((e: Error) => e.message)
    const missing = await connect(
      '/v1/mcp-servers/mcp_server-00000000-0000-4000-8000-000000000000/mcp',
      b,
    ).catch((e: Error) => e.message)

    expect(foreign).toBe(
      `Streamable HTTP error: Error POSTing to endpoint: {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"MCP server ${ids[0]} not found"}}`,
    )
    expect(missing).toBe(
      'Streamable HTTP error: Error POSTing to endpoint: {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"MCP server mcp_server-00000000-0000-4000-8000-000000000000 not found"}}',
    )
  })
})

describe('Renaming a server', () => {
  it('Should move its tools to names under the new server name and forget the old ones', async () => {
    const [id] = ids
    const renamed = await apiCaller(app, a.auth)('PATCH', `/v1/mcp-servers/${id}`, {
      server_name: 'payments',
      config: { mcp_server_type: 'streamable_http' },
    })
    expect(renamed.status).toBe(200)
    await applyServerChange(deps, {
      kind: 'renamed',
      organizationId: a.organizationId,
      serverId: id ?? '',
      name: 'payments',
    })

    const names = await listNames(a)
    expect(names.filter((n) => n.startsWith('payments__'))).toEqual([
      'payments__create_customer_invoice_with_line_items',
      'payments__echo',
      servedName('payments', 'refund.issue'),
    ])
    expect(await callText(a, servedName('payments', 'refund.issue'))).toBe(
      'billing-and-invoicing-service-production/refund.issue',
    )
    expect(await callText(a, 'billing-and-invoicing-service-production__echo')).toBe(
      'MCP error -32602: Unknown tool: billing-and-invoicing-service-production__echo',
    )
  })
})
