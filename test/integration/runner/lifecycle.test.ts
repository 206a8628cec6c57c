import { existsSync, readFileSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  callToolViaRunner,
  classifyRunnerError,
  evictViaRunner,
  listToolsViaRunner,
  type RunnerTarget,
} from '../../../core/adapters/runner/index.js'
import {
  FIXTURE,
  leftovers,
  LIMITS,
  startTestRunner,
  stdio,
  waitFor,
  type RunnerOptions,
  type TestRunner,
} from './harness.js'

let runners: TestRunner[] = []
let scratch: string

const runner = async (options: RunnerOptions = {}) => {
  const started = await startTestRunner(options)
  runners.push(started)
  return started
}

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'runner-life-'))
  await chmod(scratch, 0o777) // the children, each under a uid of its own, write their marks here
})

afterEach(async () => {
  await Promise.all(runners.map((r) => r.runner.stop()))
  runners = []
  await rm(scratch, { recursive: true, force: true })
})

interface Facts {
  pid: number
  grandchild: number | null
  cwd: string
}

const inspect = async (target: RunnerTarget): Promise<Facts> => {
  const result = await callToolViaRunner(target, 'inspect', {}, LIMITS)
  return JSON.parse((result.content as { text: string }[])[0]!.text) as Facts
}

const failure = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => classifyRunnerError(error),
  )

const tree = async (ctx: TestRunner, org: string, name = 'tree') => {
  const server = await ctx.deps.registry.create(org, stdio(name, 'node', [FIXTURE, 'grandchild']))
  const facts = await inspect(await ctx.target(server))
  expect(
    leftovers(facts.pid)
      .map((row) => row.pid)
      .sort(),
  ).toEqual([facts.pid, facts.grandchild].sort())
  return { server, facts }
}

const gone = async (facts: Facts) => {
  await waitFor(() => leftovers(facts.pid).length === 0 && !existsSync(facts.cwd))
  expect([leftovers(facts.pid), existsSync(facts.cwd)]).toEqual([[], false])
}

describe('stdio process lifecycle', () => {
  it('Should stop an idle process with its whole group and private folder', async () => {
    const ctx = await runner({ idleMs: 300 })
    const { facts } = await tree(ctx, (await ctx.newOrg()).organizationId)

    await gone(facts)

    expect(ctx.pool.size).toBe(0)
  })

  it('Should stop a deleted server at once when the cascade evicts it', async () => {
    const ctx = await runner()
    const org = (await ctx.newOrg()).organizationId
    const { server, facts } = await tree(ctx, org)

    await ctx.deps.registry.remove(org, server.id)
    const evicted = await evictViaRunner(ctx.client, org, server.id)

    expect([evicted, leftovers(facts.pid), existsSync(facts.cwd), ctx.pool.size]).toEqual([
      true,
      [],
      false,
      0,
    ])
  })

  it('Should refuse to start a deleted server for a request still carrying its record', async () => {
    const ctx = await runner()
    const org = (await ctx.newOrg()).organizationId
    const server = await ctx.deps.registry.create(org, stdio('gone', 'node', [FIXTURE]))
    const stale = await ctx.target(server) // a sync that read the record before the delete

    await ctx.deps.registry.remove(org, server.id)
    await evictViaRunner(ctx.client, org, server.id)
    const late = await failure(listToolsViaRunner(stale, LIMITS))

    expect([late, ctx.pool.size]).toEqual([
      { code: 'not_found', message: `stdio MCP server ${server.id} was deleted` },
      0,
    ])
  })

  it('Should replace the process when the config changes', async () => {
    const ctx = await runner()
    const org = (await ctx.newOrg()).organizationId
    const { server, facts } = await tree(ctx, org)

    const updated = await ctx.deps.registry.update(org, server.id, {
      config: { mcp_server_type: 'stdio', args: [FIXTURE, 'grandchild', 'v2'] },
    })
    const next = await inspect(await ctx.target(updated))

    expect([next.pid === facts.pid, leftovers(facts.pid), ctx.pool.pids()]).toEqual([
      false,
      [],
      [next.pid],
    ])
  })

  it('Should stop every child when the runner stops', async () => {
    const ctx = await runner()
    const org = (await ctx.newOrg()).organizationId
    const first = await tree(ctx, org, 'one')
    const second = await tree(ctx, org, 'two')

    await ctx.runner.stop()

    expect([leftovers(first.facts.pid), leftovers(second.facts.pid), ctx.pool.size]).toEqual([
      [],
      [],
      0,
    ])
  })

  it('Should start separate processes for two organizations with the same command', async () => {
    const ctx = await runner()
    const a = await tree(ctx, (await ctx.newOrg()).organizationId)
    const b = await tree(ctx, (await ctx.newOrg()).organizationId)

    expect([
      a.facts.pid === b.facts.pid,
      a.facts.cwd === b.facts.cwd,
      ctx.pool.pids().sort(),
    ]).toEqual([false, false, [a.facts.pid, b.facts.pid].sort()])
  })

  it('Should start one process for concurrent first requests', async () => {
    const ctx = await runner()
    const marks = join(scratch, 'starts.log')
    const org = (await ctx.newOrg()).organizationId
    const server = await ctx.deps.registry.create(
      org,
      stdio('once', 'node', [FIXTURE, 'mark', marks]),
    )

    const target = await ctx.target(server)
    const facts = await Promise.all([1, 2, 3].map(() => inspect(target)))

    expect([
      new Set(facts.map((f) => f.pid)).size,
      readFileSync(marks, 'utf8').trim().split('\n').length,
    ]).toEqual([1, 1])
  })

  it('Should stop the least recently used process past the cap', async () => {
    const ctx = await runner({ maxProcesses: 1 })
    const org = (await ctx.newOrg()).organizationId
    const first = await tree(ctx, org, 'one')

    const second = await inspect(
      await ctx.target(await ctx.deps.registry.create(org, stdio('two', 'node', [FIXTURE]))),
    )

    await gone(first.facts)
    expect(ctx.pool.pids()).toEqual([second.pid])
  })

  it('Should report a crash with a redacted stderr tail and not restart it in a loop', async () => {
    const ctx = await runner({ cooldownMs: 60_000 })
    const marks = join(scratch, 'starts.log')
    const org = (await ctx.newOrg()).organizationId
    const env = { SECRET_TOKEN: 'tok-crash-123456' }
    const server = await ctx.deps.registry.create(
      org,
      stdio('crashy', 'node', [FIXTURE, 'crash', 'mark', marks], env),
    )
    const crash =
      'stdio server exited with code 3 before it finished starting; stderr: fatal: could not log in with token=****'

    const first = await failure(listToolsViaRunner(await ctx.target(server), LIMITS))
    const second = await failure(listToolsViaRunner(await ctx.target(server), LIMITS))

    expect(first).toEqual({ code: 'other', message: crash })
    expect(second).toEqual({
      code: 'other',
      message: `${crash} (not restarted for another 60 s, or until its configuration changes)`,
    })
    expect(readFileSync(marks, 'utf8').trim().split('\n').length).toBe(1)
    expect(JSON.stringify(ctx.lines)).not.toContain('tok-crash-123456')
    expect(ctx.pool.size).toBe(0)
  })
})
