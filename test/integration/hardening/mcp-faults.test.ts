import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Config } from '../../../core/config.js'
import { orgPk, serverChildrenPk, TOOL_PREFIX } from '../../../core/keys.js'
import { syncServer } from '../../../core/tools/sync.js'
import { freePort } from '../../../infra/local/ports.js'
import { tableDefinition } from '../../../infra/local/provision.js'
import {
  faultTool,
  manyTools,
  startFaultServer,
  type FaultAction,
  type FaultServer,
  type FaultStep,
} from '../../fixtures/mcp/fault-server.js'
import { clientsFor } from '../../support/aws.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'

type Transport = 'streamable_http' | 'sse'
type Ctx = Awaited<ReturnType<typeof setup>>

const NOT_MCP = 'The server is not returning valid MCP (JSON-RPC) responses'
const LIST_TIMEOUT = 'The MCP server did not answer in time (MCP error -32001: Request timed out)'
const CONNECTED = ['initialize', 'notifications/initialized']
const HEALTHY_TOOLS = [faultTool('alpha'), faultTool('beta'), faultTool('gamma')]
const EMPTY_REPORT = { added: [], updated: [], deleted: [], rejected: [] }

/** An app, an organization and, in it, a healthy server synced before any fault. */
const setup = async (overrides: Partial<Config> = {}) => {
  const built = testApp({ connectTimeoutMs: 1000, listTimeoutMs: 1000, ...overrides })
  const org = await newOrg(built.deps)
  const call = apiCaller(built.app, org.auth)
  const register = async (name: string, type: Transport, url: string, token: string) => {
    const config = { mcp_server_type: type, server_url: url, auth_token: token }
    const res = await call('POST', '/v1/mcp-servers/', { server_name: name, config })
    expect(res.status).toBe(200)
    return res.json.id as string
  }
  /** What the worker does with the message that create queued. */
  const sync = (id: string) =>
    syncServer(built.deps.sync, {
      organization_id: org.organizationId,
      server_id: id,
      config_version: 1,
      reason: 'created',
    })
  /** The names of a server's stored tool items, read straight from the table. */
  const toolNames = async (id: string) => {
    const names: string[] = []
    let start: Record<string, unknown> | undefined
    do {
      const page = await built.deps.db.send(
        new QueryCommand({
          TableName: built.deps.config.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': serverChildrenPk(org.organizationId, id),
            ':prefix': TOOL_PREFIX,
          },
          ProjectionExpression: 'sk',
          ExclusiveStartKey: start,
        }),
      )
      names.push(...(page.Items ?? []).map((i) => String(i.sk).slice(TOOL_PREFIX.length)))
      start = page.LastEvaluatedKey
    } while (start)
    return names.sort()
  }
  const healthyId = await register(
    'healthy',
    'streamable_http',
    healthy.url(),
    'fault-token-healthy',
  )
  expect(await sync(healthyId)).toMatchObject({ outcome: 'ok', toolCount: 3 })
  return { ...built, org, call, register, sync, toolNames, healthyId }
}

let healthy: FaultServer
let ctx: Ctx
const fixtures: FaultServer[] = []

const serve = async (
  transport: Transport,
  fault?: FaultStep & { action: FaultAction },
  tools = HEALTHY_TOOLS,
) => {
  const fixture = await startFaultServer({ transport, listing: () => tools, fault })
  fixtures.push(fixture)
  return fixture
}

beforeAll(async () => {
  healthy = await startFaultServer({ listing: () => HEALTHY_TOOLS })
  ctx = await setup()
}, 30_000)

afterAll(async () => {
  await Promise.all([healthy?.close(), ...fixtures.map((f) => f.close())])
})

/** The healthy server of the same organization still has its tools and syncs ok again. */
const expectHealthyUnaffected = async (world = ctx) => {
  expect(await world.toolNames(world.healthyId)).toEqual(['alpha', 'beta', 'gamma'])
  expect(await world.sync(world.healthyId)).toEqual({
    outcome: 'ok',
    report: EMPTY_REPORT,
    toolCount: 3,
    writeRequests: 0,
  })
  const tools = (await world.call('GET', `/v1/mcp-servers/${world.healthyId}/tools`)).json
  expect(tools.map((t: { name: string }) => t.name).sort()).toEqual(['alpha', 'beta', 'gamma'])
}

