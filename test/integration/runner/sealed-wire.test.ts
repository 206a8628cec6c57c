import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callToolViaRunner, runnerTarget } from '../../../core/adapters/runner/index.js'
import { freePort, waitForPort } from '../../../infra/local/ports.js'
import {
  FIXTURE,
  LIMITS,
  SECRET,
  startTestRunner,
  stdio,
  waitFor,
  type TestRunner,
} from './harness.js'

const env = { SECRET_TOKEN: 'tok-wire-5f0c1d9e2b7a', DB_PASSWORD: 'pw-wire-8e3a6c4b1f90' }
const values = Object.values(env)

const textOf = (result: { content?: unknown }) =>
  (result.content as { type: string; text: string }[])[0]!.text

describe('the launch spec on the wire', () => {
  let ctx: TestRunner

  beforeAll(async () => {
    ctx = await startTestRunner()
  })

  afterAll(async () => {
    await ctx.runner.stop()
  })

  it('Should reach the child, while no env value crosses the wire or the runner logs in clear', async () => {
    const org = (await ctx.newOrg()).organizationId
    const server = await ctx.deps.registry.create(org, stdio('wire', 'node', [FIXTURE], env))

    const tools = await ctx.gateway.listTools(server)
    const facts = JSON.parse(textOf(await ctx.gateway.callTool(server, 'inspect', {}, 10_000))) as {
      env: Record<string, string>
    }

    const posts = ctx.received.filter((r) => r.method === 'POST')
    const bodies = posts.map((r) => JSON.parse(r.body) as { launch?: unknown; message?: unknown })
    const seen = ctx.received.map((r) => [r.url, JSON.stringify(r.headers), r.body].join('\n'))
    expect([tools.map((t) => t.name), facts.env.SECRET_TOKEN, facts.env.DB_PASSWORD]).toEqual([
      ['inspect'],
      env.SECRET_TOKEN,
      env.DB_PASSWORD,
    ])
    expect(posts.length).toBeGreaterThanOrEqual(4) // initialize, initialized, tools/list, tools/call
    expect(bodies.every((b) => typeof b.launch === 'string' && b.launch.startsWith('v1.'))).toBe(
      true,
    )
    expect(bodies.map((b) => (b.message as { method: string }).method)).toContain('tools/call')
    expect(seen.filter((text) => values.some((v) => text.includes(v)))).toEqual([])
    expect(values.filter((v) => JSON.stringify(ctx.lines).includes(v))).toEqual([])
  })
})

describe('the runner process', () => {
  let runner: ChildProcess
  let port: number
  let scratch: string
  let output = ''

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'runner-main-'))
    port = await freePort()
    // Only what a Fargate task would have: no AWS settings, no table, no key.
    runner = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        resolve('test/fixtures/runner/report-env.mjs'),
        'functions/runner/main.ts',
      ],
      {
        env: {
          PATH: process.env.PATH,
          HANGAR_RUNNER_SECRET: SECRET,
          RUNNER_HOST: '127.0.0.1',
          RUNNER_PORT: String(port),
          REPORT_ENV_TO: join(scratch, 'env.json'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    runner.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    runner.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    await waitForPort(port, 20_000, () => runner.exitCode === null)
  }, 30_000)

  afterAll(async () => {
    if (runner.exitCode === null) {
      const exited = new Promise((r) => runner.once('exit', r))
      runner.kill('SIGTERM')
      await exited
    }
    rmSync(scratch, { recursive: true, force: true })
  })

  it('Should run a stdio server with nothing but the runner secret in its environment', async () => {
    const target = runnerTarget(
      { organizationId: 'org-main', id: 'mcp_server-main' },
      { url: `http://127.0.0.1:${port}`, secret: SECRET },
      { command: 'node', args: [FIXTURE], env },
    )

    const facts = JSON.parse(textOf(await callToolViaRunner(target, 'inspect', {}, LIMITS))) as {
      env: Record<string, string>
    }

    expect(Object.keys(facts.env).sort()).toEqual(
      [
        'DB_PASSWORD',
        'HOME',
        'LANG',
        'PATH',
        'SECRET_TOKEN',
        'TMPDIR',
        'UV_CACHE_DIR', // the organization's package caches, from the sandbox
        'npm_config_cache',
        'npm_config_update_notifier', // npm's registry checks off, from the sandbox
        'npm_config_audit',
        'npm_config_fund',
      ].sort(),
    )
    expect(output).not.toContain(SECRET)
  })

  it('Should hold no HANGAR_RUNNER_SECRET in its process.env once started', async () => {
    const report = join(scratch, 'env.json')

    runner.kill('SIGUSR2')
    await waitFor(() => existsSync(report))

    const names = JSON.parse(readFileSync(report, 'utf8')) as string[]
    expect([names.includes('HANGAR_RUNNER_SECRET'), names.includes('RUNNER_PORT')]).toEqual([
      false,
      true,
    ])
  })
})
