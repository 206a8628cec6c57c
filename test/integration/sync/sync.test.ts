import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { syncServer } from '../../../core/tools/sync.js'
import {
  EVERYTHING_TOOLS,
  startEverything,
  type Everything,
} from '../../fixtures/mcp/everything.js'
import {
  simpleTool,
  startMutableServer,
  type MutableServer,
} from '../../fixtures/mcp/mutable-server.js'
import { startHttpFixture, status, type HttpFixture } from '../../fixtures/mcp/http-fixture.js'
import { freePort } from '../../../infra/local/ports.js'
import { clientsFor } from '../../support/aws.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'
import { privateQueue } from '../../support/queue.js'

let ctx: Awaited<ReturnType<typeof setup>>
let http: Everything
let sse: Everything
let mutable: MutableServer
let unauthorized: HttpFixture
let notMcp: HttpFixture

const setup = async () => {
  const queueUrl = await privateQueue(clientsFor(inject('endpoints')).sqs, 'sync')
  const built = testApp({ syncQueueUrl: queueUrl })
  const org = await newOrg(built.deps)
  const call = apiCaller(built.app, org.auth)
  const register = async (
    name: string,
    type: 'sse' | 'streamable_http',
    url: string,
    extra = {},
  ) => {
    const res = await call('POST', '/v1/mcp-servers/', {
      server_name: name,
      config: { mcp_server_type: type, server_url: url, ...extra },
    })
    expect(res.status).toBe(200)
    return res.json as { id: string }
  }
  /** What the worker does with the message that create queued. */
  const sync = (id: string, version = 1) =>
    syncServer(built.deps.sync, {
      organization_id: org.organizationId,
      server_id: id,
      config_version: version,
      reason: 'created',
    })
  return { ...built, org, call, register, sync }
}

beforeAll(async () => {
  ;[ctx, http, sse, mutable, unauthorized, notMcp] = await Promise.all([
    setup(),
    startEverything('streamableHttp'),
    startEverything('sse'),
    startMutableServer([simpleTool('alpha'), simpleTool('beta'), simpleTool('gamma')]),
    startHttpFixture(status(401, '{"error":"no"}', 'application/json')),
    startHttpFixture(status(404, 'Not Found')),
  ])
}, 60_000)

afterAll(async () => {
  await Promise.all([
    http?.stop(),
    sse?.stop(),
    mutable?.close(),
    unauthorized?.close(),
    notMcp?.close(),
  ])
})

const names = (tools: { name: string }[]) => tools.map((t) => t.name).sort()

