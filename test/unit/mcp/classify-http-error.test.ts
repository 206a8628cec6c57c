import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js'
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js'
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { McpError } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it } from 'vitest'
import { classifyError } from '../../../core/adapters/mcp/classify-error.js'
import { InvalidResponseError } from '../../../core/adapters/mcp/errors.js'

const NOT_MCP = 'The server is not returning valid MCP (JSON-RPC) responses'

const sseError = (code: number, message: string) => new SseError(code, message, undefined as never)

const zodError = () => Object.assign(new Error('[ ...issues ]'), { name: 'ZodError' })

describe('classifyError for HTTP answers', () => {
  it.each([
    [
      'a streamable 401',
      new StreamableHTTPError(401, 'Error POSTing to endpoint: nope'),
      { code: 'unauthorized', message: 'The MCP server refused the credentials (HTTP 401)' },
    ],
    [
      'an SSE 403',
      sseError(403, 'Non-200 status code (403)'),
      { code: 'unauthorized', message: 'The MCP server refused the credentials (HTTP 403)' },
    ],
    [
      'an OAuth demand',
      new UnauthorizedError('No auth provider'),
      { code: 'unauthorized', message: 'The MCP server requires authorization' },
    ],
    [
      'a streamable 404',
      new StreamableHTTPError(404, 'Error POSTing to endpoint: Not Found'),
      {
        code: 'not_found',
        message:
          'Nothing found at the URL (HTTP 404); check that it is the server\'s MCP endpoint. If it is an SSE server (its URL often ends in /sse), register it with mcp_server_type "sse"',
      },
    ],
    [
      'an SSE 404',
      sseError(404, 'Non-200 status code (404)'),
      {
        code: 'not_found',
        message:
          'Nothing found at the URL (HTTP 404); check that it is the server\'s MCP endpoint. If it is a Streamable HTTP server (its URL often ends in /mcp), register it with mcp_server_type "streamable_http"',
      },
    ],
    [
      'an HTML answer over streamable HTTP',
      new StreamableHTTPError(-1, 'Unexpected content type: text/html'),
      { code: 'invalid_response', message: `${NOT_MCP} (unexpected content type)` },
    ],
    [
      'an HTML answer over SSE',
      sseError(200, 'Invalid content type, expected "text/event-stream"'),
      { code: 'invalid_response', message: `${NOT_MCP} (unexpected content type)` },
    ],
    ['JSON that is not JSON-RPC', zodError(), { code: 'invalid_response', message: NOT_MCP }],
    [
      'a body that is not JSON',
      new SyntaxError('Unexpected token h'),
      { code: 'invalid_response', message: NOT_MCP },
    ],
    [
      'an unknown method',
      new McpError(-32601, 'Method not found'),
      { code: 'invalid_response', message: NOT_MCP },
    ],
    [
      'a cursor loop',
      new InvalidResponseError('tools/list repeated the cursor "x"'),
      { code: 'invalid_response', message: `${NOT_MCP}: tools/list repeated the cursor "x"` },
    ],
    [
      'a server error',
      new StreamableHTTPError(500, 'Error POSTing to endpoint: boom'),
      { code: 'other', message: 'The MCP server answered HTTP 500', transient: true },
    ],
    [
      'a rate limit',
      new StreamableHTTPError(429, 'Error POSTing to endpoint: slow down'),
      { code: 'other', message: 'The MCP server answered HTTP 429', transient: true },
    ],
    [
      'a bad request',
      new StreamableHTTPError(400, 'Error POSTing to endpoint: no'),
      { code: 'other', message: 'The MCP server answered HTTP 400' },
    ],
  ])('classifies %s', (_, error, expected) => {
    expect(classifyError(error)).toEqual(expected)
  })
})
