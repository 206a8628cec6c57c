import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LaunchSpec } from '../../../core/runner/policy.js'
import { ProcessPool } from '../../../core/runner/pool.js'
import type { ExitInfo, LaunchResult } from '../../../core/runner/types.js'

interface FakeProcess {
  pid: number
  spec: LaunchSpec
  stopped: boolean
  crash(info: Partial<ExitInfo>): void
}

const fakeLauncher = () => {
  const launched: FakeProcess[] = []
  const failures: string[] = []
  /** Launches that never finish starting (a server that never answers `initialize`). */
  let hangs = 0
  const launch = async (spec: LaunchSpec): Promise<LaunchResult<string>> => {
    if (hangs > 0) {
      hangs--
      return new Promise(() => undefined)
    }
    const failure = failures.shift()
    if (failure) return { ok: false, message: failure }
    let exit: (info: ExitInfo) => void = () => undefined
    const exited = new Promise<ExitInfo>((resolve) => (exit = resolve))
    const pid = 1000 + launched.length
    const fake: FakeProcess = {
      pid,
      spec,
      stopped: false,
      crash: (info) => exit({ code: 1, signal: null, description: 'code 1', stderr: '', ...info }),
    }
    launched.push(fake)
    const stop = async () => {
      fake.stopped = true
      exit({ code: null, signal: 'SIGTERM', description: 'signal SIGTERM', stderr: '' })
    }
    return { ok: true, process: { pid, client: `client-${pid}`, exited, stderr: () => '', stop } }
  }
  return { launch, launched, failures, hang: (n: number) => (hangs += n) }
}

const spec = (args: string[] = ['a.js']): LaunchSpec => ({ command: 'node', args, env: {} })
const org1 = { organizationId: 'org-1', serverId: 'srv-1' }
const org2 = { organizationId: 'org-2', serverId: 'srv-1' }
const other = { organizationId: 'org-1', serverId: 'srv-2' }
const settle = () => new Promise((r) => setImmediate(r))

let clock = 0
interface Overrides {
  maxProcesses?: number
  maxPerOrganization?: number
  maxStartingPerOrganization?: number
  queueMs?: number
  maxDeleted?: number
}

const setup = (overrides: Overrides = {}) => {
  const fake = fakeLauncher()
  const log = { info: vi.fn(), warn: vi.fn() }
  const pool = new ProcessPool<string>({
    launch: fake.launch,
    idleMs: 1000,
    maxProcesses: overrides.maxProcesses ?? 20,
    maxPerOrganization: overrides.maxPerOrganization ?? 20,
    maxStartingPerOrganization: overrides.maxStartingPerOrganization ?? 20,
    queueMs: overrides.queueMs ?? 30,
    cooldownMs: 10_000,
    maxDeleted: overrides.maxDeleted,
    log,
    now: () => clock,
  })
  return { pool, fake, log }
}

const use = async (pool: ProcessPool<string>, key = org1, launch = spec()) => {
  const lease = await pool.acquire(key, launch)
  if (lease.ok) lease.release()
  return lease
}

beforeEach(() => {
  clock = 0
})
afterEach(() => {
  vi.useRealTimers()
})

