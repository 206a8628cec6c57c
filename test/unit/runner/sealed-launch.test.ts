import { describe, expect, it } from 'vitest'
import { configHash } from '../../../core/runner/config-hash.js'
import { openLaunch, sealLaunch } from '../../../core/runner/sealed-launch.js'

const SECRET = 'launch-secret-0123456789abcdefghijkl'
const spec = {
  command: 'npx',
  args: ['-y', '@acme/mcp-server'],
  env: { ACME_TOKEN: 'tok-sealed-9876543210', ACME_REGION: 'eu-west-1' },
}
const binding = { nonce: '3b1f2c1e-1d5e-4a43-9b1b-7d8f0c2a6e11', path: '/mcp/org-1/mcp_server-1' }
const cannotOpen = { ok: false, reason: 'cannot be opened for this request' }

/** The sealed text with one byte of its ciphertext (past the IV and tag) flipped. */
const flipped = (sealed: string, at: number) => {
  const bytes = Buffer.from(sealed.slice(3), 'base64url')
  bytes[at] = bytes[at]! ^ 0x01
  return `v1.${bytes.toString('base64url')}`
}

describe('sealLaunch / openLaunch', () => {
  it('Should open what it sealed, for the same request', () => {
    expect(openLaunch(SECRET, sealLaunch(SECRET, spec, binding), binding)).toEqual({
      ok: true,
      spec,
      configHash: configHash(spec),
    })
  })

  it('Should carry no value of the spec in clear and use a fresh IV each time', () => {
    const [first, second] = [sealLaunch(SECRET, spec, binding), sealLaunch(SECRET, spec, binding)]
    const decoded = Buffer.from(first.slice(3), 'base64url').toString('latin1')

    expect(first === second).toBe(false)
    expect(
      ['tok-sealed-9876543210', 'ACME_TOKEN', '@acme/mcp-server', 'npx'].filter(
        (v) => first.includes(v) || decoded.includes(v),
      ),
    ).toEqual([])
  })

  it.each([
    ['another nonce', { ...binding, nonce: 'b9d4c3e2-0000-4a43-9b1b-7d8f0c2a6e11' }],
    ['another path', { ...binding, path: '/mcp/org-2/mcp_server-1' }],
    ['another server', { ...binding, path: '/mcp/org-1/mcp_server-2' }],
    ['a query added to the path', { ...binding, path: `${binding.path}?x=1` }],
  ])('Should refuse a spec sealed for %s', (_, other) => {
    expect(openLaunch(SECRET, sealLaunch(SECRET, spec, binding), other)).toEqual(cannotOpen)
  })

  it('Should refuse a spec sealed under another secret', () => {
    const sealed = sealLaunch('another-secret-0123456789abcdefghij', spec, binding)

    expect(openLaunch(SECRET, sealed, binding)).toEqual(cannotOpen)
  })

  it.each([
    ['the IV', 0],
    ['the tag', 12],
    ['the first ciphertext byte', 28],
    ['the last ciphertext byte', -1],
  ])('Should refuse a spec with a byte of %s changed', (_, at) => {
    const sealed = sealLaunch(SECRET, spec, binding)
    const index = at < 0 ? Buffer.from(sealed.slice(3), 'base64url').length + at : at

    expect(openLaunch(SECRET, flipped(sealed, index), binding)).toEqual(cannotOpen)
  })

  it('Should refuse a truncated spec', () => {
    const sealed = sealLaunch(SECRET, spec, binding)

    expect(openLaunch(SECRET, sealed.slice(0, 30), binding)).toEqual(cannotOpen)
  })

  it.each([
    ['a missing launch', undefined],
    ['a spec in clear', spec],
    ['an unsealed string', JSON.stringify(spec)],
  ])('Should refuse %s', (_, value) => {
    expect(openLaunch(SECRET, value, binding)).toEqual({
      ok: false,
      reason: 'must be a sealed launch spec',
    })
  })
})
