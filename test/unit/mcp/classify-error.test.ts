import { McpError } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it } from 'vitest'
import { classifyError } from '../../../core/adapters/mcp/classify-error.js'
import { BlockedUrlError, McpTimeoutError } from '../../../core/adapters/mcp/errors.js'

const sysError = (code: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${code} failure`), { code, ...fields })

const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause })

describe('classifyError', () => {
  it.each([
    [
      'a refused connection',
      fetchFailed(sysError('ECONNREFUSED', { address: '10.0.0.5', port: 8080 })),
      {
        code: 'connection_refused',
        message: 'Connection refused at 10.0.0.5:8080; is the server running?',
      },
    ],
    [
      'an unknown host',
      fetchFailed(sysError('ENOTFOUND', { hostname: 'mcp.example.com' })),
      { code: 'dns', message: 'Cannot resolve hostname: mcp.example.com' },
    ],
    [
      'a DNS failure to retry',
      fetchFailed(sysError('EAI_AGAIN', { hostname: 'mcp.example.com' })),
      { code: 'dns', message: 'Cannot resolve hostname: mcp.example.com' },
    ],
    [
      'a connect deadline',
      new McpTimeoutError('Timed out after 500 ms while connecting to the MCP server'),
      { code: 'timeout', message: 'Timed out after 500 ms while connecting to the MCP server' },
    ],
    [
      'an SDK request timeout',
      new McpError(-32001, 'Request timed out'),
      {
        code: 'timeout',
        message: 'The MCP server did not answer in time (MCP error -32001: Request timed out)',
      },
    ],
    [
      'an abort',
      new DOMException('The operation was aborted', 'AbortError'),
      {
        code: 'timeout',
        message: 'The MCP server did not answer in time (The operation was aborted)',
      },
    ],
    [
      'an undici connect timeout',
      fetchFailed(
        Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
      ),
      { code: 'timeout', message: 'The MCP server did not answer in time (Connect Timeout Error)' },
    ],
    [
      'a refused address behind fetch',
      fetchFailed(new BlockedUrlError('Hostname resolves to non-public IP: 10.0.0.1')),
      { code: 'blocked_url', message: 'Hostname resolves to non-public IP: 10.0.0.1' },
    ],
    [
      'an MCP error from the server',
      new McpError(-32603, 'Internal error'),
      { code: 'other', message: 'MCP request failed: MCP error -32603: Internal error' },
    ],
    ['a thrown string', 'boom', { code: 'other', message: 'MCP request failed: boom' }],
  ])('classifies %s', (_, error, expected) => {
    expect(classifyError(error)).toEqual(expected)
  })

  it('prefers a blocked address to the timeout it caused', () => {
    const blocked = new BlockedUrlError('Non-public IP not allowed: 127.0.0.1')
    const error = Object.assign(new McpError(-32001, 'Request timed out'), { cause: blocked })

    expect(classifyError(error)).toEqual({
      code: 'blocked_url',
      message: 'Non-public IP not allowed: 127.0.0.1',
    })
  })

  it('removes header values the server echoed', () => {
    const error = new McpError(-32603, 'bad token Bearer abc-123 (abc-123)')

    expect(classifyError(error, ['Bearer abc-123'])).toEqual({
      code: 'other',
      message: 'MCP request failed: MCP error -32603: bad token **** (****)',
    })
  })
})
