import { beforeAll, describe, expect, it } from 'vitest'
import { clientsFor } from '../../support/aws.js'
import { newOrg, testApp } from '../../support/deps.js'
import { drainBodies, privateQueue } from '../../support/queue.js'
import { inject } from 'vitest'
import { scanAll } from '../../support/scan.js'

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'
const pendingSync = { status: 'pending', tool_count: 0, last_synced_at: null, error: null }

let ctx: Awaited<ReturnType<typeof setup>>

const setup = async () => {
  const sqs = clientsFor(inject('endpoints')).sqs
  const queueUrl = await privateQueue(sqs, 'servers-api')
  const built = testApp({ syncQueueUrl: queueUrl })
  const org = await newOrg(built.deps)
  const call = async (method: string, path: string, body?: unknown, headers = org.auth) => {
    const res = await built.app.request(path, {
      method,
      headers: { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.text()
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      text,
      json: text ? JSON.parse(text) : null,
    }
  }
  return { ...built, sqs, queueUrl, org, call }
}

beforeAll(async () => {
  ctx = await setup()
})

const sse = (name: string) => ({
  server_name: name,
  config: {
    mcp_server_type: 'sse',
    server_url: 'https://mcp.example.com/sse',
    auth_header: 'Authorization',
    auth_token: 's3cret-token-ABCD',
    custom_headers: { 'X-Team': 'hdr-value-WXYZ' },
  },
})

describe('GET /v1/health/', () => {
  it('Should answer without a key', async () => {
    const res = await ctx.call('GET', '/v1/health/', undefined, {} as never)
    expect(res).toMatchObject({ status: 200, json: { status: 'ok', version: 'test' } })
  })
})

describe('Authentication', () => {
  it.each([
    ['no header', {}, 'Missing API key: send Authorization: Bearer <key>'],
    ['unknown key', { authorization: 'Bearer hgr_nope' }, 'Invalid API key'],
    [
      'wrong scheme',
      { authorization: 'Basic abc' },
      'The Authorization header must be "Bearer <key>"; it uses another scheme',
    ],
    [
      'a key without Bearer',
      { authorization: 'hgr_abc' },
      'The Authorization header must be "Bearer <key>": put "Bearer " before the key',
    ],
  ])('Should answer 401 JSON for %s', async (_, headers, detail) => {
    const res = await ctx.call('GET', '/v1/mcp-servers/', undefined, headers as never)
    expect(res.status).toBe(401)
    expect(res.type).toContain('application/json')
    expect(res.json).toEqual({ detail })
  })
})

describe('POST /v1/mcp-servers/', () => {
  it('Should create an SSE server with masked secrets and queue its sync', async () => {
    const res = await ctx.call('POST', '/v1/mcp-servers/', sse('docs'))
    expect(res.status).toBe(200)
    expect(res.type).toContain('application/json')
    expect(res.json).toEqual({
      id: expect.stringMatching(new RegExp(`^mcp_server-${uuid}$`)),
      server_name: 'docs',
      mcp_server_type: 'sse',
      server_url: 'https://mcp.example.com/sse',
      auth_header: 'Authorization',
      auth_token: 'Bearer ****ABCD',
      custom_headers: { 'X-Team': '****WXYZ' },
      oauth: { status: 'none', expires_at: null, scopes: [], last_error: null },
      sync: pendingSync,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    })
    const messages = await drainBodies(ctx.sqs, ctx.queueUrl)
    expect(messages).toEqual([
      {
        organization_id: ctx.org.organizationId,
        server_id: res.json.id,
        config_version: 1,
        reason: 'created',
      },
    ])
  })

  it('Should create streamable_http without the trailing slash, keeping a custom auth header', async () => {
    const res = await ctx.call('POST', '/v1/mcp-servers', {
      server_name: 'http-one',
      config: {
        mcp_server_type: 'streamable_http',
        server_url: 'https://x.example.com/mcp',
        auth_header: 'X-API-Key',
        auth_token: 'short',
      },
    })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      mcp_server_type: 'streamable_http',
      auth_header: 'X-API-Key',
      auth_token: '****',
      custom_headers: null,
    })
  })

  it('Should create a stdio server with masked env', async () => {
    const res = await ctx.call('POST', '/v1/mcp-servers/', {
      server_name: 'files',
      config: {
        mcp_server_type: 'stdio',
        command: 'npx',
        args: ['-y', 'a b'],
        env: { TOKEN: 'env-secret-value-1234' },
      },
    })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      mcp_server_type: 'stdio',
      command: 'npx',
      args: ['-y', 'a b'],
      env: { TOKEN: '****1234' },
    })
  })

  it('Should refuse a duplicate name with 409', async () => {
    await ctx.call('POST', '/v1/mcp-servers/', sse('dup'))
    const res = await ctx.call('POST', '/v1/mcp-servers/', sse('dup'))
    expect(res).toMatchObject({
      status: 409,
      json: { detail: 'An MCP server named "dup" already exists' },
    })
  })

  it.each([
    ['an unknown field', { ...sse('a'), extra: 1 }, 'extra: unknown field'],
    [
      'an unknown config field',
      { server_name: 'a', config: { ...sse('a').config, bogus: true } },
      'config.bogus: unknown field',
    ],
    [
      'no type',
      { server_name: 'a', config: { server_url: 'https://e.com' } },
      'config.mcp_server_type: field required (one of "stdio", "sse", "streamable_http")',
    ],
    [
      'a wrong type',
      { server_name: 'a', config: { mcp_server_type: 'websocket' } },
      'config.mcp_server_type: must be one of "stdio", "sse", "streamable_http"',
    ],
    [
      'no url',
      { server_name: 'a', config: { mcp_server_type: 'sse' } },
      'config.server_url: field required',
    ],
    ['a numeric name', { server_name: 5, config: sse('a').config }, 'server_name: must be string'],
    ['no config', { server_name: 'a' }, 'config: field required'],
    [
      'an ftp url',
      { server_name: 'a', config: { mcp_server_type: 'sse', server_url: 'ftp://x.com' } },
      "config.server_url: server_url must start with 'http://' or 'https://', got: 'ftp://x.com'",
    ],
    [
      'a header with CRLF',
      {
        server_name: 'a',
        config: {
          mcp_server_type: 'sse',
          server_url: 'https://e.com',
          custom_headers: { A: 'x\r\nB: y' },
        },
      },
      'config.custom_headers.A: contains characters that are not allowed',
    ],
    [
      'args not an array',
      { server_name: 'a', config: { mcp_server_type: 'stdio', command: 'node', args: 'x.js' } },
      'config.args: must be array',
    ],
    ['a body that is an array', [], 'body: must be object'],
  ])('Should answer 422 naming the field for %s', async (_, body, detail) => {
    const res = await ctx.call('POST', '/v1/mcp-servers/', body)
    expect(res).toMatchObject({ status: 422, json: { detail } })
  })

  it('Should answer 422 for malformed JSON', async () => {
    const res = await ctx.call('POST', '/v1/mcp-servers/', '{"server_name":')
    expect(res).toMatchObject({ status: 422, json: { detail: 'body: not valid JSON' } })
  })

  it('Should refuse private targets unless they are allowed', async () => {
    const strict = testApp({ allowPrivateUrls: false })
    const org = await newOrg(strict.deps)
    const post = (url: string) =>
      strict.app.request('/v1/mcp-servers/', {
        method: 'POST',
        headers: { ...org.auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          server_name: url,
          config: { mcp_server_type: 'sse', server_url: url },
        }),
      })
    const local = await post('http://127.0.0.1:3001/sse')
    expect(local.status).toBe(422)
    expect(await local.json()).toEqual({
      detail: 'config.server_url: Non-public IP not allowed: 127.0.0.1',
    })
    const hex = await post('http://0x7f000001/sse')
    expect(await hex.json()).toEqual({
      detail: 'config.server_url: Non-public IP not allowed: 127.0.0.1',
    })
    const named = await post('http://localhost:3001/sse')
    expect(await named.json()).toEqual({
      detail: 'config.server_url: Blocked internal hostname: localhost',
    })
    expect((await post('https://mcp.example.com/sse')).status).toBe(200)
  })
})

