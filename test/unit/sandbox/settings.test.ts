import { describe, expect, it } from 'vitest'
import { parseSandboxSettings } from '../../../core/sandbox/settings.js'
import { prlimitArgs } from '../../../core/sandbox/limits.js'

describe('parseSandboxSettings', () => {
  it('Should read every setting', () => {
    const settings = parseSandboxSettings(
      {
        HANGAR_RUNNER_SANDBOX_DIR: '/var/hangar',
        HANGAR_RUNNER_UID_BASE: '20000',
        HANGAR_RUNNER_UID_COUNT: '50',
        HANGAR_RUNNER_MAX_TASKS: '64',
        HANGAR_RUNNER_MAX_OPEN_FILES: '256',
        HANGAR_RUNNER_MAX_FILE_MB: '10',
        HANGAR_RUNNER_MAX_MEMORY_MB: '300',
      },
      true,
    )

    expect(settings).toEqual({
      isolate: true,
      root: '/var/hangar',
      uidBase: 20_000,
      uidCount: 50,
      limits: { tasks: 64, openFiles: 256, fileBytes: 10 * 2 ** 20, dataBytes: 300 * 2 ** 20 },
    })
  })

  it('Should refuse to run unisolated unless told so', () => {
    expect(() => parseSandboxSettings({}, false)).toThrow(
      'Invalid configuration: the stdio runner must run as root to give each stdio server a uid of its own; set HANGAR_RUNNER_ALLOW_UNISOLATED=true to run children unisolated on a single-user machine',
    )
    expect(parseSandboxSettings({ HANGAR_RUNNER_ALLOW_UNISOLATED: 'true' }, false).isolate).toBe(
      false,
    )
  })

  it('Should name a bad setting', () => {
    expect(() => parseSandboxSettings({ HANGAR_RUNNER_UID_BASE: '0' }, true)).toThrow(
      'Invalid configuration: HANGAR_RUNNER_UID_BASE must be an integer of at least 1000, got "0"',
    )
  })
})

describe('prlimitArgs', () => {
  const limits = { tasks: 64, openFiles: 256, fileBytes: 1024, dataBytes: 2048 }

  it('Should count tasks per uid only when the child has a uid of its own', () => {
    expect([prlimitArgs(limits, true), prlimitArgs(limits, false)]).toEqual([
      ['--nproc=64', '--nofile=256', '--fsize=1024', '--data=2048', '--core=0'],
      ['--nofile=256', '--fsize=1024', '--data=2048', '--core=0'],
    ])
  })
})
