import { beforeAll, describe, expect, it } from 'vitest'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'

let call: ReturnType<typeof apiCaller>
let existing: string

const RESERVED = [
  'Content-Length',
  'Host',
  'Connection',
  'Transfer-Encoding',
  'Upgrade',
  'Expect',
  'TE',
  'Trailer',
  'Keep-Alive',
  'Proxy-Authorization',
  'proxy-connection',
  'Mcp-Session-Id',
  'MCP-Protocol-Version',
]
const http = (extra: Record<string, unknown>) => ({
  mcp_server_type: 'streamable_http',
  server_url: 'https://e.com/mcp',
  ...extra,
})

beforeAll(async () => {
  const ctx = testApp()
  call = apiCaller(ctx.app, (await newOrg(ctx.deps)).auth)
  const created = await call('POST', '/v1/mcp-servers/', {
    server_name: 'rules-target',
    config: http({}),
  })
  existing = created.json.id
})

describe('Header names Hangar owns', () => {
  it.each(RESERVED)('Should refuse %s as auth_header and as a custom header', async (name) => {
    const why = `"${name}" is set by Hangar and cannot be sent`
    for (const [method, path] of [
      ['POST', '/v1/mcp-servers/'],
      ['PATCH', `/v1/mcp-servers/${existing}`],
    ]) {
      const asAuth = await call(method!, path!, {
        server_name: 'h',
        config: http({ auth_header: name, auth_token: 'secret-value-123456' }),
      })
      expect(asAuth).toEqual({ status: 422, json: { detail: `config.auth_header: ${why}` } })
      const asCustom = await call(method!, path!, {
        server_name: 'h',
        config: http({ custom_headers: { 'X-Fine': 'a', [name]: 'secret-value-123456' } }),
      })
      expect(asCustom).toEqual({ status: 422, json: { detail: `config.custom_headers: ${why}` } })
    }
  })
})

describe('Header values that are not Latin-1', () => {
  it('Should refuse them with a 422 naming the field, never quoting the value', async () => {
    const token = await call('POST', '/v1/mcp-servers/', {
      server_name: 'h',
      config: http({ auth_token: 'sec\u0142ret-\u20ac-123456' }),
    })
    expect(token).toEqual({
      status: 422,
      json: { detail: 'config.auth_token: contains characters that are not allowed' },
    })
    const custom = await call('POST', '/v1/mcp-servers/', {
      server_name: 'h',
      config: http({ custom_headers: { 'X-Key': 'k\u{1F511}y-123456' } }),
    })
    expect(custom).toEqual({
      status: 422,
      json: { detail: 'config.custom_headers.X-Key: contains characters that are not allowed' },
    })
    const latin1 = await call('POST', '/v1/mcp-servers/', {
      server_name: 'latin-1 ok',
      config: http({ auth_token: 'caf\u00e9-\u00ff-token' }),
    })
    expect(latin1.status).toBe(200)
  })
})

describe('Server names', () => {
  it.each([
    ['a NUL', 'bad\u0000name'],
    ['a newline', 'bad\nname'],
    ['a right-to-left override', 'invoice\u202Egpj.exe'],
    ['a bidi isolate', 'a\u2066b'],
  ])('Should refuse %s', async (_what, name) => {
    const res = await call('POST', '/v1/mcp-servers/', { server_name: name, config: http({}) })
    expect(res).toEqual({
      status: 422,
      json: { detail: 'server_name: contains control or bidirectional characters' },
    })
  })

  it('Should store names in NFC, so NFD "café" is the same name as NFC "café"', async () => {
    const nfc = await call('POST', '/v1/mcp-servers/', {
      server_name: 'caf\u00e9',
      config: http({}),
    })
    expect(nfc.status).toBe(200)
    const nfd = await call('POST', '/v1/mcp-servers/', {
      server_name: 'cafe\u0301',
      config: http({}),
    })
    expect(nfd.status).toBe(409)
    const renamed = await call('PATCH', `/v1/mcp-servers/${existing}`, {
      server_name: 'the\u0301',
      config: { mcp_server_type: 'streamable_http' },
    })
    expect(renamed.json.server_name).toBe('th\u00e9')
  })
})
