import { createHash, createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ReplayCache } from '../../../core/runner/replay-cache.js'
import { signRequest, verifySignature, type SignedParts } from '../../../core/runner/signing.js'

const SECRET = 'runner-secret-0123456789abcdef0123456789'
const NOW = 1_800_000_000_000
const parts: SignedParts = { method: 'POST', path: '/mcp/org-1/mcp_server-1', body: '{"id":1}' }
const headersOf = (values: Record<string, string>) => new Headers(values)

describe('signRequest', () => {
  it('Should sign timestamp, nonce, method, path and body hash with HMAC-SHA256', () => {
    const bodyHash = createHash('sha256').update('{"id":1}').digest('hex')
    const signed = `1800000000\nnonce-1\nPOST\n/mcp/org-1/mcp_server-1\n${bodyHash}`
    const expected = createHmac('sha256', SECRET).update(signed).digest('hex')

    const headers = signRequest(SECRET, parts, NOW, 'nonce-1')

    expect(headers).toEqual({
      'x-hangar-timestamp': '1800000000',
      'x-hangar-nonce': 'nonce-1',
      'x-hangar-signature': `v1=${expected}`,
    })
  })

  it('Should give equal requests different signatures through the nonce', () => {
    const a = signRequest(SECRET, parts, NOW)['x-hangar-signature']
    const b = signRequest(SECRET, parts, NOW)['x-hangar-signature']

    expect(a).not.toEqual(b)
  })
})

describe('verifySignature', () => {
  const signed = headersOf(signRequest(SECRET, parts, NOW, 'nonce-1'))

  it('Should accept its own signature within the window', () => {
    expect(verifySignature(SECRET, parts, signed, NOW + 59_000)).toEqual({
      ok: true,
      signature: signed.get('x-hangar-signature'),
      expiresAt: (1_800_000_000 + 61) * 1000,
    })
  })

  it.each([
    ['an older timestamp', NOW + 61_000],
    ['a timestamp from the future', NOW - 61_000],
  ])('Should refuse %s as stale', (_, now) => {
    expect(verifySignature(SECRET, parts, signed, now)).toEqual({ ok: false, reason: 'stale' })
  })

  it.each([
    ['another secret', { secret: 'x'.repeat(40) }],
    ['another method', { parts: { ...parts, method: 'DELETE' } }],
    ['another path', { parts: { ...parts, path: '/mcp/org-2/mcp_server-1' } }],
    ['another body', { parts: { ...parts, body: '{"id":2}' } }],
  ])('Should refuse %s as invalid', (_, change: { secret?: string; parts?: SignedParts }) => {
    const result = verifySignature(change.secret ?? SECRET, change.parts ?? parts, signed, NOW)

    expect(result).toEqual({ ok: false, reason: 'invalid' })
  })

  it('Should refuse a changed nonce', () => {
    const headers = headersOf({ ...Object.fromEntries(signed), 'x-hangar-nonce': 'nonce-2' })

    expect(verifySignature(SECRET, parts, headers, NOW)).toEqual({ ok: false, reason: 'invalid' })
  })

  it.each(['x-hangar-timestamp', 'x-hangar-nonce', 'x-hangar-signature'])(
    'Should refuse a request without %s',
    (name) => {
      const headers = headersOf(Object.fromEntries([...signed].filter(([key]) => key !== name)))

      expect(verifySignature(SECRET, parts, headers, NOW)).toEqual({ ok: false, reason: 'missing' })
    },
  )

  it('Should refuse a timestamp that is not a number', () => {
    const headers = headersOf({ ...Object.fromEntries(signed), 'x-hangar-timestamp': '1e9' })

    expect(verifySignature(SECRET, parts, headers, NOW)).toEqual({ ok: false, reason: 'stale' })
  })
})

describe('ReplayCache', () => {
  it('Should admit a signature once while it is fresh', () => {
    const cache = new ReplayCache()

    expect([cache.admit('s1', NOW + 1000, NOW), cache.admit('s1', NOW + 1000, NOW + 500)]).toEqual([
      true,
      false,
    ])
  })

  it('Should forget signatures once they expire', () => {
    const cache = new ReplayCache()
    cache.admit('s1', NOW + 1000, NOW)
    cache.admit('s2', NOW + 3000, NOW)

    cache.admit('s3', NOW + 5000, NOW + 2000)

    expect(cache.size).toBe(2)
  })

  it('Should drop the oldest entries past its bound', () => {
    const cache = new ReplayCache(2)
    for (const s of ['s1', 's2', 's3']) cache.admit(s, NOW + 1000, NOW)

    expect([
      cache.size,
      cache.admit('s3', NOW + 1000, NOW),
      cache.admit('s1', NOW + 1000, NOW),
    ]).toEqual([2, false, true])
  })
})
