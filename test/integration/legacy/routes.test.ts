import type { Tool } from '@modelcontextprotocol/sdk/types.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHttpFixture, status, type HttpFixture } from '../../fixtures/mcp/http-fixture.js'
import { startRecordingServer, type RecordingServer } from '../../fixtures/mcp/recording-server.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'

const BASE = '/v1/tools/mcp/servers'
const AGENT = 'agent-6f1c2a4e-8b3d-4c5e-9f7a-0b1c2d3e4f50'

const echo: Tool = {
  name: 'echo',
  description: 'Echoes',
  inputSchema: {
    type: 'object',
    properties: { text: { type: 'string' }, opts: { type: 'object', properties: {} } },
    required: ['text'],
  },
}
const resyncTool: Tool = { name: 'resync', inputSchema: { type: 'object', properties: {} } }

let built: ReturnType<typeof testApp>
let call: ReturnType<typeof apiCaller>
let mcp: RecordingServer
let refusing: HttpFixture

beforeAll(async () => {
  built = testApp()
  const org = await newOrg(built.deps)
  call = apiCaller(built.app, org.auth)
  ;[mcp, refusing] = await Promise.all([
    startRecordingServer([echo, resyncTool]),
    startHttpFixture(status(401, 'no')),
  ])
})

afterAll(async () => {
  await Promise.all([mcp?.close(), refusing?.close()])
})

const templated = (name: string) => ({
  server_name: name,
  type: 'streamable_http',
  server_url: mcp.url(),
  auth_token: 'Bearer {{ AGENT_API_KEY | fallback-key-0001 }}',
  custom_headers: { 'X-Team': '{{ TEAM }}', 'X-Api-Key': '"{{ API_KEY | default-api-key }}"' },
})