/** The server as the API shows it: unchanged, its token masked and nowhere in clear, nor logged. */
const expectIntact = async (
  id: string,
  name: string,
  transport: Transport,
  url: string,
  token: string,
  world = ctx,
) => {
  const got = (await world.call('GET', `/v1/mcp-servers/${id}`)).json
  expect(got).toMatchObject({
    id,
    server_name: name,
    mcp_server_type: transport,
    server_url: url,
    auth_header: 'Authorization',
    auth_token: `Bearer ****${token.slice(-4)}`,
    custom_headers: null,
  })
  expect(JSON.stringify(got)).not.toContain(token)
  expect(JSON.stringify(world.lines)).not.toContain(token)
  return got.sync
}

interface FailureCase {
  name: string
  transport: Transport
  fault: FaultStep & { action: FaultAction }
  code: string
  message: string
  /** The JSON-RPC requests the server saw: proof that Hangar stopped and did not retry at once. */
  rpc: string[]
  /** A passing cause: an automatic retry is scheduled (`next_retry_at`). */
  retried?: boolean
}

const RETRY_AT = { next_retry_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }

const failures: FailureCase[] = [
  {
    name: 'hang-connect',
    retried: true,
    transport: 'streamable_http',
    fault: { at: 'connect', action: { kind: 'hang' } },
    code: 'timeout',
    message: 'Timed out after 1000 ms while connecting to the MCP server',
    rpc: ['initialize'],
  },
  {
    name: 'hang-list',
    retried: true,
    transport: 'streamable_http',
    fault: { at: 'page', page: 1, action: { kind: 'hang' } },
    code: 'timeout',
    message: LIST_TIMEOUT,
    rpc: [...CONNECTED, 'tools/list'],
  },
  {
    name: 'slow-drip',
    retried: true,
    transport: 'streamable_http',
    fault: { at: 'page', page: 1, action: { kind: 'drip', everyMs: 200 } },
    code: 'timeout',
    message: LIST_TIMEOUT,
    rpc: [...CONNECTED, 'tools/list'],
  },
  {
    name: 'garbage',
    transport: 'streamable_http',
    fault: { at: 'connect', action: { kind: 'garbage' } },
    code: 'invalid_response',
    message: NOT_MCP,
    rpc: ['initialize'],
  },
  {
    name: 'garbage-list',
    transport: 'streamable_http',
    fault: { at: 'page', page: 1, action: { kind: 'garbage' } },
    code: 'invalid_response',
    message: NOT_MCP,
    rpc: [...CONNECTED, 'tools/list'],
  },
  {
    name: 'truncated',
    transport: 'streamable_http',
    fault: { at: 'page', page: 1, action: { kind: 'truncate' } },
    code: 'invalid_response',
    message: `${NOT_MCP}: the answer was cut off before its end`,
    rpc: [...CONNECTED, 'tools/list'],
  },
  {
    name: '401',
    transport: 'streamable_http',
    fault: { at: 'connect', action: { kind: 'status', code: 401 } },
    code: 'unauthorized',
    message: 'The MCP server refused the credentials (HTTP 401)',
    rpc: ['initialize'],
  },
  {
    name: '403',
    transport: 'streamable_http',
    fault: { at: 'connect', action: { kind: 'status', code: 403 } },
    code: 'unauthorized',
    message: 'The MCP server refused the credentials (HTTP 403)',
    rpc: ['initialize'],
  },
  {
    name: '404',
    transport: 'streamable_http',
    fault: { at: 'connect', action: { kind: 'status', code: 404 } },
    code: 'not_found',
    message:
      'Nothing found at the URL (HTTP 404); check that it is the server\'s MCP endpoint. If it is an SSE server (its URL often ends in /sse), register it with mcp_server_type "sse"',
    rpc: ['initialize'],
  },
  {
    name: '500',
    retried: true,
    transport: 'streamable_http',
    fault: { at: 'connect', action: { kind: 'status', code: 500 } },
    code: 'other',
    message: 'The MCP server answered HTTP 500',
    rpc: ['initialize'],
  },
  {
    name: 'rpc-error-echo',
    transport: 'streamable_http',
    fault: { at: 'page', page: 1, action: { kind: 'rpc-error', code: -32603 } },
    code: 'other',
    message: 'MCP request failed: MCP error -32603: refused ****',
    rpc: [...CONNECTED, 'tools/list'],
  },
  {
    name: 'stale-cursor',
    transport: 'streamable_http',
    fault: { at: 'page', page: 2, action: { kind: 'rpc-error', code: -32602 } },
    code: 'invalid_response',
    message: `${NOT_MCP}: tools/list refused its own cursor (MCP error -32602: refused ****)`,
    rpc: [...CONNECTED, 'tools/list', 'tools/list'],
  },
  {
    name: 'crash-page-2',
    retried: true,
    transport: 'streamable_http',
    fault: { at: 'page', page: 2, action: { kind: 'crash' } },
    code: 'connection_refused',
    message: 'The MCP server closed the connection without answering; is it crashing?',
    rpc: [...CONNECTED, 'tools/list', 'tools/list'],
  },
  {
    name: 'sse-401',
    transport: 'sse',
    fault: { at: 'connect', action: { kind: 'status', code: 401 } },
    code: 'unauthorized',
    message: 'The MCP server refused the credentials (HTTP 401)',
    rpc: [],
  },
  {
    name: 'sse-401-post',
    transport: 'sse',
    fault: { at: 'page', page: 1, action: { kind: 'status', code: 401 } },
    code: 'unauthorized',
    message: 'The MCP server refused the credentials (HTTP 401)',
    rpc: [...CONNECTED, 'tools/list'],
  },
  {
    name: 'sse-500-post',
    retried: true,
    transport: 'sse',
    fault: { at: 'page', page: 1, action: { kind: 'status', code: 500 } },
    code: 'other',
    message: 'The MCP server answered HTTP 500',
    rpc: [...CONNECTED, 'tools/list'],
  },
  {
    name: 'sse-rpc-error-echo',
    transport: 'sse',
    fault: { at: 'page', page: 1, action: { kind: 'rpc-error', code: -32603 } },
    code: 'other',
    message: 'MCP request failed: MCP error -32603: refused ****',
    rpc: [...CONNECTED, 'tools/list'],
  },
  {
    name: 'sse-garbage',
    transport: 'sse',
    fault: { at: 'connect', action: { kind: 'garbage' } },
    code: 'invalid_response',
    message: `${NOT_MCP} (unexpected content type)`,
    rpc: [],
  },
  {
    name: 'sse-garbage-event',
    transport: 'sse',
    fault: { at: 'page', page: 1, action: { kind: 'garbage' } },
    code: 'invalid_response',
    message: NOT_MCP,
    rpc: [...CONNECTED, 'tools/list'],
  },
  {
    name: 'sse-crash-page-2',
    retried: true,
    transport: 'sse',
    fault: { at: 'page', page: 2, action: { kind: 'crash' } },
    code: 'connection_refused',
    message: 'The MCP server closed the connection without answering; is it crashing?',
    rpc: [...CONNECTED, 'tools/list', 'tools/list'],
  },
]

