import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EVERYTHING,
  INITIALIZE,
  PRELOAD,
  processTable,
  rawPost,
  startTestRunner,
  stdio,
  type TestRunner,
} from './harness.js'

let ctx: TestRunner
let org: string
let scratch: string

beforeAll(async () => {
  ctx = await startTestRunner()
  org = (await ctx.newOrg()).organizationId
  scratch = await mkdtemp(join(tmpdir(), 'runner-inject-'))
})

afterAll(async () => {
  await ctx.runner.stop()
  await rm(scratch, { recursive: true, force: true })
})

const EVAL = 'is not allowed (it evaluates code, preloads modules or runs a shell)'
const LOADER = 'changes how programs are found, loaded or run and cannot be set'
const META = 'contains shell metacharacters or control characters'
const NOT_PATH = 'must be a bare program name from the allowlist, not a path'
const notAllowed = (name: string) =>
  `"${name}" is not an allowed program (allowed: npx, node, uvx, python3)`

interface Entry {
  command: string
  args: string[]
  env?: Record<string, string>
  detail: string
}

/** Each entry would leave `marker` behind if it ever ran. */
const corpus = (marker: string, dir = scratch): [string, Entry][] => [
  [
    'bash -c',
    {
      command: 'bash',
      args: ['-c', `touch ${marker}`],
      detail: `config.command: ${notAllowed('bash')}`,
    },
  ],
  [
    'sh -c',
    {
      command: 'sh',
      args: ['-c', `touch ${marker}`],
      detail: `config.command: ${notAllowed('sh')}`,
    },
  ],
  [
    'a command off the allowlist',
    { command: 'touch', args: [marker], detail: `config.command: ${notAllowed('touch')}` },
  ],
  [
    'an absolute path',
    { command: '/bin/sh', args: ['-c', `touch ${marker}`], detail: `config.command: ${NOT_PATH}` },
  ],
  [
    'a relative path',
    { command: './node', args: [EVERYTHING], detail: `config.command: ${NOT_PATH}` },
  ],
  [
    'a parent path',
    { command: '../node', args: [EVERYTHING], detail: `config.command: ${NOT_PATH}` },
  ],
  [
    'metacharacters in the command',
    {
      command: 'node&&touch',
      args: [marker],
      detail: 'config.command: contains whitespace or shell metacharacters',
    },
  ],
  [
    '$() in an argument',
    {
      command: 'node',
      args: [EVERYTHING, `$(touch ${marker})`],
      detail: `config.args[1]: ${META}`,
    },
  ],
  [
    '; in an argument',
    {
      command: 'node',
      args: [`${EVERYTHING}; touch ${marker}`],
      detail: `config.args[0]: ${META}`,
    },
  ],
  [
    'a backtick in an argument',
    {
      command: 'node',
      args: [EVERYTHING, `\`touch ${marker}\``],
      detail: `config.args[1]: ${META}`,
    },
  ],
  [
    'node -e',
    {
      command: 'node',
      args: ['-e', `require('fs').writeFileSync('${marker}', 'x')`],
      detail: `config.args[0]: "-e" ${EVAL}`,
    },
  ],
  [
    'node --eval=',
    {
      command: 'node',
      args: [`--eval=require('fs').writeFileSync('${marker}', 'x')`],
      detail: `config.args[0]: "--eval" ${EVAL}`,
    },
  ],
  [
    'node -r',
    {
      command: 'node',
      args: ['-r', PRELOAD, EVERYTHING, 'stdio'],
      env: { MARKER_FILE: marker },
      detail: `config.args[0]: "-r" ${EVAL}`,
    },
  ],
  [
    'node --import',
    {
      command: 'node',
      args: ['--import', PRELOAD, EVERYTHING, 'stdio'],
      env: { MARKER_FILE: marker },
      detail: `config.args[0]: "--import" ${EVAL}`,
    },
  ],
  [
    'npx -c',
    { command: 'npx', args: ['-c', `touch ${marker}`], detail: `config.args[0]: "-c" ${EVAL}` },
  ],
  [
    'npx --call=',
    {
      command: 'npx',
      args: [`--call=touch ${marker}`],
      detail: `config.args[0]: "--call" ${EVAL}`,
    },
  ],
  [
    'NODE_OPTIONS=--require',
    {
      command: 'node',
      args: [EVERYTHING, 'stdio'],
      env: { NODE_OPTIONS: `--require ${PRELOAD}`, MARKER_FILE: marker },
      detail: `config.env.NODE_OPTIONS: ${LOADER}`,
    },
  ],
  [
    'LD_PRELOAD',
    {
      command: 'node',
      args: [EVERYTHING, 'stdio'],
      env: { LD_PRELOAD: join(dir, 'x.so') },
      detail: `config.env.LD_PRELOAD: ${LOADER}`,
    },
  ],
  [
    'PATH',
    {
      command: 'node',
      args: [EVERYTHING, 'stdio'],
      env: { PATH: dir },
      detail: `config.env.PATH: ${LOADER}`,
    },
  ],
]