describe('Legacy server CRUD (/v1/tools/mcp/servers)', () => {
  it('Should add, list, update and delete servers by name with flat configs, secrets masked', async () => {
    const added = await call('PUT', BASE, {
      server_name: 'crud-sse',
      type: 'sse',
      server_url: 'https://mcp.example.com/sse',
      auth_token: 'sse-secret-token-0042',
    })
    expect(added.status).toBe(200)
    expect(added.json).toContainEqual({
      server_name: 'crud-sse',
      type: 'sse',
      server_url: 'https://mcp.example.com/sse',
      auth_header: 'Authorization',
      auth_token: 'Bearer ****0042',
      custom_headers: null,
    })
    const stdio = await call('PUT', BASE, {
      server_name: 'crud-stdio',
      command: 'node',
      args: ['server.js'],
      env: { TOKEN: 'stdio-env-secret-7777' },
    })
    expect(stdio.status).toBe(200)
    expect(stdio.json).toContainEqual({
      server_name: 'crud-stdio',
      type: 'stdio',
      command: 'node',
      args: ['server.js'],
      env: { TOKEN: '****7777' },
    })

    const listed = await call('GET', BASE)
    expect(listed.status).toBe(200)
    expect(Object.keys(listed.json)).toEqual(['crud-sse', 'crud-stdio'])
    expect(listed.json['crud-sse'].auth_token).toBe('Bearer ****0042')

    const patched = await call('PATCH', `${BASE}/crud-sse`, {
      server_url: 'https://mcp.example.com/v2/sse',
      token: 'rotated-token-0043',
      custom_headers: { 'X-Team': 'team-header-9999' },
    })
    expect(patched).toEqual({
      status: 200,
      json: {
        server_name: 'crud-sse',
        type: 'sse',
        server_url: 'https://mcp.example.com/v2/sse',
        auth_header: 'Authorization',
        auth_token: 'Bearer ****0043',
        custom_headers: { 'X-Team': '****9999' },
      },
    })
    const cleared = await call('PATCH', `${BASE}/crud-sse`, { custom_headers: null })
    expect(cleared.json.custom_headers).toBeNull()
    const renamed = await call('PATCH', `${BASE}/crud-stdio`, {
      server_name: 'crud-stdio-2',
      stdio_config: { server_name: 'crud-stdio', command: 'node', args: ['v2.js'] },
    })
    expect(renamed.json).toEqual({
      server_name: 'crud-stdio-2',
      type: 'stdio',
      command: 'node',
      args: ['v2.js'],
      env: null, // new args move the server: stored env secrets not sent again are dropped
    })

    const removed = await call('DELETE', `${BASE}/crud-stdio-2`)
    expect(removed.status).toBe(200)
    expect(removed.json.map((s: { server_name: string }) => s.server_name)).toEqual(['crud-sse'])
    expect(JSON.stringify([added, stdio, listed, patched, removed])).not.toMatch(
      /sse-secret-token|stdio-env-secret|rotated-token|team-header/,
    )
    await call('DELETE', `${BASE}/crud-sse`)
  })

  it('Should answer 409 for a duplicate, 404 for an unknown name and 422 naming flat fields', async () => {
    const body = { server_name: 'dup', type: 'sse', server_url: 'https://e.com/sse' }
    expect((await call('PUT', BASE, body)).status).toBe(200)
    const duplicate = await call('PUT', BASE, body)
    expect(duplicate).toEqual({
      status: 409,
      json: { detail: 'An MCP server named "dup" already exists' },
    })
    expect(await call('PATCH', `${BASE}/nope`, {})).toEqual({
      status: 404,
      json: {
        detail: {
          code: 'MCPServerNotFoundError',
          message: 'MCP server nope not found',
          mcp_server_name: 'nope',
        },
      },
    })
    for (const [method, path] of [
      ['DELETE', `${BASE}/nope`],
      ['GET', `${BASE}/nope/tools`],
      ['POST', `${BASE}/nope/echo`],
      ['POST', `${BASE}/nope/resync`],
    ] as const) {
      expect(await call(method, path)).toEqual({
        status: 404,
        json: { detail: "MCP server 'nope' not found" },
      })
    }
    const cases: [unknown, string][] = [
      [{ server_name: 'x', type: 'sse', server_url: 'ftp://e.com' }, 'server_url: '],
      [
        { server_name: 'x', type: 'sse', server_url: 'https://e.com', command: 'node' },
        'command: unknown field',
      ],
      [
        { server_name: 'x', type: 'websocket', server_url: 'https://e.com' },
        'type: must be one of',
      ],
      [{ type: 'sse', server_url: 'https://e.com' }, 'server_name: field required'],
      [{ server_name: 'x', type: 'stdio', server_url: 'https://e.com' }, 'command: field required'],
    ]
    for (const [bad, detail] of cases) {
      const res = await call('PUT', BASE, bad)
      expect(res.status).toBe(422)
      expect(res.json.detail).toContain(detail)
    }
    const badPatch = await call('PATCH', `${BASE}/dup`, { command: 'node' })
    expect(badPatch).toEqual({ status: 422, json: { detail: 'command: unknown field' } })
    await call('DELETE', `${BASE}/dup`)
  })

  it('Should address names that need percent-encoding', async () => {
    const name = 'team a/b ü'
    await call('PUT', BASE, { server_name: name, type: 'streamable_http', server_url: mcp.url() })
    const tools = await call('GET', `${BASE}/${encodeURIComponent(name)}/tools`)
    expect(tools.status).toBe(200)
    expect(tools.json.map((t: Tool) => t.name)).toEqual(['echo', 'resync'])
    const removed = await call('DELETE', `${BASE}/${encodeURIComponent(name)}`)
    expect(removed.status).toBe(200)
  })
})