describe('ProcessPool', () => {
  it('Should reuse one process for a server across requests', async () => {
    const { pool, fake } = setup()

    const [a, b] = [await use(pool), await use(pool)]

    expect([a.ok && a.pid, b.ok && b.pid, fake.launched.length, pool.size]).toEqual([
      1000, 1000, 1, 1,
    ])
  })

  it('Should never share a process between organizations', async () => {
    const { pool, fake } = setup()

    const [a, b] = [await use(pool, org1), await use(pool, org2)]

    expect([a.ok && a.client, b.ok && b.client, fake.launched.length]).toEqual([
      'client-1000',
      'client-1001',
      2,
    ])
  })

  it('Should stop the old process when the config changes', async () => {
    const { pool, fake } = setup()
    await use(pool, org1, spec(['a.js']))

    const next = await use(pool, org1, spec(['b.js']))

    expect([next.ok && next.pid, fake.launched.map((p) => p.stopped), pool.pids()]).toEqual([
      1001,
      [true, false],
      [1001],
    ])
  })

  it('Should stop a process after it idled for idleMs, and not while in use', async () => {
    vi.useFakeTimers()
    const { pool, fake } = setup()
    const held = await pool.acquire(org1, spec())
    await vi.advanceTimersByTimeAsync(5000)
    const whileHeld = fake.launched[0]!.stopped
    if (held.ok) held.release()

    await vi.advanceTimersByTimeAsync(999)
    const beforeIdle = fake.launched[0]!.stopped
    await vi.advanceTimersByTimeAsync(1)

    expect([whileHeld, beforeIdle, fake.launched[0]!.stopped, pool.size]).toEqual([
      false,
      false,
      true,
      0,
    ])
  })

  it('Should evict the least recently used idle process past the cap', async () => {
    const { pool, fake } = setup({ maxProcesses: 2 })
    await use(pool, org1)
    await use(pool, org2)
    await use(pool, org1)

    await use(pool, other)
    await settle()

    expect(fake.launched.map((p) => [p.pid, p.stopped])).toEqual([
      [1000, false],
      [1001, true],
      [1002, false],
    ])
  })

  it('Should refuse a new process when every slot is busy', async () => {
    const { pool, fake } = setup({ maxProcesses: 1 })
    await pool.acquire(org1, spec())

    const refused = await pool.acquire(org2, spec())

    expect([refused, fake.launched.length]).toEqual([
      {
        ok: false,
        reason: 'busy',
        message: 'the runner already runs 1 stdio servers, all busy or starting; retry in 1 s',
        retryAfterS: 1,
      },
      1,
    ])
  })

  it('Should report a crash and not restart it until the cool-down passes', async () => {
    const { pool, fake, log } = setup()
    await use(pool)
    fake.launched[0]!.crash({ stderr: 'boom' })
    await settle()
    clock = 9_000

    const refused = await use(pool)
    clock = 10_000
    const restarted = await use(pool)

    expect([pool.size, refused, restarted.ok, fake.launched.length]).toEqual([
      1,
      {
        ok: false,
        reason: 'failed',
        message:
          'stdio server exited unexpectedly with code 1; stderr: boom (not restarted for another 1 s, or until its configuration changes)',
      },
      true,
      2,
    ])
    expect(log.warn).toHaveBeenCalledWith('stdio server failed', {
      ...org1,
      reason: 'stdio server exited unexpectedly with code 1; stderr: boom',
    })
  })

  it('Should double the cool-down for a server that keeps failing to start', async () => {
    const { pool, fake } = setup()
    fake.failures.push('could not start', 'could not start')
    await use(pool)
    clock = 10_000
    await use(pool)
    clock = 29_000

    const refused = await use(pool)

    expect(refused).toEqual({
      ok: false,
      reason: 'failed',
      message:
        'could not start (not restarted for another 1 s, or until its configuration changes)',
    })
  })

  it('Should start at once after a crash when the config changed', async () => {
    const { pool, fake } = setup()
    fake.failures.push('could not start')
    await use(pool, org1, spec(['a.js']))

    const next = await use(pool, org1, spec(['b.js']))

    expect([next.ok, fake.launched.length]).toEqual([true, 1])
  })

  it('Should stop an evicted server and forget its crashes', async () => {
    const { pool, fake } = setup()
    await use(pool)

    const evicted = [await pool.evict('org-1', 'srv-1'), await pool.evict('org-1', 'srv-1')]

    expect([evicted, fake.launched[0]!.stopped, pool.size]).toEqual([[true, false], true, 0])
  })

  it('Should never start a deleted server again, even from a request carrying its old record', async () => {
    const { pool, fake } = setup()
    await use(pool)

    const deleted = await pool.delete('org-1', 'srv-1')
    const again = await use(pool, org1, spec(['changed.js']))
    const sameIdOtherOrg = await use(pool, org2)

    expect([deleted, again, sameIdOtherOrg.ok, fake.launched.length]).toEqual([
      true,
      { ok: false, reason: 'deleted', message: 'stdio MCP server srv-1 was deleted' },
      true,
      2,
    ])
  })

  it('Should answer deleted to a request whose start the deletion stopped', async () => {
    const { pool } = setup()
    const starting = pool.acquire(org1, spec())

    await pool.delete('org-1', 'srv-1')

    expect(await starting).toEqual({
      ok: false,
      reason: 'deleted',
      message: 'stdio MCP server srv-1 was deleted',
    })
  })

  it('Should start a server again after an eviction that was not a deletion', async () => {
    const { pool, fake } = setup()
    await use(pool)

    await pool.evict('org-1', 'srv-1')
    const again = await use(pool)

    expect([again.ok, fake.launched.length]).toEqual([true, 2])
  })

  it('Should forget the least recently deleted servers beyond its bound', async () => {
    const { pool } = setup({ maxDeleted: 2 })

    for (const id of ['srv-1', 'srv-2', 'srv-3']) await pool.delete('org-1', id)
    const results = await Promise.all(
      ['srv-1', 'srv-2', 'srv-3'].map(async (serverId) => {
        const lease = await use(pool, { organizationId: 'org-1', serverId })
        return lease.ok || lease.reason
      }),
    )

    expect(results).toEqual([true, 'deleted', 'deleted'])
  })

  it('Should stop every process on stop and start no more', async () => {
    const { pool, fake } = setup()
    await use(pool, org1)
    await use(pool, org2)

    await pool.stop()
    const after = await pool.acquire(other, spec())

    expect([fake.launched.map((p) => p.stopped), after]).toEqual([
      [true, true],
      {
        ok: false,
        reason: 'busy',
        message: 'the runner is shutting down; retry in 1 s',
        retryAfterS: 1,
      },
    ])
  })
})

