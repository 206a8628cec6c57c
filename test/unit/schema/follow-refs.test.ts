import { describe, expect, it } from 'vitest'
import { storedHealth, validateSchema, type JsonObject } from '../../../core/schema/index.js'
import { pointerPath, resolveLocalRef } from '../../../core/schema/pointer.js'

const closed = (properties: JsonObject, extra: JsonObject = {}): JsonObject => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...extra,
})
const follow = (schema: JsonObject) => validateSchema(schema, { followRefs: true })

describe('resolveLocalRef', () => {
  const root = {
    $defs: { 'a/b': { type: 'string' }, 'm~n': { type: 'integer' }, list: { anyOf: [{}, true] } },
    properties: { x: { type: 'boolean' } },
  } as JsonObject

  it('follows RFC 6901 pointers, escapes and percent-encoding included', () => {
    expect(resolveLocalRef(root, '#')).toEqual({ pointer: '', target: root })
    expect(resolveLocalRef(root, '#/$defs/a~1b')?.target).toEqual({ type: 'string' })
    expect(resolveLocalRef(root, '#/$defs/m~0n')?.target).toEqual({ type: 'integer' })
    expect(resolveLocalRef(root, '#/%24defs/m~0n')?.target).toEqual({ type: 'integer' })
    expect(resolveLocalRef(root, '#/$defs/list/anyOf/0')?.target).toEqual({})
    expect(resolveLocalRef(root, '#/properties/x')?.pointer).toBe('/properties/x')
  })

  it('gives nothing for other documents, anchors, dead ends and non-schemas', () => {
    for (const ref of [
      'https://example.com/s.json#/$defs/a',
      '#anchor',
      '#/$defs/missing',
      '#/$defs/list/anyOf/1',
      '#/$defs/list/anyOf/01',
      '#/properties/x/type',
      '#/%E0%A4%A',
      7,
    ]) {
      expect(resolveLocalRef(root, ref as string)).toBeUndefined()
    }
  })

  it('names a pointer as a reason path', () => {
    expect(pointerPath('')).toBe('root')
    expect(pointerPath('/$defs/a~1b/properties/c')).toBe('root.$defs.a/b.properties.c')
  })
})

describe('validateSchema with followRefs', () => {
  it('judges a recursive definition once, by what it is, and ends', () => {
    const tree = closed(
      { root: { $ref: '#/$defs/Node' } },
      {
        $defs: {
          Node: closed({
            value: { type: 'string' },
            kids: { type: 'array', items: { $ref: '#/$defs/Node' } },
          }),
        },
      },
    )
    expect(validateSchema(tree)).toEqual({
      status: 'INVALID',
      reasons: ["root.properties.root: Missing 'type'"],
    })
    expect(follow(tree)).toEqual({ status: 'STRICT_COMPLIANT', reasons: [] })
  })

  it("reports a definition's own faults once, at the definition's path", () => {
    const open = { type: 'object', properties: { next: { $ref: '#/$defs/Open' } } }
    const schema = closed(
      { a: { $ref: '#/$defs/Open' }, b: { $ref: '#/$defs/Open' } },
      { $defs: { Open: open } },
    )
    expect(follow(schema)).toEqual({
      status: 'NON_STRICT_ONLY',
      reasons: ["root.$defs.Open: 'additionalProperties' not explicitly set"],
    })
  })

  it('judges structure that stands beside a $ref as well, merged over the target', () => {
    const schema = closed(
      { a: { $ref: '#/$defs/S', properties: { x: 5 } } },
      { $defs: { S: closed({ y: { type: 'string' } }) } },
    )
    expect(follow(schema).reasons).toEqual([
      "root.properties.a: required contains 'y' not found in properties",
      'root.properties.a.properties.x: Not a valid schema dict',
    ])
  })

  it("applies Letta's required-property checks to the target of a required $ref", () => {
    const schema = closed(
      { a: { $ref: '#/$defs/Empty' } },
      { $defs: { Empty: { type: 'object', additionalProperties: false } } },
    )
    expect(follow(schema)).toEqual({
      status: 'INVALID',
      reasons: ["root: required property 'a' allows empty object (OpenAI will reject)"],
    })
  })

  it('leaves an unresolvable $ref to the rules as they are', () => {
    const schema = closed({ a: { $ref: '#/$defs/Nowhere' } })
    expect(follow(schema)).toEqual(validateSchema(schema))
  })
})

describe('storedHealth', () => {
  it('takes the followed verdict where it is better', () => {
    const schema = closed(
      { a: { $ref: '#/$defs/A', type: 'object' } },
      { $defs: { A: closed({ next: { anyOf: [{ $ref: '#/$defs/A' }, { type: 'null' }] } }) } },
    )
    expect(validateSchema(schema).status).toBe('NON_STRICT_ONLY')
    expect(storedHealth(schema)).toEqual({ status: 'STRICT_COMPLIANT', reasons: [] })
  })

  it("never judges below Letta's rules: a bad target keeps the opaque verdict", () => {
    const schema = closed(
      { a: { $ref: '#/$defs/B', type: 'object', additionalProperties: false } },
      { required: [], $defs: { B: { type: 'array' } } },
    )
    expect(follow(schema).status).toBe('INVALID')
    expect(storedHealth(schema)).toEqual(validateSchema(schema))
    expect(storedHealth(schema).status).toBe('STRICT_COMPLIANT')
  })
})