describe('Sync against a faulty MCP server', () => {
  it.each(failures)(
    'Should fail $name with $code and leave the server and its neighbours intact',
    async ({ name, transport, fault, code, message, rpc, retried }) => {
      // Prepare
      const token = `fault-token-${name}`
      const fixture = await serve(transport, fault, manyTools(150))
      const id = await ctx.register(`fault-${name}`, transport, fixture.url(), token)

      // Act
      const outcome = await ctx.sync(id)

      // Assess
      const state = {
        status: 'failed',
        tool_count: 0,
        last_synced_at: expect.any(String),
        error: { code, message },
        ...(retried ? RETRY_AT : {}),
      }
      expect(outcome).toEqual({ outcome: 'failed', state })
      const sync = await expectIntact(id, `fault-${name}`, transport, fixture.url(), token)
      expect(sync).toEqual(state)
      expect(sync.error.message).not.toEqual('')
      expect(fixture.rpc()).toEqual(rpc)
      expect(await ctx.toolNames(id)).toEqual([])
      await expectHealthyUnaffected()
    },
  )

  it.each(['streamable_http', 'sse'] as const)(
    'Should fail a refused %s connection with connection_refused',
    async (transport) => {
      // Prepare
      const token = `fault-token-refused-${transport}`
      const port = await freePort()
      const url = `http://127.0.0.1:${port}/${transport === 'sse' ? 'sse' : 'mcp'}`
      const id = await ctx.register(`fault-refused-${transport}`, transport, url, token)

      // Act
      const outcome = await ctx.sync(id)

      // Assess
      const state = {
        status: 'failed',
        tool_count: 0,
        last_synced_at: expect.any(String),
        error: {
          code: 'connection_refused',
          message: `Connection refused at 127.0.0.1:${port}; is the server running?`,
        },
        ...RETRY_AT,
      }
      expect(outcome).toEqual({ outcome: 'failed', state })
      expect(await expectIntact(id, `fault-refused-${transport}`, transport, url, token)).toEqual(
        state,
      )
      expect(await ctx.toolNames(id)).toEqual([])
      await expectHealthyUnaffected()
    },
  )
})

