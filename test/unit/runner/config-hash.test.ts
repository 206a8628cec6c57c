import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { configHash } from '../../../core/runner/config-hash.js'
import type { LaunchSpec } from '../../../core/runner/policy.js'

const base: LaunchSpec = { command: 'node', args: ['a.js', 'stdio'], env: { A: '1', B: '2' } }

describe('configHash', () => {
  it('Should be the SHA-256 of command, args and sorted env', () => {
    const canonical = '["node",["a.js","stdio"],[["A","1"],["B","2"]]]'

    expect(configHash(base)).toBe(createHash('sha256').update(canonical).digest('hex'))
  })

  it('Should not depend on the order of env keys', () => {
    expect(configHash({ ...base, env: { B: '2', A: '1' } })).toBe(configHash(base))
  })

  it.each([
    ['the command', { command: 'npx' }],
    ['an argument', { args: ['a.js', 'sse'] }],
    ['argument boundaries', { args: ['a.js stdio'] }],
    ['an env value', { env: { A: '1', B: '3' } }],
    ['an env key', { env: { A: '1', C: '2' } }],
  ])('Should change with %s', (_, change) => {
    expect(configHash({ ...base, ...change })).not.toBe(configHash(base))
  })
})
