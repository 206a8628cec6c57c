import { describe, expect, it } from 'vitest'
import { canonicalJson, contentHash } from '../../../core/schema/canonical.js'

describe('canonicalJson', () => {
  it('sorts keys at every level and leaves arrays in order', () => {
    expect(canonicalJson({ z: 1, a: { d: [3, { y: 1, b: 2 }], c: null }, m: undefined })).toBe(
      '{"a":{"c":null,"d":[3,{"b":2,"y":1}]},"z":1}',
    )
    expect(contentHash({ b: 1, a: 2 })).toBe(contentHash({ a: 2, b: 1 }))
  })

  it('handles nesting deeper than JSON.stringify can recurse, with the same text', () => {
    let deep: unknown = { y: 1, x: 0 }
    for (let i = 0; i < 50_000; i++) deep = { b: [deep], a: i }
    const text = canonicalJson(deep)
    expect(text.startsWith('{"a":49999,"b":[{"a":49998,"b":[')).toBe(true)
    expect(text.endsWith('{"a":0,"b":[{"x":0,"y":1}]}' + ']}'.repeat(49_999))).toBe(true)
  })

  it('keeps a key named __proto__ when it sorts keys, so the hash sees its value', () => {
    const served = (type: string) =>
      JSON.parse(`{"properties":{"b":{"type":"string"},"__proto__":{"type":"${type}"}}}`)
    expect(canonicalJson(served('integer'))).toBe(
      '{"properties":{"__proto__":{"type":"integer"},"b":{"type":"string"}}}',
    )
    expect(contentHash(served('integer'))).not.toBe(contentHash(served('string')))
  })
})
