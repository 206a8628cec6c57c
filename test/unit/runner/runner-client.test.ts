import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { describe, expect, it } from 'vitest'
import { classifyRunnerError, runnerTarget } from '../../../core/adapters/runner/index.js'
import { McpTimeoutError } from '../../../core/adapters/mcp/errors.js'
import { configHash } from '../../../core/runner/config-hash.js'
import { openLaunch } from '../../../core/runner/sealed-launch.js'
import { verifySignature } from '../../../core/runner/signing.js'

const SECRET = 'client-secret-0123456789abcdefghijkl'
const posted = (status: number, detail: string) =>
  new StreamableHTTPError(status, `Error POSTing to endpoint: ${JSON.stringify({ detail })}`)

describe('runnerTarget', () => {
  const launch = {
    command: 'node',
    args: ['server.js', 'stdio'],
    env: { API_TOKEN: 'tok-wire-0123456789', REGION: 'eu-west-1' },
  }
  const capture = () => {
    const sent: { url: string; init: RequestInit }[] = []
    const fetch = async (url: string | URL, init?: RequestInit) => {
      sent.push({ url: String(url), init: init ?? {} })
      return new Response('{}')
    }
    return { sent, fetch }
  }

  it('Should point at the server under /mcp and sign what it sends', async () => {
    const { sent, fetch } = capture()
    const target = runnerTarget(
      { organizationId: 'org 1', id: 'mcp_server-1' },
      { url: 'http://10.0.0.5:8100', secret: SECRET },
      launch,
      { fetch, now: () => 1_800_000_000_000 },
    )

    await target.fetch(target.url, { method: 'POST', body: '{"id":1}' })

    const headers = new Headers(sent[0]!.init.headers)
    const body = sent[0]!.init.body as string
    const parts = { method: 'POST', path: '/mcp/org%201/mcp_server-1', body }
    expect(target.url).toBe('http://10.0.0.5:8100/mcp/org%201/mcp_server-1')
    expect(verifySignature(SECRET, parts, headers, 1_800_000_000_000)).toMatchObject({ ok: true })
  })

  it('Should wrap each POST with the launch spec, sealed for that request only', async () => {
    const { sent, fetch } = capture()
    const server = { organizationId: 'org-1', id: 'mcp_server-1' }
    const target = runnerTarget(server, { url: 'http://10.0.0.5:8100', secret: SECRET }, launch, {
      fetch,
    })

    await target.fetch(target.url, { method: 'POST', body: '{"jsonrpc":"2.0","id":1}' })

    const body = JSON.parse(sent[0]!.init.body as string) as { launch: string; message: unknown }
    const nonce = new Headers(sent[0]!.init.headers).get('x-hangar-nonce')!
    const binding = { nonce, path: '/mcp/org-1/mcp_server-1' }
    expect(body.message).toEqual({ jsonrpc: '2.0', id: 1 })
    expect(openLaunch(SECRET, body.launch, binding)).toEqual({
      ok: true,
      spec: launch,
      configHash: configHash(launch),
    })
    expect(
      [sent[0]!.init.body as string, JSON.stringify([...new Headers(sent[0]!.init.headers)])].map(
        (text) => ['tok-wire-0123456789', 'eu-west-1', 'server.js'].filter((v) => text.includes(v)),
      ),
    ).toEqual([[], []])
  })

  it('Should send a GET without a body and unwrapped', async () => {
    const { sent, fetch } = capture()
    const target = runnerTarget(
      { organizationId: 'org-1', id: 'mcp_server-1' },
      { url: 'http://10.0.0.5:8100', secret: SECRET },
      launch,
      { fetch },
    )

    await target.fetch(target.url, { method: 'GET' })

    expect([sent[0]!.init.method, sent[0]!.init.body]).toEqual(['GET', undefined])
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
      'a launch the runner cannot open',
      posted(400, 'launch: cannot be opened for this request'),
      {
        code: 'other',
        message: 'The stdio runner refused the request: launch: cannot be opened for this request',
      },
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
      posted(503, 'the runner already runs 20 stdio servers, all busy or starting; retry in 5 s'),
      {
        code: 'unavailable',
        message:
          'The stdio runner cannot take it now (temporary): the runner already runs 20 stdio servers, all busy or starting; retry in 5 s',
        transient: true,
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
