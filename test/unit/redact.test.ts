import { describe, expect, it } from 'vitest'
import { redactSecrets } from '../../core/redact.js'

const SECRET = 'sk-"live"\\9f8e7d6c5b4a'

describe('redactSecrets', () => {
  it.each([
    ['raw', `token ${SECRET} refused`],
    ['JSON-escaped', `{"error":"token ${JSON.stringify(SECRET).slice(1, -1)} refused"}`],
    ['URL-encoded', `GET /?t=${encodeURIComponent(SECRET)} refused`],
    ['base64', `basic ${Buffer.from(SECRET).toString('base64')} refused`],
    ['a 16-character prefix', `env says ${SECRET.slice(0, 16)}`],
    ['an 8-character middle', `saw ${SECRET.slice(5, 13)} here`],
  ])('cuts out the %s form', (_form, text) => {
    const out = redactSecrets(text, [SECRET])
    expect(out).toContain('****')
    for (let i = 0; i + 8 <= SECRET.length; i++) expect(out).not.toContain(SECRET.slice(i, i + 8))
    expect(out).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 8))
  })

  it('keeps the text around the secret, and leaves 7-character coincidences alone', () => {
    expect(redactSecrets(`a ${SECRET} b`, [SECRET])).toBe('a **** b')
    expect(redactSecrets('sk-"liv is not it', [SECRET])).toBe('sk-"liv is not it')
  })

  it('cuts the credential of a Bearer token and whole short secrets', () => {
    expect(redactSecrets('got abcdefghij12 back', ['Bearer abcdefghij12'])).toBe('got**** back') // ' abcdefg' is a piece of the whole token too
    expect(redactSecrets('pin 12345 and 1234', ['12345'])).toBe('pin **** and 1234')
    expect(redactSecrets('abc abc', ['abc'])).toBe('abc abc')
  })
})
