import { describe, expect, it } from 'vitest'
import { contentHash, validatorFor, type Validator } from '../../../core/schema/index.js'

const person = (overrides: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: { name: { type: 'string' }, site: { type: 'string', format: 'uri' } },
  required: ['name'],
  additionalProperties: false,
  ...overrides,
})
const validate = (validator: Validator, data: unknown) => {
  if (!validator.ok) throw new Error(validator.error)
  return validator.validate(data)
}

describe('validatorFor', () => {
  it.each([
    ['no $schema', {}],
    ['draft-07', { $schema: 'http://json-schema.org/draft-07/schema#' }],
    ['draft-06', { $schema: 'http://json-schema.org/draft-06/schema#' }],
    ['2020-12', { $schema: 'https://json-schema.org/draft/2020-12/schema' }],
  ])('validates arguments with formats under %s', (_name, dialect) => {
    const validator = validatorFor(person(dialect))
    expect(validate(validator, { name: 'a', site: 'https://example.com' })).toEqual({ valid: true })
    expect(validate(validator, { name: 'a', site: 'not a uri' })).toEqual({
      valid: false,
      errors: ['/site must match format "uri"'],
    })
  })

  it('uses 2020-12 semantics for a 2020-12 schema (prefixItems)', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'string' }],
    }
    expect(validate(validatorFor(schema), [1])).toEqual({
      valid: false,
      errors: ['/0 must be string'],
    })
  })

  it('names the missing or unknown field', () => {
    const validator = validatorFor(person())
    expect(validate(validator, {})).toEqual({
      valid: false,
      errors: ["/ must have required property 'name'"],
    })
    expect(validate(validator, { name: 'a', extra: 1 })).toEqual({
      valid: false,
      errors: ["/ must NOT have additional properties ('extra')"],
    })
  })

  it('compiles once per content hash, whatever the key order', () => {
    const first = validatorFor(person({ description: 'cache test' }))
    const reordered = validatorFor({
      description: 'cache test',
      additionalProperties: false,
      required: ['name'],
      properties: { site: { format: 'uri', type: 'string' }, name: { type: 'string' } },
      type: 'object',
    })
    expect(reordered).toBe(first)
    expect(validatorFor(person({ description: 'other' }))).not.toBe(first)
  })

  it('still validates recursive $defs after dropping the schema from ajv', () => {
    const schema = {
      $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } },
      $ref: '#/$defs/Node',
    }
    const validator = validatorFor(schema)
    expect(validate(validator, { next: { next: {} } })).toEqual({ valid: true })
    expect(validate(validator, { next: { next: 1 } })).toEqual({
      valid: false,
      errors: ['/next/next must be object'],
    })
  })

  it('compiles two different schemas that declare the same $id', () => {
    const a = validatorFor({ $id: 'https://example.com/tool', type: 'string' })
    const b = validatorFor({ $id: 'https://example.com/tool', type: 'number' })
    expect([validate(a, 'x'), validate(b, 1)]).toEqual([{ valid: true }, { valid: true }])
  })

  it.each<[string, unknown, string]>([
    [
      'an unknown type',
      { type: 'any' },
      'schema is invalid: data/type must be equal to one of the allowed values, data/type must be array, data/type must match a schema in anyOf',
    ],
    [
      'an unresolvable $ref',
      { $ref: '#/definitions/X' },
      "can't resolve reference #/definitions/X from id #",
    ],
    ['a malformed $id', { $id: 5, type: 'string' }, 'id.replace is not a function'],
  ])('returns a result instead of throwing for %s', (_name, schema, error) => {
    expect(validatorFor(schema)).toEqual({ ok: false, error })
  })
})

describe('contentHash', () => {
  it('is a sha256 of the canonical JSON: key order does not matter, content does', () => {
    const hash = contentHash({ a: 1, b: [{ c: 2, d: 3 }] })
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect(contentHash({ b: [{ d: 3, c: 2 }], a: 1 })).toBe(hash)
    expect(contentHash({ a: 1, b: [{ c: 2, d: 4 }] })).not.toBe(hash)
    expect(contentHash({ a: 1, b: [{ d: 3 }, { c: 2 }] })).not.toBe(hash)
  })
})
