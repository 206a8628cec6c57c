import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { describe, expect, it } from 'vitest'
import { classifyRunnerError, runnerTarget } from '../../../core/adapters/runner/index.js'
import { McpTimeoutError } from '../../../core/adapters/mcp/errors.js'
import { verifySignature } from '../../../core/runner/signing.js'

const SECRET = 'client-secret-0123456789abcdefghijkl'
const posted = (status: number, detail: string) =>
  new StreamableHTTPError(status, `Error POSTing to endpoint: ${JSON.stringify({ detail })}`)

describe('runnerTarget', () => {
  it('Should point at the server under /mcp and sign what it sends', async () => {
    const sent: { url: string; init: RequestInit }[] = []
    const fetch = async (url: string | URL, init?: RequestInit) => {
      sent.push({ url: String(url), init: init ?? {} })
      return new Response('{}')
    }
    const target = runnerTarget(
      { organizationId: 'org 1', id: 'mcp_server-1' },
      { url: 'http://10.0.0.5:8100', secret: SECRET },
      { fetch, now: () => 1_800_000_000_000 },
    )

    await target.fetch(target.url, { method: 'POST', body: '{"id":1}' })

    const headers = new Headers(sent[0]!.init.headers)
    const parts = { method: 'POST', path: '/mcp/org%201/mcp_server-1', body: '{"id":1}' }
    expect(target.url).toBe('http://10.0.0.5:8100/mcp/org%201/mcp_server-1')
    expect(verifySignature(SECRET, parts, headers, 1_800_000_000_000)).toMatchObject({ ok: true })
  })
})

describe('classifyRunnerError', () => {
  it.each([
    [
      'a refused signature',
      posted(401, 'Invalid request signature'),
      {
        code: 'other',
        message:
          'The stdio runner refused the request signature; the functions and the runner must share HANGAR_RUNNER_SECRET',
      },
    ],
    [
      'a missing server',
      posted(404, 'stdio MCP server s1 not found'),
      { code: 'not_found', message: 'stdio MCP server s1 not found' },
    ],
    [
      'a policy refusal',
      posted(422, 'config.args[0]: "-e" is not allowed'),
      { code: 'other', message: 'Launch refused by policy: config.args[0]: "-e" is not allowed' },
    ],
    [
      'a crash',
      posted(502, 'stdio server exited with code 3'),
      { code: 'other', message: 'stdio server exited with code 3' },
    ],
    [
      'a full runner',
      posted(503, 'the runner already runs 20 stdio servers, all busy'),
      {
        code: 'other',
        message:
          'The stdio runner cannot take it now: the runner already runs 20 stdio servers, all busy',
      },
    ],
    [
      'an unreachable runner',
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      }),
      { code: 'connection_refused', message: 'The stdio runner is not reachable; is it running?' },
    ],
    [
      'a timeout',
      new McpTimeoutError('Timed out after 5 ms while connecting'),
      { code: 'timeout', message: 'Timed out after 5 ms while connecting' },
    ],
  ])('Should classify %s', (_, error, expected) => {
    expect(classifyRunnerError(error)).toEqual(expected)
  })
})