const key = (organizationId: string, serverId: string) => ({ organizationId, serverId })

describe('ProcessPool fair shares', () => {
  it("Should stop an organization's own idle process at its cap, not another's", async () => {
    const { pool, fake } = setup({ maxPerOrganization: 2 })
    await use(pool, key('a', '1'))
    await use(pool, key('b', '1'))
    await use(pool, key('a', '2'))

    await use(pool, key('a', '3'))
    await settle()

    expect(fake.launched.map((p) => [p.pid, p.stopped])).toEqual([
      [1000, true],
      [1001, false],
      [1002, false],
      [1003, false],
    ])
  })

  it('Should evict the idle process of the organization holding the most', async () => {
    const { pool, fake } = setup({ maxProcesses: 3 })
    await use(pool, key('b', '1')) // least recently used of all
    await use(pool, key('a', '1'))
    await use(pool, key('a', '2'))

    await use(pool, key('c', '1'))
    await settle()

    expect(fake.launched.map((p) => [p.pid, p.stopped])).toEqual([
      [1000, false],
      [1001, true],
      [1002, false],
      [1003, false],
    ])
  })

  it("Should never evict another organization's busy or starting process", async () => {
    const { pool, fake } = setup({ maxProcesses: 2, queueMs: 50 })
    const busy = await pool.acquire(key('b', '1'), spec())
    fake.hang(1)
    void pool.acquire(key('b', '2'), spec())

    const refused = await pool.acquire(key('a', '1'), spec())

    expect([busy.ok, refused, fake.launched.map((p) => p.stopped), pool.size]).toEqual([
      true,
      {
        ok: false,
        reason: 'busy',
        message: 'the runner already runs 2 stdio servers, all busy or starting; retry in 1 s',
        retryAfterS: 1,
      },
      [false],
      2,
    ])
  })

  it('Should let an organization start only so many at once, and others start meanwhile', async () => {
    const { pool, fake } = setup({ maxStartingPerOrganization: 2, queueMs: 50 })
    fake.hang(2)
    void pool.acquire(key('b', '1'), spec())
    void pool.acquire(key('b', '2'), spec())

    const [third, other] = await Promise.all([
      pool.acquire(key('b', '3'), spec()),
      use(pool, key('a', '1')),
    ])

    expect([third, other.ok, fake.launched.length]).toEqual([
      {
        ok: false,
        reason: 'busy',
        message: 'this organization already has 2 stdio servers starting; retry in 1 s',
        retryAfterS: 1,
      },
      true,
      1,
    ])
  })

  it('Should serve a waiting request as soon as a slot frees, the smallest organization first', async () => {
    const { pool, fake } = setup({ maxProcesses: 1, queueMs: 2_000 })
    const held = await pool.acquire(key('a', '1'), spec())
    const served: string[] = []
    const waiting = [key('a', '2'), key('b', '1')].map((k) =>
      pool.acquire(k, spec()).then((lease) => {
        served.push(`${k.organizationId}${k.serverId}:${lease.ok}`)
        return lease
      }),
    )
    await settle()
    const queued = pool.waiting

    if (held.ok) held.release()
    const first = await Promise.race(waiting)

    expect([queued, first.ok, served, fake.launched.map((p) => [p.pid, p.stopped])]).toEqual([
      2,
      true,
      ['b1:true'],
      [
        [1000, true],
        [1001, false],
      ],
    ])
    await pool.stop()
  })
})
