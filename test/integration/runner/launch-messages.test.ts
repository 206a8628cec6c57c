import { describe, expect, it } from 'vitest'
import { childEnv } from '../../../core/runner/child-env.js'
import { launchProcess } from '../../../core/runner/launch.js'
import { Sandbox } from '../../../core/sandbox/sandbox.js'
import { parseSandboxSettings } from '../../../core/sandbox/settings.js'

describe('launchProcess when the program is missing', () => {
  it('Should say the program was not found on the runner and where it looked', async () => {
    const sandbox = new Sandbox(
      parseSandboxSettings({ HANGAR_RUNNER_ALLOW_UNISOLATED: 'true' }, process.getuid?.() === 0),
    )
    const result = await launchProcess(
      { command: 'hangar-no-such-program', args: [], env: {} },
      'org-missing-program',
      { startTimeoutMs: 2000, graceMs: 100, sandbox },
    )
    const path = childEnv({}, { home: '/unused', sandbox: {} }).PATH
    expect(result).toEqual({
      ok: false,
      message: `"hangar-no-such-program" was not found on the runner (searched ${path}); install it there`,
    })
  })
})
