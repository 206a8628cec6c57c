import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classifyError, listTools } from '../../../core/adapters/mcp/index.js'
import { startEverything, type Everything } from '../../fixtures/mcp/everything.js'
import { startHttpFixture, status, type HttpFixture } from '../../fixtures/mcp/http-fixture.js'

const options = { allowPrivate: true, connectTimeoutMs: 5000, listTimeoutMs: 5000 }
const failure = (type: 'sse' | 'streamable_http', url: string) =>
  listTools({ type, url, headers: {} }, options).then(
    () => undefined,
    (e: unknown) => classifyError(e),
  )

let sse: Everything
let streamable: Everything
let plain: HttpFixture

beforeAll(async () => {
  ;[sse, streamable, plain] = await Promise.all([
    startEverything('sse'),
    startEverything('streamableHttp'),
    startHttpFixture(status(200, '{}', 'application/json')),
  ])
})
afterAll(() => Promise.all([sse?.stop(), streamable?.stop(), plain?.close()]))

describe('Messages that name the fix (real server-everything in each mode)', () => {
  it('Should hint at "sse" when an SSE server is registered as streamable_http', async () => {
    expect(await failure('streamable_http', `http://127.0.0.1:${sse.port}/sse`)).toEqual({
      code: 'not_found',
      message:
        'Nothing found at the URL (HTTP 404); check that it is the server\'s MCP endpoint. If it is an SSE server (its URL often ends in /sse), register it with mcp_server_type "sse"',
    })
  })

  it('Should hint at "streamable_http" when a Streamable HTTP server is registered as sse', async () => {
    expect(await failure('sse', `http://127.0.0.1:${streamable.port}/mcp`)).toEqual({
      code: 'other',
      message:
        'The MCP server answered HTTP 400. If it is a Streamable HTTP server (its URL often ends in /mcp), register it with mcp_server_type "streamable_http"',
    })
  })

  it.each(['sse', 'streamable_http'] as const)(
    'Should say "use http://" for https:// to a plain HTTP server over %s, not OpenSSL text',
    async (type) => {
      const url = plain.url(type === 'sse' ? '/sse' : '/mcp').replace('http://', 'https://')
      expect(await failure(type, url)).toEqual({
        code: 'other',
        message:
          'The URL starts with https:// but the server answered in plain HTTP (no TLS); use http:// for it',
      })
    },
  )
})
