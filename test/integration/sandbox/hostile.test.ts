import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyServerChange } from '../../../core/cascade/apply.js'
import { processesOfUid } from '../../../core/sandbox/proc.js'
import { syncServer } from '../../../core/tools/sync.js'
import { createApp } from '../../../functions/api/app.js'
import { apiCaller, newOrg, testDeps } from '../../support/deps.js'
import { FIXTURE, startTestRunner, stdio, waitFor, type TestRunner } from '../runner/harness.js'

const HOSTILE = resolve('test/fixtures/runner/hostile-server.mjs')
const MB = 2 ** 20
const LIMITS = { tasks: 64, openFiles: 256, fileBytes: 32 * MB, dataBytes: 512 * MB }

const secret = (label: string) => `${label}-${randomBytes(24).toString('hex')}`
const RUNNER_SECRET = secret('runner')
const A_TOKEN = secret('a-token')
const STATE_KEY = secret('state-key')
const CANARY = secret('canary')

let runner: TestRunner
let deps: ReturnType<typeof testDeps>['deps']
let callA: ReturnType<typeof apiCaller>
let callB: ReturnType<typeof apiCaller>
let orgA: string
let orgB: string
let a: { id: string; tool: string; pid: number; cwd: string }
let b: { id: string; tools: Record<string, string> }
let decoy: ChildProcess
let state: string
let canary: string

const register = async (
  call: ReturnType<typeof apiCaller>,
  organizationId: string,
  body: ReturnType<typeof stdio>,
) => {
  const created = await call('POST', '/v1/mcp-servers/', body)
  expect(created.status).toBe(200)
  const id = created.json.id as string
  const outcome = await syncServer(deps.sync, {
    organization_id: organizationId,
    server_id: id,
    config_version: 1,
    reason: 'created',
  })
  expect(outcome).toMatchObject({ outcome: 'ok' })
  const tools = (await call('GET', `/v1/mcp-servers/${id}/tools`)).json as {
    id: string
    name: string
  }[]
  return { id, tools: Object.fromEntries(tools.map((t) => [t.name, t.id])) }
}

const run = async (
  call: ReturnType<typeof apiCaller>,
  server: string,
  tool: string,
  args: Record<string, unknown> = {},
) => {
  const ran = await call('POST', `/v1/mcp-servers/${server}/tools/${tool}/run`, { args })
  expect([ran.status, ran.json.status]).toEqual([200, 'success'])
  return JSON.parse(ran.json.func_return as string)
}

/** B's tools, each an attack that reports what it got. */
const attack = (name: string, args: Record<string, unknown> = {}) =>
  run(callB, b.id, b.tools[name]!, args)

/** A's server answers, from the same process, with its secret still in place. */
const aAnswers = async () => {
  const facts = await run(callA, a.id, a.tool)
  expect([facts.pid, facts.env.A_TOKEN]).toEqual([a.pid, A_TOKEN])
}

const uidOf = (pid: number) =>
  Number(/^Uid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])

const denied = (code: string) => ({ ok: false, code, message: expect.any(String) })

beforeAll(async () => {
  runner = await startTestRunner({ secret: RUNNER_SECRET, sandbox: { limits: LIMITS } })
  ;({ deps } = testDeps({ runner: runner.client, runTimeoutMs: 20_000 }))
  const api = createApp(deps)
  const [ownerA, ownerB] = [await newOrg(deps), await newOrg(deps)]
  ;[orgA, orgB] = [ownerA.organizationId, ownerB.organizationId]
  callA = apiCaller(api, ownerA.auth)
  callB = apiCaller(api, ownerB.auth)
  // A root process holding the runner secret in its environment, as the runner's own process
  // does when it starts (functions/runner/main.ts reads it from there).
  decoy = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], {
    env: { HANGAR_RUNNER_SECRET: RUNNER_SECRET },
    stdio: 'ignore',
  })
  // The runner's state as the local stack keeps it: a 0700 folder with a 0600 key file.
  state = mkdtempSync(join(tmpdir(), 'hangar-state-'))
  writeFileSync(join(state, 'api-key'), `${STATE_KEY}\n`, { mode: 0o600 })
  // Something B can read, to show the hunt finds what is readable.
  canary = join(tmpdir(), `hangar-canary-${process.pid}`)
  writeFileSync(canary, CANARY, { mode: 0o644 })

  const serverA = await register(
    callA,
    orgA,
    stdio('holder', 'node', [FIXTURE], { A_TOKEN: A_TOKEN }),
  )
  const factsA = await run(callA, serverA.id, serverA.tools.inspect!)
  a = { id: serverA.id, tool: serverA.tools.inspect!, pid: factsA.pid, cwd: factsA.cwd }
  b = await register(callB, orgB, stdio('intruder', 'node', [HOSTILE]))
}, 90_000)

afterAll(async () => {
  decoy?.kill('SIGKILL')
  await runner?.runner.stop()
  rmSync(state, { recursive: true, force: true })
  rmSync(canary, { force: true })
})