describe('followRefs on hostile shapes', () => {
  /** `levels` nested `anyOf`s around a `$ref` to the next definition: D0 → D1 → … → D<n>. */
  const deepChain = (levels: number, n: number): JsonObject => {
    const $defs: JsonObject = { [`D${n}`]: { type: 'string' } }
    for (let i = 0; i < n; i++) {
      let node: JsonObject = { $ref: `#/$defs/D${i + 1}` }
      for (let l = 0; l < levels; l++) node = { anyOf: [node, { type: 'null' }] }
      $defs[`D${i}`] = node
    }
    return closed({ a: { $ref: '#/$defs/D0' } }, { $defs })
  }

  it('never overflows the stack following definitions that are each deeply nested', () => {
    const schema = deepChain(120, 40)
    expect(follow(schema).status).toBe('INVALID')
    expect(storedHealth(schema)).toEqual(validateSchema(schema))
  })

  it('judges each node once, however many $refs point at it or at its ancestors', () => {
    const open = { type: 'object', properties: { x: { type: 'string' } } }
    const inner = closed({ open, back: { anyOf: [{ $ref: '#/properties/a' }, { type: 'null' }] } })
    const schema = closed({
      a: closed({ inner, self: { anyOf: [{ $ref: '#/properties/a/properties/inner' }] } }),
    })
    expect(follow(schema)).toEqual({
      status: 'NON_STRICT_ONLY',
      reasons: [
        "root.properties.a.properties.inner.properties.open: 'additionalProperties' not explicitly set",
      ],
    })
  })

  it("applies Letta's required-property checks through a chain of $refs", () => {
    const schema = closed(
      { a: { $ref: '#/$defs/Alias' } },
      {
        $defs: {
          Alias: { $ref: '#/$defs/Empty', description: 'an alias' },
          Empty: { type: 'object', additionalProperties: false },
        },
      },
    )
    expect(follow(schema)).toEqual({
      status: 'INVALID',
      reasons: ["root: required property 'a' allows empty object (OpenAI will reject)"],
    })
  })
})

describe('a $ref with keywords beside it', () => {
  it("is judged as Letta's inlining would see it: its own keywords over the target's", () => {
    const schema = closed(
      { a: { $ref: '#/$defs/N', type: 'object', additionalProperties: false, required: { x: 1 } } },
      { $defs: { N: { type: 'number' } } },
    )
    expect(follow(schema)).toEqual({
      status: 'INVALID',
      reasons: ["root.properties.a: 'required' must be a list if present"],
    })
    expect(storedHealth(schema)).toEqual(validateSchema(schema))
  })

  it('reports a required name beside the $ref that the target does not define', () => {
    const schema = closed(
      { a: { $ref: '#/$defs/A', required: ['nope'] } },
      { $defs: { A: closed({ y: { type: 'string' } }) } },
    )
    expect(follow(schema)).toEqual({
      status: 'INVALID',
      reasons: ["root.properties.a: required contains 'nope' not found in properties"],
    })
  })

  it('judges a bare $ref cycle that never reaches a schema as it stands', () => {
    const schema = closed({ a: { $ref: '#/$defs/A' } }, { $defs: { A: { $ref: '#/$defs/A' } } })
    expect(follow(schema)).toEqual({
      status: 'INVALID',
      reasons: ["root.properties.a: Missing 'type'"],
    })
  })

  it('finds a $ref cycle that never reaches a schema typeless, whatever stands beside it', () => {
    const schema = closed(
      { a: { $ref: '#/$defs/A', type: 'object' } },
      { $defs: { A: { $ref: '#/$defs/B' }, B: { $ref: '#/$defs/A' } } },
    )
    expect(follow(schema)).toEqual({
      status: 'INVALID',
      reasons: [
        "root.$defs.A: Missing 'type'",
        "root.properties.a: 'additionalProperties' not explicitly set",
      ],
    })
    expect(storedHealth(schema)).toEqual(validateSchema(schema))
  })

  it('gives the followed verdict up past 100,000 required names checked again', () => {
    const names = Array.from({ length: 1_000 }, (_, i) => `f${i}`)
    const big = closed(Object.fromEntries(names.map((name) => [name, { type: 'string' }])))
    const refs = Array.from({ length: 200 }, (_, i) => [
      `p${i}`,
      { $ref: '#/$defs/Big', additionalProperties: { description: `${i}` } },
    ])
    const schema = closed(Object.fromEntries(refs), { $defs: { Big: big } })
    expect(follow(schema).reasons).toContain(
      "root.properties.p99: too many '$ref's with keywords beside them to follow",
    )
    expect(storedHealth(schema)).toEqual(validateSchema(schema))
  })
})
