import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncServer } from '../../../core/tools/sync.js'
import {
  simpleTool,
  startMutableServer,
  type MutableServer,
} from '../../fixtures/mcp/mutable-server.js'
import { newOrg, testApp } from '../../support/deps.js'

const TOKEN = 'moved-token-0123456789'
const HEADER = 'moved-header-0123456789'
let ctx: ReturnType<typeof testApp>
let home: MutableServer
let elsewhere: MutableServer
let auth: Record<string, string>
let organizationId: string

const call = async (method: string, path: string, body?: unknown) => {
  const res = await ctx.app.request(path, {
    method,
    headers: { ...auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return {
    status: res.status,
    dropped: res.headers.get('hangar-secrets-dropped'),
    json: (await res.json()) as Record<string, any>,
  }
}

const create = async (name: string) => {
  const res = await call('POST', '/v1/mcp-servers/', {
    server_name: name,
    config: {
      mcp_server_type: 'streamable_http',
      server_url: home.url(),
      auth_token: TOKEN,
      custom_headers: { 'X-Key': HEADER },
    },
  })
  expect(res.status).toBe(200)
  return res.json as { id: string; auth_token: string; custom_headers: Record<string, string> }
}

/** Syncs the server as the worker would, then returns the headers the upstream received. */
const syncAndSee = async (id: string, config_version: number, upstream: MutableServer) => {
  const outcome = await syncServer(ctx.deps.sync, {
    organization_id: organizationId,
    server_id: id,
    config_version,
    reason: 'updated',
  })
  expect(outcome).toMatchObject({ outcome: 'ok' })
  const seen = upstream.lastHeaders()
  return { authorization: seen.authorization, key: seen['x-key'] }
}

beforeAll(async () => {
  ctx = testApp()
  home = await startMutableServer([simpleTool('alpha')])
  elsewhere = await startMutableServer([simpleTool('alpha')])
  const org = await newOrg(ctx.deps)
  auth = org.auth
  organizationId = org.organizationId
})

afterAll(async () => {
  await Promise.all([home?.close(), elsewhere?.close()])
})

describe('PATCH that moves a server to another origin', () => {
  it('Should drop the stored secrets, say so, and send none of them to the new host', async () => {
    const server = await create('moved-bare')
    const res = await call('PATCH', `/v1/mcp-servers/${server.id}`, {
      config: { mcp_server_type: 'streamable_http', server_url: elsewhere.url() },
    })
    expect(res.status).toBe(200)
    expect(res.dropped).toBe('auth_token, custom_headers.X-Key')
    expect(res.json).toMatchObject({
      server_url: elsewhere.url(),
      auth_token: null,
      custom_headers: null,
    })
    expect(await syncAndSee(server.id, 2, elsewhere)).toEqual({
      authorization: undefined,
      key: undefined,
    })
  })

  it('Should not take the masks a client read back as the secrets', async () => {
    const server = await create('moved-masks')
    const res = await call('PATCH', `/v1/mcp-servers/${server.id}`, {
      config: {
        mcp_server_type: 'streamable_http',
        server_url: elsewhere.url(),
        auth_token: server.auth_token,
        custom_headers: server.custom_headers,
      },
    })
    expect(res.dropped).toBe('auth_token, custom_headers.X-Key')
    expect(res.json).toMatchObject({ auth_token: null, custom_headers: null })
    expect(await syncAndSee(server.id, 2, elsewhere)).toEqual({
      authorization: undefined,
      key: undefined,
    })
  })

  it('Should keep the secrets the same request sends again', async () => {
    const server = await create('moved-resent')
    const res = await call('PATCH', `/v1/mcp-servers/${server.id}`, {
      config: {
        mcp_server_type: 'streamable_http',
        server_url: elsewhere.url(),
        auth_token: TOKEN,
      },
    })
    expect(res.dropped).toBe('custom_headers.X-Key')
    expect(res.json).toMatchObject({ auth_token: `Bearer ****6789`, custom_headers: null })
    expect(await syncAndSee(server.id, 2, elsewhere)).toEqual({
      authorization: `Bearer ${TOKEN}`,
      key: undefined,
    })
  })

  it('Should keep every secret when only the path changes (same origin)', async () => {
    const server = await create('moved-path')
    const res = await call('PATCH', `/v1/mcp-servers/${server.id}`, {
      config: { mcp_server_type: 'streamable_http', server_url: home.url('/mcp?v=2') },
    })
    expect(res.status).toBe(200)
    expect(res.dropped).toBeNull()
    expect(res.json).toMatchObject({
      auth_token: 'Bearer ****6789',
      custom_headers: { 'X-Key': '****6789' },
    })
    expect(await syncAndSee(server.id, 2, home)).toEqual({
      authorization: `Bearer ${TOKEN}`,
      key: HEADER,
    })
  })

  it('Should drop a stdio server env when its command changes, unless sent again', async () => {
    const config = { mcp_server_type: 'stdio', command: 'node', args: ['a.js'] }
    const created = await call('POST', '/v1/mcp-servers/', {
      server_name: 'moved-stdio',
      config: { ...config, env: { API_KEY: 'stdio-secret-0123456789', MODE: 'fast-mode-1' } },
    })
    const id = created.json.id as string
    const res = await call('PATCH', `/v1/mcp-servers/${id}`, {
      config: { ...config, args: ['b.js'], env: { MODE: 'fast-mode-1' } },
    })
    expect(res.status).toBe(200)
    expect(res.dropped).toBe('env.API_KEY')
    expect(res.json.env).toEqual({ MODE: '****' })
    const same = await call('PATCH', `/v1/mcp-servers/${id}`, {
      config: { ...config, args: ['b.js'], env: { MODE: '****' } },
    })
    expect(same.dropped).toBeNull()
    expect(same.json.env).toEqual({ MODE: '****' })
  })
})
