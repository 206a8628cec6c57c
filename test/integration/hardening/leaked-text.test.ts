import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncServer } from '../../../core/tools/sync.js'
import { createApp } from '../../../functions/api/app.js'
import { startHttpFixture, type HttpFixture } from '../../fixtures/mcp/http-fixture.js'
import { FIXTURE, startTestRunner, type TestRunner } from '../runner/harness.js'
import { apiCaller, newOrg, testDeps } from '../../support/deps.js'

/** Quotes and backslashes: JSON-escaping changes how the token reads in upstream text. */
const TOKEN = 'tok"en\\with-quotes-0123456789'
const ENV_SECRET = 'env-secret-abcdefghijklmnop'

let runner: TestRunner
let echo: HttpFixture
let deps: ReturnType<typeof testDeps>['deps']
let lines: ReturnType<typeof testDeps>['lines']

/** Every 8-character piece of `secret`, none of which may appear in `text`. */
const expectNoPiece = (text: string, secret: string) => {
  for (let i = 0; i + 8 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 8))
}

/** An MCP server whose `tools/list` error message quotes the token in four encodings. */
const startEchoingServer = () =>
  startHttpFixture(async (req, res) => {
    const parts: Buffer[] = []
    for await (const part of req) parts.push(part as Buffer)
    const message = JSON.parse(Buffer.concat(parts).toString()) as { id?: number; method: string }
    const reply = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, ...(body as object) }))
    }
    if (message.id === undefined) return void res.writeHead(202).end()
    if (message.method === 'initialize')
      return reply({
        result: {
          protocolVersion: '2025-06-18',
          capabilities: { tools: {} },
          serverInfo: { name: 'echo', version: '1' },
        },
      })
    const auth = String(req.headers.authorization)
    const quoted = [
      JSON.stringify({ auth }),
      encodeURIComponent(auth),
      Buffer.from(auth).toString('base64'),
      auth.slice(7, 23),
    ].join(' | ')
    reply({ error: { code: -32000, message: `denied: ${quoted}` } })
  })

beforeAll(async () => {
  runner = await startTestRunner()
  ;({ deps, lines } = testDeps({ runner: runner.client }))
  echo = await startEchoingServer()
}, 60_000)

afterAll(async () => {
  await runner?.runner.stop()
  await echo?.close()
})

describe('Upstream text that quotes a secret', () => {
  it('Should store and return a JSON-RPC error with every encoding of the token cut out', async () => {
    const org = await newOrg(deps)
    const call = apiCaller(createApp(deps), org.auth)
    const config = { mcp_server_type: 'streamable_http', server_url: echo.url(), auth_token: TOKEN }
    const created = await call('POST', '/v1/mcp-servers/', { server_name: 'echo', config })
    const outcome = await syncServer(deps.sync, {
      organization_id: org.organizationId,
      server_id: created.json.id,
      config_version: 1,
      reason: 'created',
    })
    expect(outcome).toMatchObject({ outcome: 'failed' })
    const got = await call('GET', `/v1/mcp-servers/${created.json.id}`)
    expect(got.json.sync.error.code).toBe('other')
    expect(got.json.sync.error.message).toMatch(/^MCP request failed: .*denied: .*\*\*\*\*/)
    for (const text of [JSON.stringify(got.json), JSON.stringify(lines)]) {
      expectNoPiece(text, TOKEN)
      expectNoPiece(text, JSON.stringify(TOKEN).slice(1, -1))
      expectNoPiece(text, encodeURIComponent(TOKEN))
      expectNoPiece(text, Buffer.from(`Bearer ${TOKEN}`).toString('base64'))
    }
  })

  it("Should not store 16 characters of a stdio server's env secret that it printed", async () => {
    const org = await newOrg(deps)
    const call = apiCaller(createApp(deps), org.auth)
    const config = {
      mcp_server_type: 'stdio',
      command: 'node',
      args: [FIXTURE, 'leak-prefix'],
      env: { SECRET_TOKEN: ENV_SECRET },
    }
    const created = await call('POST', '/v1/mcp-servers/', { server_name: 'leaky', config })
    const outcome = await syncServer(deps.sync, {
      organization_id: org.organizationId,
      server_id: created.json.id,
      config_version: 1,
      reason: 'created',
    })
    expect(outcome).toMatchObject({ outcome: 'failed' })
    const got = await call('GET', `/v1/mcp-servers/${created.json.id}`)
    expect(got.json.sync.error.message).toContain('fatal: token starts ****')
    expectNoPiece(JSON.stringify(got.json), ENV_SECRET)
    expectNoPiece(JSON.stringify(lines), ENV_SECRET)
    expectNoPiece(JSON.stringify(runner.lines), ENV_SECRET)
  })
})
