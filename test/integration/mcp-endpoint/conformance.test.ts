import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startConformanceServer } from '../../fixtures/mcp/conformance-server.js'
import type { HttpFixture } from '../../fixtures/mcp/http-fixture.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'
import { serveApp } from '../../support/serve.js'

const SUITE = resolve('node_modules/@modelcontextprotocol/conformance/dist/index.js')

/** Scenarios that pass through /v1/mcp-servers/{id}/mcp; the README says why the others cannot. */
const PASSING = [
  'completion-complete',
  'logging-set-level',
  'ping',
  'prompts-get-embedded-resource',
  'prompts-get-simple',
  'prompts-get-with-args',
  'prompts-get-with-image',
  'prompts-list',
  'resources-list',
  'resources-read-binary',
  'resources-read-text',
  'resources-templates-read',
  'server-initialize',
  'tools-call-audio',
  'tools-call-embedded-resource',
  'tools-call-error',
  'tools-call-image',
  'tools-call-mixed-content',
  'tools-call-simple-text',
  'tools-call-with-logging',
  'tools-call-with-progress',
  'tools-list',
]

/** Scenarios a stateless proxy cannot pass (README "Conformance"). */
const CANNOT_PASS = [
  'dns-rebinding-protection',
  'elicitation-sep1034-defaults',
  'elicitation-sep1330-enums',
  'resources-subscribe',
  'resources-unsubscribe',
  'tools-call-elicitation',
  'tools-call-sampling',
]

const { deps, app } = testApp()
let hangar: Awaited<ReturnType<typeof serveApp>>
let upstream: HttpFixture
let front: Server
let url: string
const results = mkdtempSync(join(tmpdir(), 'hangar-conformance-'))

/**
 * The suite's client sends no credentials, so this front adds the API key (as a local bridge such
 * as mcp-remote would) and passes everything else on as it came, the Host header included.
 */
const withKey = (target: string, key: string) =>
  createServer((req, res) => {
    const out = request(
      target,
      {
        method: req.method,
        headers: { ...req.headers, authorization: `Bearer ${key}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    out.on('error', () => res.destroy())
    req.pipe(out)
  })

beforeAll(async () => {
  ;[hangar, upstream] = await Promise.all([serveApp(app), startConformanceServer()])
  const org = await newOrg(deps)
  const created = await apiCaller(app, org.auth)('POST', '/v1/mcp-servers/', {
    server_name: 'conformance',
    config: { mcp_server_type: 'streamable_http', server_url: upstream.url() },
  })
  expect(created.status).toBe(200)
  front = withKey(`${hangar.baseURL}/v1/mcp-servers/${created.json.id}/mcp`, org.key)
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(front.address() as AddressInfo).port}/mcp`
})

afterAll(async () => {
  await new Promise((r) => front?.close(r))
  await Promise.all([hangar?.close(), upstream?.close()])
  rmSync(results, { recursive: true, force: true })
})

describe('The MCP conformance suite against /v1/mcp-servers/{id}/mcp', () => {
  it('Should pass every scenario a stateless proxy can pass', async () => {
    const output = await new Promise<string>((done) =>
      execFile(
        process.execPath,
        [SUITE, 'server', '--url', url],
        { cwd: results, timeout: 120_000 },
        (_error, stdout, stderr) => done(`${stdout}\n${stderr}`),
      ),
    )
    const summary = Object.fromEntries(
      [...output.matchAll(/^[✓✗] ([a-z0-9-]+): (\d+) passed, (\d+) failed$/gm)].map((m) => [
        m[1],
        { passed: Number(m[2]), failed: Number(m[3]) },
      ]),
    )
    const passing = Object.keys(summary).filter((k) => summary[k].passed > 0 && !summary[k].failed)
    const failing = Object.keys(summary).filter((k) => summary[k].failed > 0)
    const vacuous = Object.keys(summary).filter((k) => !summary[k].passed && !summary[k].failed)

    expect(passing.sort()).toEqual(PASSING)
    expect(failing.sort()).toEqual(CANNOT_PASS)
    expect(vacuous).toEqual(['server-sse-multiple-streams'])
  }, 150_000)
})