describe('Legacy tool routes', () => {
  it('Should list live tools as MCPTool with normalised schemas and health', async () => {
    await call('PUT', BASE, { server_name: 'live', type: 'streamable_http', server_url: mcp.url() })
    const res = await call('GET', `${BASE}/live/tools`)
    expect(res.status).toBe(200)
    expect(res.json[0]).toEqual({
      name: 'echo',
      description: 'Echoes',
      inputSchema: {
        type: 'object',
        properties: {
          text: { type: 'string' },
          opts: { type: 'object', properties: {}, additionalProperties: false },
        },
        required: ['text'],
        additionalProperties: false,
      },
      health: { status: 'STRICT_COMPLIANT', reasons: [] },
    })
    expect(res.json[1]).toMatchObject({
      name: 'resync',
      health: { status: 'STRICT_COMPLIANT', reasons: [] },
    })
  })

  it('Should answer 502 mcp_connection_error when the server refuses', async () => {
    await call('PUT', BASE, {
      server_name: 'refusing',
      type: 'streamable_http',
      server_url: refusing.url(),
    })
    const res = await call('GET', `${BASE}/refusing/tools`)
    expect(res).toEqual({
      status: 502,
      json: {
        error: {
          type: 'mcp_connection_error',
          message: 'Failed to connect to MCP server.',
          detail:
            'INTERNAL_SERVER_ERROR: Authentication failed: The MCP server refused the credentials (HTTP 401)',
        },
      },
    })
  })

  it('Should register a tool the sync has not stored yet, and return the same tool again', async () => {
    await call('PUT', BASE, {
      server_name: 'adder',
      type: 'streamable_http',
      server_url: mcp.url(),
    })
    const first = await call('POST', `${BASE}/adder/echo`)
    expect(first.status).toBe(200)
    expect(first.json).toMatchObject({
      id: expect.stringMatching(/^tool-/),
      name: 'echo',
      tool_type: 'external_mcp',
      tags: ['mcp:adder'],
      metadata_: { mcp: { server_name: 'adder' } },
    })
    const again = await call('POST', `${BASE}/adder/echo`)
    expect(again.json.id).toBe(first.json.id)
    expect(await call('POST', `${BASE}/adder/missing`)).toEqual({
      status: 404,
      json: { detail: "MCP server 'adder' has no tool named 'missing'" },
    })
  })

  it('Should route /resync before /{name}/{tool}, as Letta does', async () => {
    await call('PUT', BASE, {
      server_name: 'order',
      type: 'streamable_http',
      server_url: mcp.url(),
    })
    const res = await call('POST', `${BASE}/order/resync`)
    expect(res).toEqual({
      status: 200,
      json: { added: ['echo', 'resync'], updated: [], deleted: [] },
    })
  })

  it('Should test an unsaved config and stream connect like the id-based route', async () => {
    const config = { server_name: 'draft', type: 'streamable_http', server_url: mcp.url() }
    const tested = await call('POST', `${BASE}/test`, config)
    expect(tested.status).toBe(200)
    expect(tested.json.status).toBe('success')
    expect(tested.json.tools).toEqual([echo, resyncTool])
    const refused = await call('POST', `${BASE}/test`, { ...config, server_url: refusing.url() })
    expect(refused.status).toBe(502)
    const stdio = await call('POST', `${BASE}/test`, {
      server_name: 'd',
      command: 'node',
      args: [],
    })
    expect(stdio.status).toBe(422)

    const res = await built.app.request(`${BASE}/connect`, {
      method: 'POST',
      headers: { ...(await authOf()), 'content-type': 'application/json' },
      body: JSON.stringify(config),
    })
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const frames = (await res.text()).trim().split('\n\n')
    expect(frames.map((f) => JSON.parse(f.replace(/^data: /, '')).event)).toEqual([
      'connection_attempt',
      'success',
    ])
    expect(JSON.parse(frames[1]!.slice(6)).tools.map((t: Tool) => t.name)).toEqual([
      'echo',
      'resync',
    ])
    expect((await call('GET', BASE)).json).not.toHaveProperty('draft')
  })
})

let key: Record<string, string> | undefined
const authOf = async () => (key ??= (await newOrg(built.deps)).auth)