const tools150 = manyTools(150)
const names = (from: number, to: number) => tools150.slice(from, to).map((t) => t.name)

// tools/list pages by offset, so a list that changes between two pages shifts the second one.
describe('Sync against a tool list that changes between pages', () => {
  it('Should store one copy of a tool that a grown list shows on two pages, then converge', async () => {
    // Prepare: page 2 comes from a list with one more tool in front, so t-00099 is listed twice.
    const token = 'fault-token-grown'
    const grown = [faultTool('t-new'), ...tools150]
    const fixture = await startFaultServer({
      listing: (call) => (call === 1 ? tools150 : grown),
      pageSize: 100,
    })
    fixtures.push(fixture)
    const id = await ctx.register('fault-grown', 'streamable_http', fixture.url(), token)

    // Act
    const first = await ctx.sync(id)
    const storedFirst = await ctx.toolNames(id)
    const second = await ctx.sync(id)

    // Assess
    const duplicate = { name: 't-00099', reasons: ['duplicate tool name in the listing'] }
    expect(first).toEqual({
      outcome: 'ok',
      toolCount: 150,
      writeRequests: 6,
      report: { added: names(0, 150), updated: [], deleted: [], rejected: [duplicate] },
    })
    expect(storedFirst).toEqual(names(0, 150))
    expect(second).toEqual({
      outcome: 'ok',
      toolCount: 151,
      writeRequests: 1,
      report: { added: ['t-new'], updated: [], deleted: [], rejected: [] },
    })
    expect(await ctx.toolNames(id)).toEqual([...names(0, 150), 't-new'])
    const onePass = [...CONNECTED, 'tools/list', 'tools/list']
    expect(fixture.rpc()).toEqual([...onePass, ...onePass])
    await expectIntact(id, 'fault-grown', 'streamable_http', fixture.url(), token)
    await expectHealthyUnaffected()
  })

  it('Should store what a shrunk list showed, without duplicates, then converge', async () => {
    // Prepare: page 2 comes from a list without t-00000, so t-00100 falls between the pages.
    const token = 'fault-token-shrunk'
    const fixture = await startFaultServer({
      listing: (call) => (call === 1 ? tools150 : tools150.slice(1)),
      pageSize: 100,
    })
    fixtures.push(fixture)
    const id = await ctx.register('fault-shrunk', 'streamable_http', fixture.url(), token)

    // Act
    const first = await ctx.sync(id)
    const storedFirst = await ctx.toolNames(id)
    const second = await ctx.sync(id)

    // Assess
    const seen = [...names(0, 100), ...names(101, 150)]
    expect(first).toEqual({
      outcome: 'ok',
      toolCount: 149,
      writeRequests: 6,
      report: { added: seen, updated: [], deleted: [], rejected: [] },
    })
    expect(storedFirst).toEqual(seen)
    expect(second).toEqual({
      outcome: 'ok',
      toolCount: 149,
      writeRequests: 1,
      report: { added: ['t-00100'], updated: [], deleted: ['t-00000'], rejected: [] },
    })
    expect(await ctx.toolNames(id)).toEqual(names(1, 150))
    await expectIntact(id, 'fault-shrunk', 'streamable_http', fixture.url(), token)
    await expectHealthyUnaffected()
  })
})

