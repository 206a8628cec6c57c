import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  parseRunnerClientConfig,
  parseRunnerConfig,
  parseStdioAllowlist,
  takeRunnerConfig,
} from '../../../core/runner/config.js'

const SECRET = 's'.repeat(32)
const minimal = { HANGAR_RUNNER_SECRET: SECRET }

describe('parseRunnerConfig', () => {
  it('Should fill defaults around the required settings', () => {
    expect(parseRunnerConfig(minimal)).toEqual({
      secret: SECRET,
      host: '127.0.0.1',
      port: 8100,
      allowlist: ['npx', 'node', 'uvx', 'python3'],
      idleMs: 300_000,
      maxProcesses: 20,
      maxPerOrganization: 5,
      maxStartingPerOrganization: 2,
      queueMs: 5_000,
      sandbox: {
        isolate: true,
        root: join(tmpdir(), 'hangar-sandbox'),
        uidBase: 100_000,
        uidCount: 10_000,
        limits: { tasks: 128, openFiles: 1024, fileBytes: 256 * 2 ** 20, dataBytes: 512 * 2 ** 20 },
      },
      requestTimeoutMs: 60_000,
      startTimeoutMs: 60_000,
      cooldownMs: 10_000,
      drainMs: 10_000,
    })
  })

  it('Should read every optional setting', () => {
    const config = parseRunnerConfig({
      ...minimal,
      RUNNER_HOST: '0.0.0.0',
      RUNNER_PORT: '9000',
      HANGAR_STDIO_ALLOWLIST: ' node , deno ',
      HANGAR_RUNNER_IDLE_MS: '1000',
      HANGAR_RUNNER_MAX_PROCESSES: '3',
    })

    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      allowlist: ['node', 'deno'],
      idleMs: 1000,
      maxProcesses: 3,
    })
  })

  it.each([
    [
      { ...minimal, HANGAR_RUNNER_SECRET: undefined },
      'Missing configuration: environment variable HANGAR_RUNNER_SECRET must be set',
    ],
    [
      { ...minimal, HANGAR_RUNNER_SECRET: 'short' },
      'Invalid configuration: HANGAR_RUNNER_SECRET must be at least 32 characters',
    ],
    [
      { ...minimal, HANGAR_RUNNER_IDLE_MS: '0' },
      'Invalid configuration: HANGAR_RUNNER_IDLE_MS must be a positive integer, got "0"',
    ],
    [
      { ...minimal, HANGAR_RUNNER_MAX_PROCESSES: 'many' },
      'Invalid configuration: HANGAR_RUNNER_MAX_PROCESSES must be a positive integer, got "many"',
    ],
    [
      { ...minimal, HANGAR_STDIO_ALLOWLIST: 'node,/bin/sh' },
      'Invalid configuration: HANGAR_STDIO_ALLOWLIST must list bare program names, got "/bin/sh"',
    ],
  ])('Should fail loudly, naming the variable (%#)', (source, message) => {
    expect(() => parseRunnerConfig(source)).toThrow(message)
  })
})

describe('takeRunnerConfig', () => {
  it('Should read the secret, then delete it from the environment it came from', () => {
    const env: Record<string, string | undefined> = { ...minimal, RUNNER_PORT: '9000' }

    const config = takeRunnerConfig(env)

    expect([config.secret, config.port, env]).toEqual([SECRET, 9000, { RUNNER_PORT: '9000' }])
  })

  it('Should need neither a table nor a key (the runner reads neither)', () => {
    expect(Object.keys(parseRunnerConfig(minimal)).sort()).toEqual(
      [
        'allowlist',
        'cooldownMs',
        'drainMs',
        'host',
        'idleMs',
        'maxPerOrganization',
        'maxProcesses',
        'maxStartingPerOrganization',
        'port',
        'queueMs',
        'requestTimeoutMs',
        'sandbox',
        'secret',
        'startTimeoutMs',
      ].sort(),
    )
  })
})

describe('parseRunnerClientConfig', () => {
  it('Should be undefined without HANGAR_RUNNER_URL', () => {
    expect(parseRunnerClientConfig({ HANGAR_RUNNER_SECRET: SECRET })).toBeUndefined()
  })

  it('Should trim the trailing slash of the URL', () => {
    expect(
      parseRunnerClientConfig({
        HANGAR_RUNNER_URL: 'http://127.0.0.1:8100/',
        HANGAR_RUNNER_SECRET: SECRET,
      }),
    ).toEqual({
      url: 'http://127.0.0.1:8100',
      secret: SECRET,
      startTimeoutMs: 60_000,
    })
  })

  it('Should need the secret with the URL', () => {
    expect(() => parseRunnerClientConfig({ HANGAR_RUNNER_URL: 'http://127.0.0.1:8100' })).toThrow(
      'Missing configuration: environment variable HANGAR_RUNNER_SECRET must be set',
    )
  })
})

describe('parseStdioAllowlist', () => {
  it('Should default to the runner allowlist', () => {
    expect(parseStdioAllowlist({})).toEqual(['npx', 'node', 'uvx', 'python3'])
  })
})
