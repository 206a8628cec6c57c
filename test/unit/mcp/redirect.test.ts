import { describe, expect, it } from 'vitest'
import { redirectedRequest, redirectTarget } from '../../../core/adapters/mcp/redirect.js'

const post = () => ({
  method: 'POST',
  headers: new Headers({
    'content-type': 'application/json',
    authorization: 'Bearer t',
    'x-api-key': 'k',
    accept: 'application/json',
  }),
  body: '{"jsonrpc":"2.0"}',
})
const from = new URL('https://a.example.com/mcp')
const headersOf = (h: Headers) => Object.fromEntries(h)

describe('redirectTarget', () => {
  it.each([
    [302, 'https://b.example.com/x', 'https://b.example.com/x'],
    [307, '/other', 'https://a.example.com/other'],
    [308, '//c.example.com/y', 'https://c.example.com/y'],
    [200, '/ignored', undefined],
    [302, null, undefined],
  ])('reads a %s with Location %s', (status, location, expected) => {
    const response = { status, headers: new Headers(location ? { location } : {}) }

    expect(redirectTarget(response, from)?.href).toEqual(expected)
  })
})

describe('redirectedRequest', () => {
  it('keeps method, body and headers on a same-origin 307', () => {
    const next = redirectedRequest(post(), 307, from, new URL('https://a.example.com/v2'), [
      'x-api-key',
    ])

    expect({ ...next, headers: headersOf(next.headers) }).toEqual({
      ...post(),
      headers: headersOf(post().headers),
    })
  })

  it('drops the secret headers when the origin changes', () => {
    const next = redirectedRequest(post(), 308, from, new URL('https://b.example.com/mcp'), [
      'X-Api-Key',
    ])

    expect(headersOf(next.headers)).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
    })
    expect([next.method, next.body]).toEqual(['POST', '{"jsonrpc":"2.0"}'])
  })

  it.each([301, 302, 303])('turns a POST into a GET without a body on %s', (status) => {
    const next = redirectedRequest(post(), status, from, new URL('https://a.example.com/v2'), [])

    expect([next.method, next.body, next.headers.get('content-type')]).toEqual(['GET', null, null])
  })
})