describe('GET, PATCH, DELETE /v1/mcp-servers/{id}', () => {
  it('Should list, retrieve, update and delete', async () => {
    const created = (await ctx.call('POST', '/v1/mcp-servers/', sse('life'))).json
    await drainBodies(ctx.sqs, ctx.queueUrl)
    const list = await ctx.call('GET', '/v1/mcp-servers/')
    expect(list.status).toBe(200)
    expect(list.json.map((s: { id: string }) => s.id)).toContain(created.id)
    expect((await ctx.call('GET', `/v1/mcp-servers/${created.id}`)).json).toEqual(created)

    const renamed = await ctx.call('PATCH', `/v1/mcp-servers/${created.id}`, {
      server_name: 'life-2',
      config: { mcp_server_type: 'sse', server_url: null, auth_token: null },
    })
    expect(renamed.status).toBe(200)
    expect(renamed.json).toMatchObject({
      server_name: 'life-2',
      server_url: created.server_url,
      auth_token: 'Bearer ****ABCD',
      sync: pendingSync,
    })
    expect(await drainBodies(ctx.sqs, ctx.queueUrl)).toEqual([])

    const moved = await ctx.call('PATCH', `/v1/mcp-servers/${created.id}`, {
      config: { mcp_server_type: 'sse', server_url: 'https://other.example.com/sse' },
    })
    expect(moved.json.server_url).toBe('https://other.example.com/sse')
    expect(await drainBodies(ctx.sqs, ctx.queueUrl)).toEqual([
      {
        organization_id: ctx.org.organizationId,
        server_id: created.id,
        config_version: 2,
        reason: 'updated',
      },
    ])

    const deleted = await ctx.call('DELETE', `/v1/mcp-servers/${created.id}`)
    expect(deleted).toMatchObject({ status: 204, text: '' })
    expect((await ctx.call('GET', `/v1/mcp-servers/${created.id}`)).status).toBe(404)
    expect((await ctx.call('DELETE', `/v1/mcp-servers/${created.id}`)).json).toEqual({
      detail: `MCP server ${created.id} not found`,
    })
    // The name is free again once the server is gone.
    expect((await ctx.call('POST', '/v1/mcp-servers/', sse('life-2'))).status).toBe(200)
  })

  it('Should keep a secret sent back as its mask and replace one sent anew', async () => {
    const created = (await ctx.call('POST', '/v1/mcp-servers/', sse('masks'))).json
    await ctx.call('PATCH', `/v1/mcp-servers/${created.id}`, {
      config: {
        mcp_server_type: 'sse',
        server_url: null,
        auth_token: created.auth_token,
        custom_headers: { ...created.custom_headers, 'X-New': 'fresh-header-9876' },
      },
    })
    const stored = await ctx.deps.registry.get(ctx.org.organizationId, created.id)
    expect(await ctx.deps.registry.secrets(stored)).toEqual({
      authToken: 'Bearer s3cret-token-ABCD',
      customHeaders: { 'X-Team': 'hdr-value-WXYZ', 'X-New': 'fresh-header-9876' },
    })
    const replaced = await ctx.call('PATCH', `/v1/mcp-servers/${created.id}`, {
      config: { mcp_server_type: 'sse', auth_token: 'another-token-7777' },
    })
    expect(replaced.json.auth_token).toBe('Bearer ****7777')
  })

  it('Should refuse a rename onto a taken name and leave both servers intact', async () => {
    const a = (await ctx.call('POST', '/v1/mcp-servers/', sse('keep-a'))).json
    const b = (await ctx.call('POST', '/v1/mcp-servers/', sse('keep-b'))).json
    const res = await ctx.call('PATCH', `/v1/mcp-servers/${b.id}`, {
      server_name: 'keep-a',
      config: { mcp_server_type: 'sse' },
    })
    expect(res).toMatchObject({
      status: 409,
      json: { detail: 'An MCP server named "keep-a" already exists' },
    })
    expect((await ctx.call('GET', `/v1/mcp-servers/${a.id}`)).json.server_name).toBe('keep-a')
    expect((await ctx.call('GET', `/v1/mcp-servers/${b.id}`)).json.server_name).toBe('keep-b')
  })

  it('Should refuse changing the server type', async () => {
    const a = (await ctx.call('POST', '/v1/mcp-servers/', sse('typed'))).json
    const res = await ctx.call('PATCH', `/v1/mcp-servers/${a.id}`, {
      config: { mcp_server_type: 'stdio' },
    })
    expect(res).toMatchObject({
      status: 422,
      json: { detail: 'config.mcp_server_type: must be "sse" (a server\'s type cannot change)' },
    })
  })

  it("Should hide one organization's servers from another", async () => {
    const a = (await ctx.call('POST', '/v1/mcp-servers/', sse('private'))).json
    const other = await newOrg(ctx.deps)
    const path = `/v1/mcp-servers/${a.id}`
    expect((await ctx.call('GET', path, undefined, other.auth)).status).toBe(404)
    expect(
      (
        await ctx.call(
          'PATCH',
          path,
          { server_name: 'stolen', config: { mcp_server_type: 'sse' } },
          other.auth,
        )
      ).status,
    ).toBe(404)
    expect((await ctx.call('DELETE', path, undefined, other.auth)).status).toBe(404)
    expect((await ctx.call('GET', '/v1/mcp-servers/', undefined, other.auth)).json).toEqual([])
    expect((await ctx.call('GET', path)).json).toEqual(a)
  })

  it('Should page the list with limit and after', async () => {
    const org = await newOrg(ctx.deps)
    for (const name of ['p1', 'p2', 'p3'])
      await ctx.call('POST', '/v1/mcp-servers/', sse(name), org.auth)
    const first = (await ctx.call('GET', '/v1/mcp-servers/?limit=2', undefined, org.auth)).json
    expect(first).toHaveLength(2)
    const rest = (
      await ctx.call('GET', `/v1/mcp-servers/?limit=2&after=${first[1].id}`, undefined, org.auth)
    ).json
    expect([...first, ...rest].map((s: { server_name: string }) => s.server_name).sort()).toEqual([
      'p1',
      'p2',
      'p3',
    ])
    expect((await ctx.call('GET', '/v1/mcp-servers/?limit=0', undefined, org.auth)).json).toEqual({
      detail: 'limit: must be an integer from 1 to 1000',
    })
  })
})

describe('Secrets at rest', () => {
  it('Should store no plaintext secret anywhere in the table', async () => {
    await ctx.call('POST', '/v1/mcp-servers/', {
      server_name: 'planted',
      config: {
        mcp_server_type: 'streamable_http',
        server_url: 'https://e.com/mcp',
        auth_token: 's3cret-XYZ',
        custom_headers: { 'X-H': 'hdr-XYZ' },
      },
    })
    await ctx.call('POST', '/v1/mcp-servers/', {
      server_name: 'planted-env',
      config: { mcp_server_type: 'stdio', command: 'node', args: [], env: { K: 'env-XYZ-plain' } },
    })
    const dump = JSON.stringify(await scanAll(ctx.deps), (_, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    )
    expect(dump).toContain('planted')
    for (const secret of ['s3cret-XYZ', 'hdr-XYZ', 'env-XYZ-plain'])
      expect(dump).not.toContain(secret)
    expect(JSON.stringify(ctx.lines)).not.toMatch(/XYZ/)
  })
})
