import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redirectTo, startHttpFixture } from '../../fixtures/mcp/http-fixture.js'
import type { Handler, HttpFixture } from '../../fixtures/mcp/http-fixture.js'
import { pagedHandler } from '../../fixtures/mcp/paged-server.js'
import { outcome, publicUrl } from '../../fixtures/mcp/public-names.js'

const key = { header: 'X-Api-Key', value: 'k-123456' }
let target: HttpFixture
const started: HttpFixture[] = []
const start = async (handler: Handler) => {
  const fixture = await startHttpFixture(handler)
  started.push(fixture)
  return fixture
}

beforeAll(async () => {
  target = await start(pagedHandler({ tools: 3, pageSize: 10, require: key }))
})
afterAll(() => Promise.all(started.map((f) => f.close())))

describe('redirects', () => {
  const headers = { 'X-Api-Key': key.value }

  it('follows a redirect to another allowed origin, connecting to the checked address', async () => {
    const open = await start(pagedHandler({ tools: 2, pageSize: 10 }))
    const redirector = await start(redirectTo(publicUrl(open), 307))

    const result = await outcome({ type: 'streamable_http', url: publicUrl(redirector), headers })

    expect(result).toEqual(2)
  })

  it('drops the secret headers on a redirect to another origin', async () => {
    const redirector = await start(redirectTo(publicUrl(target), 307))
    const before = target.requests()

    const result = await outcome({ type: 'streamable_http', url: publicUrl(redirector), headers })

    expect(result).toEqual({
      code: 'unauthorized',
      message: 'The MCP server refused the credentials (HTTP 401)',
    })
    expect(target.requests()).toEqual(before + 1)
  })

  it('keeps the secret headers on a same-origin redirect', async () => {
    const mcp = pagedHandler({ tools: 3, pageSize: 10, require: key })
    const site = await start((req, res) =>
      req.url === '/old' ? redirectTo('/mcp', 308)(req, res) : mcp(req, res),
    )

    const result = await outcome({ type: 'streamable_http', url: publicUrl(site, '/old'), headers })

    expect(result).toEqual(3)
  })

  describe.each(['streamable_http', 'sse'] as const)('over %s', (type) => {
    it.each([
      ['127.0.0.1', 'Non-public IP not allowed: 127.0.0.1'],
      ['internal.example.test', 'Hostname resolves to non-public IP: 127.0.0.1'],
    ])('refuses a redirect to %s without contacting it', async (host, message) => {
      const redirector = await start(redirectTo(`http://${host}:${target.port}/mcp`))
      const before = target.requests()

      const result = await outcome({ type, url: publicUrl(redirector), headers })

      expect(result).toEqual({ code: 'blocked_url', message })
      expect(redirector.requests()).toEqual(1)
      expect(target.requests()).toEqual(before)
    })

    it('gives up after five redirects', async () => {
      const loop = await start(redirectTo('/again', 307))

      const result = await outcome({ type, url: publicUrl(loop), headers })

      expect(result).toEqual({
        code: 'invalid_response',
        message:
          'The server is not returning valid MCP (JSON-RPC) responses: Too many redirects (more than 5)',
      })
      expect(loop.requests()).toEqual(6)
    })
  })
})
