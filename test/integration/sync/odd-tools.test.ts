import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { syncServer } from '../../../core/tools/sync.js'
import { startMutableServer, type MutableServer } from '../../fixtures/mcp/mutable-server.js'
import { GOOD_TOOLS, ODD_VECTORS, oddTools } from '../../fixtures/mcp/odd-tools.mjs'
import { FIXTURE, startTestRunner, type TestRunner } from '../runner/harness.js'
import { clientsFor } from '../../support/aws.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'
import { privateQueue } from '../../support/queue.js'

type Verdict = { status: string; reasons: string[] }
const vector = (dir: string) =>
  JSON.parse(readFileSync(`test/fixtures/schemas/${dir}/expected.json`, 'utf8')) as {
    letta: { raw: Verdict }
    hangar: { listed: Verdict }
  }

/** What Letta's validator decides for each odd tool, and the reasons Hangar gives. */
const oracle = Object.entries(ODD_VECTORS).map(([name, dir]) => {
  const { letta, hangar } = vector(dir)
  return { name, lettaRejects: letta.raw.status === 'INVALID', reasons: hangar.listed.reasons }
})
const KEPT = [...GOOD_TOOLS, ...oracle.filter((o) => !o.lettaRejects).map((o) => o.name)].sort()
const REJECTED = [
  ...oracle.filter((o) => o.lettaRejects).map(({ name, reasons }) => ({ name, reasons })),
  { name: 'tools[5]', reasons: ["tool has no string 'name' (found none)"] },
  { name: 'tools[10]', reasons: ["tool has no string 'name' (found a number)"] },
]
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)

let ctx: Awaited<ReturnType<typeof setup>>
let http: MutableServer
let runner: TestRunner

const setup = async (runnerClient: TestRunner['client']) => {
  const queueUrl = await privateQueue(clientsFor(inject('endpoints')).sqs, 'odd')
  const built = testApp({ syncQueueUrl: queueUrl, runner: runnerClient })
  const org = await newOrg(built.deps)
  const call = apiCaller(built.app, org.auth)
  const register = async (name: string, config: Record<string, unknown>) => {
    const res = await call('POST', '/v1/mcp-servers/', { server_name: name, config })
    expect(res.status).toBe(200)
    const id = res.json.id as string
    const message = { organization_id: org.organizationId, server_id: id, config_version: 1 }
    const outcome = await syncServer(built.deps.sync, { ...message, reason: 'created' })
    return { id, outcome }
  }
  return { ...built, org, call, register }
}

beforeAll(async () => {
  ;[http, runner] = await Promise.all([startMutableServer([]), startTestRunner()])
  http.setTools(oddTools())
  ctx = await setup(runner.client)
}, 60_000)

afterAll(async () => {
  await Promise.all([http?.close(), runner?.runner.stop()])
})

describe('A tools/list page with odd tools next to good ones', () => {
  it('is the fixture the test thinks it is: Letta keeps one odd tool and rejects the rest', () => {
    expect(oracle.map((o) => [o.name, o.lettaRejects])).toEqual([
      ['root-not-object', true],
      ['root-type-missing', true],
      ['property-true', true],
      ['property-string', true],
      ['properties-array', true],
      ['required-string', true],
      ['required-null', false],
    ])
  })

  it.each([
    ['streamable_http', () => ({ mcp_server_type: 'streamable_http', server_url: http.url() })],
    ['stdio', () => ({ mcp_server_type: 'stdio', command: 'node', args: [FIXTURE, 'odd'] })],
  ])('over %s: stores every good tool and judges each odd one on its own', async (type, config) => {
    const { id, outcome } = await ctx.register(`odd-${type}`, config())
    expect(outcome).toMatchObject({ outcome: 'ok', toolCount: KEPT.length })
    const server = (await ctx.call('GET', `/v1/mcp-servers/${id}`)).json
    expect(server.sync.status).toBe('ok')
    expect(server.sync.report.added.sort()).toEqual(KEPT)
    expect([...server.sync.report.rejected].sort(byName)).toEqual([...REJECTED].sort(byName))
    const tools = (await ctx.call('GET', `/v1/mcp-servers/${id}/tools`)).json
    expect(tools.map((t: { name: string }) => t.name).sort()).toEqual(KEPT)
  })

  it('the connect stream lists every named tool as served', async () => {
    const { id } = await ctx.register('odd-connect', {
      mcp_server_type: 'streamable_http',
      server_url: http.url(),
    })
    const res = await ctx.app.request(`/v1/mcp-servers/connect/${id}`, { headers: ctx.org.auth })
    const frames = (await res.text()).split('\n\n').filter(Boolean)
    const events = frames.map((f) => JSON.parse(f.replace(/^data: /, '')))
    expect(events).toEqual([
      { event: 'connection_attempt', server_name: 'odd-connect' },
      { event: 'success', tools: oddTools().filter((t) => typeof t.name === 'string') },
    ])
  })
})