describe('Sync against oversized listings', () => {
  // The 10,000 tools go to a table of their own: other suites read the shared table in one page.
  const { dynamodb } = clientsFor(inject('endpoints'))
  const tableName = `hangar-mcp-faults-${process.pid}`
  let scale: Ctx

  beforeAll(async () => {
    await dynamodb.send(new CreateTableCommand({ ...tableDefinition(), TableName: tableName }))
    scale = await setup({ tableName })
  }, 30_000)

  afterAll(async () => {
    await dynamodb.send(new DeleteTableCommand({ TableName: tableName }))
  })

  it('Should reject a tool with a 1 MB input schema and store the others', async () => {
    // Prepare
    const token = 'fault-token-huge-schema'
    const huge = faultTool('huge', {
      type: 'object',
      properties: { blob: { type: 'string', description: 'x'.repeat(1_000_000) } },
    })
    const fixture = await serve('streamable_http', undefined, [
      faultTool('small-a'),
      huge,
      faultTool('small-b'),
    ])
    const id = await ctx.register('fault-huge-schema', 'streamable_http', fixture.url(), token)

    // Act
    const outcome = await ctx.sync(id)

    // Assess
    const report = {
      added: ['small-a', 'small-b'],
      updated: [],
      deleted: [],
      rejected: [
        { name: 'huge', reasons: ['schema too large to store: 1000074 bytes (limit 160000)'] },
      ],
    }
    expect(outcome).toEqual({ outcome: 'ok', toolCount: 2, report, writeRequests: 1 })
    const sync = await expectIntact(
      id,
      'fault-huge-schema',
      'streamable_http',
      fixture.url(),
      token,
    )
    expect(sync).toEqual({
      status: 'ok',
      tool_count: 2,
      last_synced_at: expect.any(String),
      error: null,
      report,
    })
    expect(await ctx.toolNames(id)).toEqual(['small-a', 'small-b'])
    expect(fixture.rpc()).toEqual([...CONNECTED, 'tools/list'])
    await expectHealthyUnaffected()
  })

  it('Should store all 10,000 tools of a server that lists them in pages', async () => {
    // Prepare
    const token = 'fault-token-10k'
    const tools = manyTools(10_000)
    const fixture = await startFaultServer({ listing: () => tools, pageSize: 1000 })
    fixtures.push(fixture)
    const id = await scale.register('fault-10k', 'streamable_http', fixture.url(), token)

    // Act
    const outcome = await scale.sync(id)

    // Assess
    const added = tools.map((t) => t.name)
    expect(outcome).toMatchObject({ outcome: 'ok', toolCount: 10_000, writeRequests: 400 })
    expect(outcome.outcome === 'ok' && outcome.report.added).toEqual(added)
    const sync = await expectIntact(id, 'fault-10k', 'streamable_http', fixture.url(), token, scale)
    expect(sync).toEqual({
      status: 'ok',
      tool_count: 10_000,
      last_synced_at: expect.any(String),
      error: null,
      // The stored report keeps the first 500 names of each list.
      report: { added: added.slice(0, 500), updated: [], deleted: [], rejected: [] },
    })
    expect(await scale.toolNames(id)).toEqual(added)
    // The secrets audit reads only the shared table, so this one is checked here.
    const orgItems = await scale.deps.db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': orgPk(scale.org.organizationId) },
      }),
    )
    const stored = JSON.stringify(orgItems.Items, (_, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    )
    expect(stored).toContain('"server_name":"fault-10k"')
    expect(stored).not.toContain(token)
    expect(stored).not.toContain('fault-token-healthy')
    expect(fixture.rpc()).toEqual([...CONNECTED, ...Array(10).fill('tools/list')])
    await expectHealthyUnaffected(scale)
  }, 180_000)
})
