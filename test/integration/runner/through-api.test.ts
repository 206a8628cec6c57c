import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyServerChange } from '../../../core/cascade/apply.js'
import { syncServer } from '../../../core/tools/sync.js'
import { createApp } from '../../../functions/api/app.js'
import {
  EVERYTHING,
  FILESYSTEM,
  leftovers,
  startTestRunner,
  waitFor,
  type TestRunner,
} from './harness.js'
import { newOrg, testDeps } from '../../support/deps.js'

let runner: TestRunner
let api: ReturnType<typeof createApp>
let deps: ReturnType<typeof testDeps>['deps']
let auth: Record<string, string>
let organizationId: string
const folder = mkdtempSync(join(tmpdir(), 'hangar-fs-'))
chmodSync(folder, 0o777) // server-filesystem runs under a uid of its own

const call = async (method: string, path: string, body?: unknown) => {
  const res = await api.request(path, {
    method,
    headers: { ...auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json().catch(() => null)) as any }
}

const register = async (name: string, args: string[]) => {
  const res = await call('POST', '/v1/mcp-servers/', {
    server_name: name,
    config: { mcp_server_type: 'stdio', command: 'node', args },
  })
  expect(res.status).toBe(200)
  const id = res.json.id as string
  const outcome = await syncServer(deps.sync, {
    organization_id: organizationId,
    server_id: id,
    config_version: 1,
    reason: 'created',
  })
  return { id, outcome }
}

beforeAll(async () => {
  runner = await startTestRunner()
  ;({ deps } = testDeps({ runner: runner.client }))
  api = createApp(deps)
  const org = await newOrg(deps)
  auth = org.auth
  organizationId = org.organizationId
}, 60_000)

afterAll(async () => {
  await runner?.runner.stop()
  rmSync(folder, { recursive: true, force: true })
})

describe('stdio servers through the API, the sync worker and the runner', () => {
  it('Should sync server-everything (13 tools) and run echo through the runner', async () => {
    const { id, outcome } = await register('everything-stdio', [EVERYTHING, 'stdio'])
    expect(outcome).toMatchObject({ outcome: 'ok', toolCount: 13 })
    const tools = (await call('GET', `/v1/mcp-servers/${id}/tools`)).json as {
      id: string
      name: string
    }[]
    expect(tools).toHaveLength(13)
    const echo = tools.find((t) => t.name === 'echo')
    const ran = await call('POST', `/v1/mcp-servers/${id}/tools/${echo?.id}/run`, {
      args: { message: 'hi' },
    })
    expect(ran).toEqual({
      status: 200,
      json: { status: 'success', func_return: 'Echo: hi', stdout: null, stderr: null },
    })
    const frames = await (
      await api.request(`/v1/mcp-servers/connect/${id}`, { headers: auth })
    ).text()
    expect(frames).toContain('"event":"success"')
  })

  it('Should sync server-filesystem (14 tools) and stop its process when the server is deleted', async () => {
    const { id, outcome } = await register('files-stdio', [FILESYSTEM, folder])
    expect(outcome).toMatchObject({ outcome: 'ok', toolCount: 14 })
    const pids = runner.pool.pids()
    expect(pids.length).toBeGreaterThan(0)
    expect((await call('DELETE', `/v1/mcp-servers/${id}`)).status).toBe(204)
    await applyServerChange(deps, { kind: 'deleted', organizationId, serverId: id })
    const before = new Set(pids)
    await waitFor(
      () =>
        runner.pool.pids().every((pid) => before.has(pid)) &&
        runner.pool.pids().length === pids.length - 1,
    )
    const gone = pids.filter((pid) => !runner.pool.pids().includes(pid))
    expect(gone).toHaveLength(1)
    await waitFor(() => leftovers(gone[0] ?? 0).length === 0)
  })

  it('Should refuse a launch the policy forbids with 422 naming the field', async () => {
    const res = await call('POST', '/v1/mcp-servers/', {
      server_name: 'evil',
      config: {
        mcp_server_type: 'stdio',
        command: 'node',
        args: ['-e', 'require("fs").writeFileSync("/tmp/pwned","")'],
      },
    })
    expect(res.status).toBe(422)
    expect(res.json.detail).toMatch(/^config\.args\[0\]: /)
  })
})