describe('Header templates and X-Agent-Id', () => {
  const headersOf = (method: string) =>
    mcp
      .received()
      .filter((r) => r.method === method)
      .map((r) => r.headers)

  it('Should resolve defaults only when the call brings no variables, keeping unresolved values whole', async () => {
    await call('PUT', BASE, templated('tpl'))
    mcp.clear()
    expect((await call('GET', `${BASE}/tpl/tools`)).status).toBe(200)
    expect(headersOf('tools/list')).toEqual([
      {
        authorization: 'Bearer fallback-key-0001',
        'x-api-key': 'default-api-key',
        'x-team': '{{ TEAM }}',
        'x-agent-id': undefined,
      },
    ])
    const warned = built.lines.filter((l) => l.message.startsWith('header template unresolved'))
    expect(warned.at(-1)?.extra).toEqual([{ header: 'X-Team', variables: ['TEAM'] }])
    const listed = await call('GET', BASE)
    expect(listed.json.tpl).toMatchObject({
      auth_token: 'Bearer ****1 }}',
      custom_headers: { 'X-Team': '****', 'X-Api-Key': '**** }}"' },
    })
  })

  it('Should send resolved headers and X-Agent-Id on resync and execute', async () => {
    const variables = { AGENT_API_KEY: 'agent-key-1', TEAM: 'blue' }
    const resolved = {
      authorization: 'Bearer agent-key-1',
      'x-api-key': 'default-api-key',
      'x-team': 'blue',
      'x-agent-id': AGENT,
    }
    mcp.clear()
    const resync = await call('POST', `${BASE}/tpl/resync?agent_id=${AGENT}`, { variables })
    expect(resync.status).toBe(200)
    expect(headersOf('tools/list')).toEqual([resolved])

    mcp.clear()
    const run = await call('POST', `${BASE}/tpl/tools/echo/execute?agent_id=${AGENT}`, {
      args: { text: 'hi' },
      variables,
    })
    expect(run.status).toBe(200)
    expect(run.json.success).toBe(true)
    expect(JSON.parse(run.json.result.slice('echo '.length))).toEqual(resolved)
    expect(headersOf('tools/call')).toEqual([resolved])
  })

  it('Should do the same on the id-based run and refresh', async () => {
    const servers = await call('GET', '/v1/mcp-servers/')
    const id = servers.json.find((s: { server_name: string }) => s.server_name === 'tpl').id
    const tools = await call('GET', `/v1/mcp-servers/${id}/tools`)
    const echoId = tools.json.find((t: { name: string }) => t.name === 'echo').id
    mcp.clear()
    const run = await call('POST', `/v1/mcp-servers/${id}/tools/${echoId}/run?agent_id=${AGENT}`, {
      args: { text: 'x' },
      variables: { AGENT_API_KEY: 'k2' },
    })
    expect(run.json.status).toBe('success')
    expect(headersOf('tools/call')).toEqual([
      {
        authorization: 'Bearer k2',
        'x-api-key': 'default-api-key',
        'x-team': '{{ TEAM }}',
        'x-agent-id': AGENT,
      },
    ])
    mcp.clear()
    const refresh = await call('PATCH', `/v1/mcp-servers/${id}/refresh?agent_id=${AGENT}`)
    expect(refresh.status).toBe(200)
    expect(headersOf('tools/list').map((h) => h['x-agent-id'])).toEqual([AGENT])
    const bad = await call('PATCH', `/v1/mcp-servers/${id}/refresh?agent_id=agent-1`)
    expect(bad).toEqual({
      status: 422,
      json: { detail: 'agent_id: must be an agent id (agent-<uuid4>)' },
    })
    const badVars = await call('POST', `${BASE}/tpl/resync`, { variables: { TEAM: 1 } })
    expect(badVars).toEqual({ status: 422, json: { detail: 'variables.TEAM: must be string' } })
  })

  it('Should never store or echo the variables', async () => {
    const everything = JSON.stringify([
      (await call('GET', BASE)).json,
      (await call('GET', '/v1/mcp-servers/')).json,
      built.lines,
    ])
    expect(everything).not.toContain('agent-key-1')
    expect(everything).not.toContain('k2')
  })
})

describe('OpenAPI and /docs', () => {
  it('Should describe the legacy routes and the call parameters', async () => {
    const doc = (await (await built.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { operationId?: string; parameters?: unknown[] }>>
    }
    expect(
      doc.paths['/v1/tools/mcp/servers/{mcp_server_name}/{mcp_tool_name}']?.post?.operationId,
    ).toBe('add_mcp_tool')
    expect(doc.paths['/v1/mcp-servers/{mcp_server_id}/refresh']?.patch?.parameters).toEqual([
      expect.objectContaining({ name: 'agent_id', in: 'query' }),
    ])
    // /docs renders this same document in the browser (Swagger UI, served by Hangar).
    expect(doc.paths['/v1/tools/mcp/servers/{mcp_server_name}/tools']?.get?.operationId).toBe(
      'list_mcp_tools_by_server',
    )
    const page = await (await built.app.request('/docs')).text()
    expect(page).toContain('<script src="/docs/assets/init.js"></script>')
  })
})

describe('Tenancy on the legacy routes', () => {
  it("Should never reach another organization's server by its name", async () => {
    await call('PUT', BASE, { server_name: 'mine', type: 'streamable_http', server_url: mcp.url() })
    const other = apiCaller(built.app, await authOf())
    expect((await other('GET', BASE)).json).toEqual({})
    mcp.clear()
    for (const [method, path] of [
      ['GET', `${BASE}/mine/tools`],
      ['POST', `${BASE}/mine/echo`],
      ['POST', `${BASE}/mine/resync`],
      ['POST', `${BASE}/mine/tools/echo/execute`],
      ['DELETE', `${BASE}/mine`],
    ] as const) {
      expect((await other(method, path)).status).toBe(404)
    }
    expect((await other('PATCH', `${BASE}/mine`, { server_url: 'https://e.com' })).status).toBe(404)
    expect(mcp.received()).toEqual([])
    expect(Object.keys((await call('GET', BASE)).json)).toContain('mine')
  })
})