describe('Tool sync', () => {
  it.each([
    ['streamable_http', () => `http://127.0.0.1:${http.port}/mcp`],
    ['sse', () => `http://127.0.0.1:${sse.port}/sse`],
  ] as const)('Should store server-everything tools over %s as Letta tools', async (type, url) => {
    const server = await ctx.register(`everything-${type}`, type, url())
    const outcome = await ctx.sync(server.id)
    expect(outcome).toMatchObject({ outcome: 'ok', toolCount: 13 })
    const got = await ctx.call('GET', `/v1/mcp-servers/${server.id}`)
    expect(got.json.sync).toEqual({
      status: 'ok',
      tool_count: 13,
      last_synced_at: expect.any(String),
      error: null,
      report: { added: expect.any(Array), updated: [], deleted: [], rejected: [] },
    })
    expect([...got.json.sync.report.added].sort()).toEqual(EVERYTHING_TOOLS)
    const tools = (await ctx.call('GET', `/v1/mcp-servers/${server.id}/tools`)).json
    expect(names(tools)).toEqual(EVERYTHING_TOOLS)
    const echo = tools.find((t: { name: string }) => t.name === 'echo')
    expect(echo).toMatchObject({
      id: expect.stringMatching(/^tool-[0-9a-f-]{36}$/),
      tool_type: 'external_mcp',
      tags: [`mcp:everything-${type}`],
      metadata_: { mcp: { server_name: `everything-${type}`, server_id: server.id } },
      json_schema: {
        name: 'echo',
        'mcp:SCHEMA_STATUS': expect.any(String),
        parameters: {
          type: 'object',
          properties: { message: { type: 'string', description: 'Message to echo' } },
        },
      },
    })
    expect((await ctx.call('GET', `/v1/mcp-servers/${server.id}/tools/${echo.id}`)).json).toEqual(
      echo,
    )
    expect((await ctx.call('GET', `/v1/tools/${echo.id}`)).json).toEqual(echo)
  })

  it('Should report added, updated and deleted names on refresh and keep unchanged ids', async () => {
    mutable.setTools([simpleTool('alpha'), simpleTool('beta'), simpleTool('gamma')])
    const server = await ctx.register('mutable', 'streamable_http', mutable.url())
    await ctx.sync(server.id)
    const before = (await ctx.call('GET', `/v1/mcp-servers/${server.id}/tools`)).json
    mutable.setTools([
      simpleTool('alpha'),
      simpleTool('beta', 'now different'),
      simpleTool('delta'),
    ])
    const refreshed = await ctx.call('PATCH', `/v1/mcp-servers/${server.id}/refresh`)
    expect(refreshed).toEqual({
      status: 200,
      json: { added: ['delta'], updated: ['beta'], deleted: ['gamma'] },
    })
    const after = (await ctx.call('GET', `/v1/mcp-servers/${server.id}/tools`)).json
    const idOf = (list: { name: string; id: string }[], name: string) =>
      list.find((t) => t.name === name)?.id
    expect(names(after)).toEqual(['alpha', 'beta', 'delta'])
    expect(idOf(after, 'alpha')).toBe(idOf(before, 'alpha'))
    expect(idOf(after, 'beta')).toBe(idOf(before, 'beta'))
    const again = await ctx.call('PATCH', `/v1/mcp-servers/${server.id}/refresh`)
    expect(again.json).toEqual({ added: [], updated: [], deleted: [] })
  })

  it('Should send the stored auth header and custom headers', async () => {
    mutable.setTools([simpleTool('alpha')])
    const server = await ctx.register('with-auth', 'streamable_http', mutable.url(), {
      auth_header: 'X-Api-Key',
      auth_token: 'key-123456789',
      custom_headers: { 'X-Team': 'blue' },
    })
    await ctx.sync(server.id)
    expect(mutable.lastHeaders()).toMatchObject({ 'x-api-key': 'key-123456789', 'x-team': 'blue' })
  })

  it.each([
    [
      'refuses connections',
      async () => `http://127.0.0.1:${await freePort()}/mcp`,
      'connection_refused',
    ],
    ['answers 401', async () => unauthorized.url(), 'unauthorized'],
    ['is not an MCP endpoint', async () => notMcp.url(), 'not_found'],
  ])('Should mark a server that %s failed with its error class', async (_, url, code) => {
    const server = await ctx.register(`failing-${code}`, 'streamable_http', await url())
    const outcome = await ctx.sync(server.id)
    expect(outcome.outcome).toBe('failed')
    const got = (await ctx.call('GET', `/v1/mcp-servers/${server.id}`)).json
    expect(got.sync).toMatchObject({
      status: 'failed',
      tool_count: 0,
      error: { code, message: expect.any(String) },
    })
    expect(got.server_name).toBe(`failing-${code}`)
    const refresh = await ctx.call('PATCH', `/v1/mcp-servers/${server.id}/refresh`)
    expect(refresh.status).toBe(404)
    expect(refresh.json.detail).toMatchObject({
      code: 'MCPServerUnavailable',
      message: `Could not connect to MCP server failing-${code} to resync tools`,
    })
  })

  it('Should leave one tool set when the same message is delivered three times at once', async () => {
    const many = Array.from({ length: 60 }, (_, i) => simpleTool(`t${i}`))
    mutable.setTools(many)
    const server = await ctx.register('triple', 'streamable_http', mutable.url())
    const outcomes = await Promise.all([
      ctx.sync(server.id),
      ctx.sync(server.id),
      ctx.sync(server.id),
    ])
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['ok', 'skipped', 'skipped'])
    const tools = (await ctx.call('GET', `/v1/mcp-servers/${server.id}/tools`)).json
    expect(names(tools)).toEqual(many.map((t) => t.name).sort())
    expect(new Set(tools.map((t: { id: string }) => t.id)).size).toBe(60)
  })

  it('Should drop a message for an older config version', async () => {
    mutable.setTools([simpleTool('alpha')])
    const server = await ctx.register('versioned', 'streamable_http', mutable.url())
    await ctx.call('PATCH', `/v1/mcp-servers/${server.id}`, {
      config: { mcp_server_type: 'streamable_http', server_url: `${mutable.url()}?v=2` },
    })
    expect(await ctx.sync(server.id, 1)).toEqual({ outcome: 'skipped', why: 'stale' })
    expect(await ctx.sync(server.id, 2)).toMatchObject({ outcome: 'ok', toolCount: 1 })
  })

  it('Should answer 404 for a tool of another server', async () => {
    mutable.setTools([simpleTool('alpha')])
    const a = await ctx.register('owner-a', 'streamable_http', mutable.url())
    const b = await ctx.register('owner-b', 'streamable_http', mutable.url())
    await ctx.sync(a.id)
    const tool = (await ctx.call('GET', `/v1/mcp-servers/${a.id}/tools`)).json[0]
    expect((await ctx.call('GET', `/v1/mcp-servers/${b.id}/tools/${tool.id}`)).json).toEqual({
      detail: `Tool ${tool.id} not found`,
    })
  })

  it('Should run tools and map MCP results to Letta results', async () => {
    mutable.setTools([
      simpleTool('ok'),
      simpleTool('fail'),
      simpleTool('empty'),
      simpleTool('slow'),
    ])
    const server = await ctx.register('runner', 'streamable_http', mutable.url())
    await ctx.sync(server.id)
    const tools = (await ctx.call('GET', `/v1/mcp-servers/${server.id}/tools`)).json
    const id = (name: string) => tools.find((t: { name: string }) => t.name === name).id
    const run = (name: string, body: unknown) =>
      ctx.call('POST', `/v1/mcp-servers/${server.id}/tools/${id(name)}/run`, body)
    expect(await run('ok', { args: { text: 'hi' } })).toEqual({
      status: 200,
      json: { status: 'success', func_return: 'ok: {"text":"hi"}', stdout: null, stderr: null },
    })
    expect((await run('fail', { args: { text: 'x' } })).json).toMatchObject({
      status: 'error',
      func_return: 'it broke',
    })
    expect((await run('empty', { args: { text: 'x' } })).json).toMatchObject({
      status: 'success',
      func_return: 'Empty response from tool',
    })
    expect(await run('ok', { args: { text: 5 } })).toEqual({
      status: 422,
      json: { detail: 'args: /text must be string' },
    })
    expect(await run('ok', {})).toEqual({
      status: 422,
      json: { detail: "args: / must have required property 'text'" },
    })
    expect(await run('ok', { argz: {} })).toEqual({
      status: 422,
      json: { detail: 'argz: unknown field' },
    })
    const other = await ctx.register('runner-other', 'streamable_http', mutable.url())
    const foreign = await ctx.call('POST', `/v1/mcp-servers/${other.id}/tools/${id('ok')}/run`, {
      args: { text: 'x' },
    })
    expect(foreign).toEqual({ status: 404, json: { detail: `Tool ${id('ok')} not found` } })
  })

  it('Should answer Letta 502 when the server is unreachable at run time', async () => {
    mutable.setTools([simpleTool('ok')])
    const server = await ctx.register('vanishing', 'streamable_http', mutable.url())
    await ctx.sync(server.id)
    const tool = (await ctx.call('GET', `/v1/mcp-servers/${server.id}/tools`)).json[0]
    const port = await freePort()
    await ctx.call('PATCH', `/v1/mcp-servers/${server.id}`, {
      config: { mcp_server_type: 'streamable_http', server_url: `http://127.0.0.1:${port}/mcp` },
    })
    const res = await ctx.call('POST', `/v1/mcp-servers/${server.id}/tools/${tool.id}/run`, {
      args: { text: 'x' },
    })
    expect(res.status).toBe(502)
    expect(res.json.error).toMatchObject({
      type: 'mcp_connection_error',
      message: 'Failed to connect to MCP server.',
    })
  })

  it('Should stream Letta connect events for a stored server', async () => {
    mutable.setTools([simpleTool('alpha')])
    const server = await ctx.register('connectable', 'streamable_http', mutable.url())
    const res = await ctx.app.request(`/v1/mcp-servers/connect/${server.id}`, {
      headers: ctx.org.auth,
    })
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const frames = (await res.text()).split('\n\n').filter(Boolean)
    expect(frames.map((f) => JSON.parse(f.replace(/^data: /, '')))).toEqual([
      { event: 'connection_attempt', server_name: 'connectable' },
      { event: 'success', tools: [simpleTool('alpha')] },
    ])
    const port = await freePort()
    await ctx.call('PATCH', `/v1/mcp-servers/${server.id}`, {
      config: { mcp_server_type: 'streamable_http', server_url: `http://127.0.0.1:${port}/mcp` },
    })
    const failed = await (
      await ctx.app.request(`/v1/mcp-servers/connect/${server.id}`, { headers: ctx.org.auth })
    ).text()
    const last = JSON.parse(
      failed
        .split('\n\n')
        .filter(Boolean)
        .at(-1)
        ?.replace(/^data: /, '') ?? '{}',
    )
    expect(last).toMatchObject({
      event: 'error',
      message: expect.stringMatching(/^Connection failed: /),
    })
  })
})
