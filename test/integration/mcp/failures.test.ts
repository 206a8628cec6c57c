import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classifyError, listTools } from '../../../core/adapters/mcp/index.js'
import { freePort } from '../../../infra/local/ports.js'
import {
  hang,
  html,
  startHttpFixture,
  status,
  type Handler,
  type HttpFixture,
} from '../../fixtures/mcp/http-fixture.js'

const options = { allowPrivate: true, connectTimeoutMs: 500, listTimeoutMs: 500 }
const OTHER = {
  streamable_http:
    'If it is an SSE server (its URL often ends in /sse), register it with mcp_server_type "sse"',
  sse: 'If it is a Streamable HTTP server (its URL often ends in /mcp), register it with mcp_server_type "streamable_http"',
}
const NOT_MCP = 'The server is not returning valid MCP (JSON-RPC) responses'

const handlers: Record<string, Handler> = {
  unauthorized: status(401, 'Unauthorized'),
  forbidden: status(403, 'Forbidden'),
  missing: status(404, 'Not Found'),
  broken: status(500, 'Internal Server Error'),
  html,
  json: status(200, '{"hello":"world"}', 'application/json'),
  notJson: status(200, 'hello', 'application/json'),
  hang,
}
const fixtures: Record<string, HttpFixture> = {}
let closedPort: number

beforeAll(async () => {
  for (const [name, handler] of Object.entries(handlers)) {
    fixtures[name] = await startHttpFixture(handler)
  }
  closedPort = await freePort()
})
afterAll(() => Promise.all(Object.values(fixtures).map((f) => f.close())))

const failure = (type: 'sse' | 'streamable_http', url: string) =>
  listTools({ type, url, headers: { Authorization: 'Bearer s3cr3t-token' } }, options).then(
    () => undefined,
    (e: unknown) => classifyError(e, ['Bearer s3cr3t-token']),
  )

describe.each(['streamable_http', 'sse'] as const)('listTools failures over %s', (type) => {
  const at = (name: string) => fixtures[name]!.url(type === 'sse' ? '/sse' : '/mcp')

  it.each([
    ['unauthorized', 'unauthorized', 'The MCP server refused the credentials (HTTP 401)'],
    ['forbidden', 'unauthorized', 'The MCP server refused the credentials (HTTP 403)'],
    [
      'missing',
      'not_found',
      `Nothing found at the URL (HTTP 404); check that it is the server's MCP endpoint. ${OTHER[type]}`,
    ],
    ['broken', 'other', 'The MCP server answered HTTP 500'],
    ['html', 'invalid_response', `${NOT_MCP} (unexpected content type)`],
    ['hang', 'timeout', 'Timed out after 500 ms while connecting to the MCP server'],
  ])('maps a %s server to %s', async (name, code, message) => {
    // An HTTP 5xx may pass by itself: the sync retries it (see sync.next_retry_at).
    const transient = name === 'broken' ? { transient: true } : {}
    expect(await failure(type, at(name))).toEqual({ code, message, ...transient })
  })

  it('maps a closed port to connection_refused', async () => {
    expect(await failure(type, `http://127.0.0.1:${closedPort}/mcp`)).toEqual({
      code: 'connection_refused',
      message: `Connection refused at 127.0.0.1:${closedPort}; is the server running?`,
    })
  })

  it('maps an unknown host to dns', async () => {
    expect(await failure(type, 'http://no-such-host.invalid/mcp')).toEqual({
      code: 'dns',
      message: 'Cannot resolve hostname: no-such-host.invalid',
    })
  })
})

describe('listTools failures over streamable_http only', () => {
  it.each(['json', 'notJson'])(
    'maps a 200 %s body that is not JSON-RPC to invalid_response',
    async (name) => {
      expect(await failure('streamable_http', fixtures[name]!.url())).toEqual({
        code: 'invalid_response',
        message: NOT_MCP,
      })
    },
  )
})