describe('a hostile stdio server next to another organization', () => {
  let who: {
    pid: number
    uid: number
    gid: number
    groups: number[]
    status: string[]
    cwd: string
    home: string
    mode: string
    env: string[]
  }

  it('Should run under a uid and gid of its own, no capability, no groups, a private folder', async () => {
    who = await attack('whoami')
    const range = [400_000 + (process.pid % 1000) * 1000, 401_000 + (process.pid % 1000) * 1000]

    expect(who.uid).toBeGreaterThanOrEqual(range[0]!)
    expect(who.uid).toBeLessThan(range[1]!)
    expect([uidOf(who.pid), uidOf(a.pid) === who.uid, who.gid === who.uid]).toEqual([
      who.uid,
      false,
      false,
    ])
    expect(who.groups.filter((g) => g !== who.gid)).toEqual([])
    expect(who.status).toEqual([
      'CapInh:\t0000000000000000',
      'CapPrm:\t0000000000000000',
      'CapEff:\t0000000000000000',
      'CapAmb:\t0000000000000000',
      'NoNewPrivs:\t1',
    ])
    expect([who.cwd === who.home, who.mode]).toEqual([true, '700'])
    expect(who.env).toEqual([
      'HOME',
      'LANG',
      'PATH',
      'TMPDIR',
      'UV_CACHE_DIR',
      'npm_config_audit',
      'npm_config_cache',
      'npm_config_fund',
      'npm_config_update_notifier',
    ])
  })

  it("Should not read the environ, memory, fds or folder of the runner or of A's child", async () => {
    const pids = [process.pid, decoy.pid!, a.pid]

    const got = await attack('spy', { pids })

    const refused = {
      environ: denied('EACCES'),
      mem: denied('EACCES'),
      fd: denied('EACCES'),
      cwd: denied('EACCES'),
    }
    expect(got).toEqual(
      Object.fromEntries(
        pids.flatMap((pid) =>
          Object.entries(refused).map(([part, value]) => [`/proc/${pid}/${part}`, value]),
        ),
      ),
    )
    await aAnswers()
  })

  it("Should not read the runner's state, credentials or A's folder and cache", async () => {
    const paths = [
      join(state, 'api-key'),
      join(process.env.HOME ?? '/root', '.aws', 'credentials'),
      join(process.env.HOME ?? '/root', '.npmrc'),
      join(a.cwd, 'anything'),
    ]
    const folders = [
      state,
      a.cwd,
      join(a.cwd, '..'),
      join(tmpdir(), 'hangar-ids'),
      resolve(a.cwd, '..', '..', 'caches'),
    ]

    const [read, listed] = [
      await attack('files', { paths }),
      await attack('list', { paths: folders }),
    ]

    expect(read).toEqual(Object.fromEntries(paths.map((p) => [p, denied('EACCES')])))
    expect(listed).toEqual(Object.fromEntries(folders.map((p) => [p, denied('EACCES')])))
    await aAnswers()
  })

  it("Should find no secret of A, the runner secret or the runner's key anywhere it can read", async () => {
    const roots = ['/tmp', '/var/tmp', '/dev/shm', '/run', '/root', '/home', '/etc', process.cwd()]

    const got = await attack('hunt', {
      needles: [A_TOKEN, RUNNER_SECRET, STATE_KEY, CANARY],
      roots,
    })

    expect(got.found).toEqual([{ where: canary, needle: CANARY }])
    expect(got.files).toBeGreaterThan(100)
    await aAnswers()
  })

  it("Should not signal A's child or the runner", async () => {
    const pids = [process.pid, decoy.pid!, a.pid]

    const got = await attack('signal', { pids })

    expect(got).toEqual(Object.fromEntries(pids.map((pid) => [pid, denied('EPERM')])))
    expect(decoy.exitCode).toBe(null)
    await aAnswers()
  })

  let detached: { uid: number; setsid: number; middle: number }

  it('Should keep detached processes under its own uid', async () => {
    detached = await attack('detach')
    const sleepers = () =>
      processesOfUid(who.uid).filter((pid) => {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        return args.startsWith('sleep\u0000900') || args.startsWith('sleep\u0000901')
      })

    await waitFor(() => sleepers().length === 2) // the middle process starts node first
    expect([detached.uid, sleepers().length]).toEqual([who.uid, 2])
    await aAnswers()
  })

  it('Should contain a fork bomb within its own task limit', async () => {
    const got = await attack('forkBomb')

    expect(got.refused).toBe('EAGAIN')
    expect(got.started).toBeGreaterThan(0)
    expect(got.started).toBeLessThan(LIMITS.tasks)
    expect(processesOfUid(who.uid).length).toBeLessThanOrEqual(LIMITS.tasks)
    await aAnswers()
  })

  it('Should refuse 2 GB of memory and stop it at its own limit', async () => {
    const got = await attack('allocate')

    expect([got.whole.ok, got.whole.code, got.piecewise.ok]).toEqual([false, 'RangeError', false])
    expect(got.reachedMb).toBeLessThan(512)
    await aAnswers()
  })

  it('Should stop a 1 GB file at its file size limit', async () => {
    const got = await attack('bigFile')

    expect([got.result.code, got.written, got.size]).toEqual(['EFBIG', 32 * MB, 32 * MB])
    await aAnswers()
  })

  it("Should leave no process of B's uid and no folder once B's server is deleted", async () => {
    const before = processesOfUid(who.uid).length

    expect((await callB('DELETE', `/v1/mcp-servers/${b.id}`)).status).toBe(204)
    await applyServerChange(deps, { kind: 'deleted', organizationId: orgB, serverId: b.id })

    expect([before > 2, processesOfUid(who.uid), existsSync(who.home)]).toEqual([true, [], false])
    await aAnswers()
  })
})
