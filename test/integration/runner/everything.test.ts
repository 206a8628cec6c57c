import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { EVERYTHING_TOOLS } from '../../fixtures/mcp/everything.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callToolViaRunner, listToolsViaRunner } from '../../../core/adapters/runner/index.js'
import {
  EVERYTHING,
  FILESYSTEM,
  FIXTURE,
  LIMITS,
  startTestRunner,
  stdio,
  type TestRunner,
} from './harness.js'

let ctx: TestRunner
let org: string
let folder: string

beforeAll(async () => {
  ctx = await startTestRunner()
  org = (await ctx.newOrg()).organizationId
  folder = await mkdtemp(join(tmpdir(), 'runner-fs-'))
  await chmod(folder, 0o777) // server-filesystem runs under a uid of its own
})

afterAll(async () => {
  await ctx.runner.stop()
  await rm(folder, { recursive: true, force: true })
})

const text = (result: { content: unknown }) => (result.content as { text: string }[])[0]!.text

describe('stdio servers through the runner', () => {
  it('Should list the 13 tools of server-everything and run echo', async () => {
    const server = await ctx.deps.registry.create(
      org,
      stdio('everything', 'node', [EVERYTHING, 'stdio']),
    )

    const tools = await listToolsViaRunner(await ctx.target(server), LIMITS)
    const echo = await callToolViaRunner(
      await ctx.target(server),
      'echo',
      { message: 'hi' },
      LIMITS,
    )

    expect(tools.map((t) => t.name).sort()).toEqual(EVERYTHING_TOOLS)
    expect(echo.content).toEqual([{ type: 'text', text: 'Echo: hi' }])
    expect(ctx.pool.size).toBe(1)
  })

  it('Should list the 14 tools of server-filesystem', async () => {
    const server = await ctx.deps.registry.create(org, stdio('files', 'node', [FILESYSTEM, folder]))

    const tools = await listToolsViaRunner(await ctx.target(server), LIMITS)

    expect(tools.map((t) => t.name).sort()).toEqual([
      'create_directory',
      'directory_tree',
      'edit_file',
      'get_file_info',
      'list_allowed_directories',
      'list_directory',
      'list_directory_with_sizes',
      'move_file',
      'read_file',
      'read_media_file',
      'read_multiple_files',
      'read_text_file',
      'search_files',
      'write_file',
    ])
  })

  it('Should follow tools/list cursors through the runner', async () => {
    const server = await ctx.deps.registry.create(org, stdio('paged', 'node', [FIXTURE, 'paged']))

    const tools = await listToolsViaRunner(await ctx.target(server), LIMITS)

    expect(tools.map((t) => t.name)).toEqual(['t1', 't2', 't3', 't4', 't5'])
  })

  it('Should give the child only a minimal env, its own env and a private folder', async () => {
    const saved = { ...process.env }
    Object.assign(process.env, {
      AWS_SECRET_ACCESS_KEY: 'canary-aws',
      HANGAR_CANARY: 'canary-hangar',
    })
    try {
      const env = { SECRET_TOKEN: 'tok-0123456789' }
      const server = await ctx.deps.registry.create(org, stdio('inspect', 'node', [FIXTURE], env))

      const facts = JSON.parse(
        text(await callToolViaRunner(await ctx.target(server), 'inspect', {}, LIMITS)),
      ) as { cwd: string; env: Record<string, string> }

      expect(facts.cwd).toMatch(
        new RegExp(`^${tmpdir()}/hangar-sandbox-test-[A-Za-z0-9]{6}/homes/\\d+-[A-Za-z0-9]{6}$`),
      )
      const cache = join(
        dirname(dirname(facts.cwd)),
        'caches',
        createHash('sha256').update(org).digest('hex').slice(0, 32),
      )
      expect(facts.env).toEqual({
        SECRET_TOKEN: 'tok-0123456789',
        npm_config_cache: join(cache, 'npm'),
        npm_config_update_notifier: 'false',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        UV_CACHE_DIR: join(cache, 'uv'),
        HOME: facts.cwd,
        TMPDIR: facts.cwd,
        PATH: [...new Set([dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'])].join(
          ':',
        ),
        LANG: 'C.UTF-8',
      })
      await ctx.pool.evict(org, server.id)
      expect(existsSync(facts.cwd)).toBe(false)
    } finally {
      process.env = saved
    }
  })
})
