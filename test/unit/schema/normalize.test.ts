import { describe, expect, it } from 'vitest'
import { normalizeSchema, validatorFor, type JsonObject } from '../../../core/schema/index.js'

const tool = (properties: JsonObject, extra: JsonObject = {}): JsonObject => ({
  type: 'object',
  properties,
  ...extra,
})
const plain = (input: unknown) => normalizeSchema(input, { heartbeat: false })

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze)
    Object.freeze(value)
  }
  return value
}

/** Each level refers to the next one four times: 4^6 expansions if inlined. */
const fanOut = (): JsonObject => {
  const defs: JsonObject = { D6: { type: 'string' } }
  for (let level = 0; level < 6; level++) {
    const next = { $ref: `#/$defs/D${level + 1}` }
    defs[`D${level}`] = tool({ a: next, b: next, c: next, d: next }, { required: ['a'] })
  }
  return { $defs: defs, ...tool({ root: { $ref: '#/$defs/D0' } }) }
}

describe('normalizeSchema', () => {
  it('appends keys where Letta appends them and never reorders the others', () => {
    const { schema } = plain({ properties: { b: { type: 'string' }, a: { type: 'string' } } })
    expect(Object.keys(schema)).toEqual(['properties', 'type', 'additionalProperties', 'required'])
    expect(Object.keys(schema.properties as JsonObject)).toEqual(['b', 'a'])
  })

  it('never mutates its input', () => {
    const input = deepFreeze({
      $defs: { A: tool({ x: { type: 'string' } }, { required: ['x'] }) },
      ...tool({ a: { $ref: '#/$defs/A' }, n: { anyOf: [{ type: 'null' }, { type: 'null' }] } }),
    })
    const before = JSON.stringify(input)
    expect(plain(input).status).toBe('STRICT_COMPLIANT')
    expect(JSON.stringify(input)).toBe(before)
  })

  it('removes only deep-equal anyOf duplicates, whatever their key order', () => {
    const options: JsonObject[] = [
      { type: 'string' },
      { type: 'string', format: 'uuid' },
      { format: 'uuid', type: 'string' },
      { type: 'null' },
      { type: 'string' },
    ]
    const { schema } = plain(tool({ v: { anyOf: options } }))
    expect((schema.properties as JsonObject).v).toEqual({
      anyOf: options.slice(0, 2).concat([{ type: 'null' }]),
    })
  })

  it('keeps a recursive definition as a $ref instead of unrolling it', () => {
    const node = tool({ next: { $ref: '#/$defs/Node' } }, { additionalProperties: false })
    const result = plain({ $defs: { Node: node }, ...tool({ head: { $ref: '#/$defs/Node' } }) })
    expect((result.schema.properties as JsonObject).head).toEqual({
      $ref: '#/$defs/Node',
      type: 'object',
    })
    expect(result.warnings).toContain("'$ref' to recursive definition 'Node' left in place")
    expect(validatorFor(result.schema).ok).toBe(true)
  })

  it('inlines a definition that only refers to a recursive one', () => {
    const defs = {
      List: tool({ item: { $ref: '#/$defs/Node' } }, { required: ['item'] }),
      Node: tool({ next: { $ref: '#/$defs/Node' } }),
    }
    const { schema } = plain({ $defs: defs, ...tool({ l: { $ref: '#/$defs/List' } }) })
    expect((schema.properties as JsonObject).l).toEqual({
      type: 'object',
      properties: { item: { $ref: '#/$defs/Node', type: 'object' } },
      required: ['item'],
      additionalProperties: false,
    })
  })

  it('leaves a definition that declares an identifier as a $ref, so ajv never sees it twice', () => {
    const defs = { A: { $id: 'https://example.com/a', type: 'string' } }
    const result = plain({ $defs: defs, ...tool({ a: { $ref: '#/$defs/A' } }) })
    expect((result.schema.properties as JsonObject).a).toEqual({
      $ref: '#/$defs/A',
      type: 'string',
    })
    expect(validatorFor(result.schema).ok).toBe(true)
  })

  it('gives up inlining when it would take more than 1000 expansions', () => {
    const result = plain(fanOut())
    expect((result.schema.properties as JsonObject).root).toEqual({
      $ref: '#/$defs/D0',
      type: 'object',
    })
    expect(result.warnings).toContain(
      "'$ref's left in place: inlining would take more than 1000 expansions",
    )
  })

  it('gives up inlining when it would copy more than 50,000 values (a large definition)', () => {
    const wide: JsonObject = tool({ x: { type: 'string' } })
    for (let i = 0; i < 2_000; i++) wide[`k${i}`] = i
    const refs = Object.fromEntries(
      Array.from({ length: 26 }, (_, i) => [`p${i}`, { $ref: '#/$defs/W' }]),
    )
    const result = plain({ $defs: { W: wide }, ...tool(refs) })
    expect((result.schema.properties as JsonObject).p0).toEqual({
      $ref: '#/$defs/W',
      type: 'object',
    })
    expect(result.warnings).toContain(
      "'$ref's left in place: inlining would copy more than 50000 values",
    )
  })

  it("counts every value a copy adds, not only the definition's own keys", () => {
    const fields = Object.fromEntries(
      Array.from({ length: 2_000 }, (_, i) => [`f${i}`, { type: 'string' }]),
    )
    const refs = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`p${i}`, { $ref: '#/$defs/Big' }]),
    )
    const result = plain({ $defs: { Big: tool(fields) }, ...tool(refs) })
    expect((result.schema.properties as JsonObject).p0).toEqual({
      $ref: '#/$defs/Big',
      type: 'object',
    })
    expect(result.warnings).toContain(
      "'$ref's left in place: inlining would copy more than 50000 values",
    )
  })

  it('skips a pass that would lower health: a required $ref to an object without required', () => {
    const defs = { A: tool({ x: { type: 'string' } }) }
    const result = plain({
      $defs: defs,
      ...tool({ a: { $ref: '#/$defs/A' } }, { required: ['a'] }),
    })
    expect(result.status).toBe('NON_STRICT_ONLY')
    expect((result.schema.properties as JsonObject).a).toEqual({
      $ref: '#/$defs/A',
      type: 'object',
    })
    expect(result.warnings).toContain(
      'inlineRefs skipped: it would lower health from NON_STRICT_ONLY to INVALID',
    )
  })

  it('settles: a pass skipped for lowering health runs once a later pass made it harmless', () => {
    const input = {
      $defs: { A: { type: 'string' }, B: { type: 'object', properties: {} } },
      properties: { request_heartbeat: { $ref: '#/$defs/B' }, a: { $ref: '#/$defs/A' } },
      required: ['request_heartbeat'],
    }
    const { schema } = normalizeSchema(input)
    expect((schema.properties as JsonObject).a).toEqual({ type: 'string' })
    expect(normalizeSchema(schema).schema).toBe(schema)
  })

  it('adds request_heartbeat only when asked (the stored form has it)', () => {
    const input = tool({ a: { type: 'string' } }, { required: ['a'] })
    expect(normalizeSchema(input).schema.required).toEqual(['a', 'request_heartbeat'])
    expect(plain(input).schema.required).toEqual(['a'])
  })

  it.each<[string, unknown]>([
    ['null', null],
    ['a boolean schema', true],
    ['an array', [{ type: 'object' }]],
  ])('replaces %s with an empty object schema and says so', (_name, input) => {
    const result = plain(input)
    expect(result.schema).toEqual({
      type: 'object',
      properties: {},
      additionalProperties: false,
      required: [],
    })
    expect(result.warnings).toEqual(['input is not a JSON object; an empty object schema is used'])
  })

  it('leaves a schema nested too deeply unchanged, as INVALID', () => {
    let input: JsonObject = { type: 'string' }
    for (let i = 0; i < 300; i++) input = tool({ a: input })
    const result = plain(input)
    expect(result.schema).toBe(input)
    expect(result.status).toBe('INVALID')
    expect(result.warnings).toEqual(['input is nested too deeply'])
  })

  it('keeps a property named __proto__ as an own property', () => {
    const input = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"object"}}}')
    const { schema } = plain(input)
    expect(Object.keys(schema.properties as JsonObject)).toEqual(['__proto__'])
    expect(JSON.stringify(schema.properties)).toBe(
      '{"__proto__":{"type":"object","additionalProperties":false}}',
    )
  })
})