const names = corpus('marker', tmpdir()).map(([name]) => name)

const ranWith = (marker: string) => processTable().filter((row) => row.args.includes(marker))

describe('the injection corpus', () => {
  it('Should leave a marker when the preload runs (control for the checks below)', () => {
    const marker = join(scratch, 'control')
    execFileSync(process.execPath, ['--require', PRELOAD, '-e', '0'], {
      env: { MARKER_FILE: marker },
    })

    expect(existsSync(marker)).toBe(true)
  })

  it.each(names)('Should refuse %s at registration', async (name) => {
    const marker = join(scratch, `registered-${names.indexOf(name)}`)
    const entry = corpus(marker).find(([n]) => n === name)![1]

    const created = ctx.deps.registry.create(
      org,
      stdio(`r-${randomUUID()}`, entry.command, entry.args, entry.env),
    )

    await expect(created).rejects.toMatchObject({ code: 'request.invalid', message: entry.detail })
    expect(existsSync(marker)).toBe(false)
  })

  it.each(names)(
    'Should refuse a signed launch spec with %s at the runner and run nothing',
    async (name) => {
      const marker = join(scratch, `forged-${names.indexOf(name)}`)
      const entry = corpus(marker).find(([n]) => n === name)![1]
      const launch = { command: entry.command, args: entry.args, env: entry.env ?? {} }

      // Past the registration checks: signed and sealed by hand, as a caller holding the secret.
      const result = await rawPost(ctx, `/mcp/${org}/mcp_server-${randomUUID()}`, INITIALIZE, {
        launch,
      })

      expect([result.status, result.json]).toEqual([422, { detail: entry.detail }])
      expect([existsSync(marker), ranWith(marker), ctx.pool.size]).toEqual([false, [], 0])
    },
  )

  it('Should refuse an update that adds a loader variable, keeping the stored config', async () => {
    const server = await ctx.deps.registry.create(org, stdio('fine', 'node', [EVERYTHING, 'stdio']))

    const updated = ctx.deps.registry.update(org, server.id, {
      config: { mcp_server_type: 'stdio', env: { NODE_OPTIONS: `--require ${PRELOAD}` } },
    })

    await expect(updated).rejects.toMatchObject({
      code: 'request.invalid',
      message: `config.env.NODE_OPTIONS: ${LOADER}`,
    })
    expect((await ctx.deps.registry.get(org, server.id)).configVersion).toBe(1)
  })

  it('Should refuse an update that swaps in a shell', async () => {
    const server = await ctx.deps.registry.create(
      org,
      stdio('fine-2', 'node', [EVERYTHING, 'stdio']),
    )

    const updated = ctx.deps.registry.update(org, server.id, {
      config: { mcp_server_type: 'stdio', command: 'bash', args: ['-c', 'id'] },
    })

    await expect(updated).rejects.toMatchObject({
      code: 'request.invalid',
      message: `config.command: ${notAllowed('bash')}`,
    })
  })
})
