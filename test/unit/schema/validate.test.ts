import { describe, expect, it } from 'vitest'
import { validateSchema, type Health } from '../../../core/schema/index.js'

const object = (overrides: Record<string, unknown> = {}) => ({
  type: 'object',
  additionalProperties: false,
  ...overrides,
})
const strict = (): Health => ({ status: 'STRICT_COMPLIANT', reasons: [] })
const invalid = (...reasons: string[]): Health => ({ status: 'INVALID', reasons })
const nonStrict = (...reasons: string[]): Health => ({ status: 'NON_STRICT_ONLY', reasons })

const nested = (levels: number): unknown =>
  levels === 0 ? { type: 'string' } : object({ properties: { a: nested(levels - 1) } })

describe('validateSchema', () => {
  it.each<[string, unknown, Health]>([
    ['rejects a top-level array', [], invalid('Top-level schema must be a dict')],
    ['rejects a top-level null', null, invalid('Top-level schema must be a dict')],
    ['rejects a top-level boolean schema', true, invalid('Top-level schema must be a dict')],
    [
      'accepts a fully specified nested object (Letta test)',
      object({
        properties: { cfg: object({ properties: { x: { type: 'string' } }, required: ['x'] }) },
        required: ['cfg'],
      }),
      strict(),
    ],
    [
      'marks a required free-form object non-strict (Letta test)',
      object({
        properties: { message: { type: 'object', description: 'm' } },
        required: ['message'],
      }),
      nonStrict("root.properties.message: 'additionalProperties' not explicitly set"),
    ],
    [
      'rejects a required property that allows an empty object (Letta test)',
      object({
        properties: { config: object({ properties: {}, required: [] }) },
        required: ['config'],
      }),
      invalid("root: required property 'config' allows empty object (OpenAI will reject)"),
    ],
    [
      'checks unions of a node typed with a list, but not its properties',
      object({
        properties: {
          o: { type: ['object', 'null'], properties: { x: {} }, anyOf: [{ type: 'array' }] },
        },
      }),
      invalid("root.properties.o.anyOf[0]: 'items' must be defined for arrays in strict mode"),
    ],
    [
      'formats non-string type-array members as Python does',
      object({ properties: { a: { type: ['string', 1, null, true, { k: 'v' }, ["it's"]] } } }),
      invalid(
        "root.properties.a: Invalid type '1' in type array",
        "root.properties.a: Invalid type 'None' in type array",
        "root.properties.a: Invalid type 'True' in type array",
        "root.properties.a: Invalid type '{'k': 'v'}' in type array",
        `root.properties.a: Invalid type '["it's"]' in type array`,
      ),
    ],
    [
      'reports non-string required entries as not found, as Python does',
      object({ properties: { a: { type: 'string' } }, required: [1, null, false] }),
      invalid(
        "root: required contains '1' not found in properties",
        "root: required contains 'None' not found in properties",
        "root: required contains 'False' not found in properties",
      ),
    ],
    [
      'stops at properties that are not an object (unions unchecked)',
      object({ properties: 'x', anyOf: 3 }),
      invalid("root: 'properties' must be a dict for objects"),
    ],
    [
      'reports a node without type, unless it has a union to check',
      object({ properties: { a: { not: {} }, b: { oneOf: {} }, c: { allOf: [1] } } }),
      invalid(
        "root.properties.a: Missing 'type'",
        "root.properties.b: 'oneOf' must be a list",
        'root.properties.c.allOf[0]: Not a valid schema dict',
      ),
    ],
    [
      'treats any additionalProperties other than false as free-form',
      object({ properties: {}, additionalProperties: null }),
      nonStrict("root: 'additionalProperties' is not false (free-form object)"),
    ],
    [
      'reads a boolean minItems as a number, as Python does',
      object({ properties: { t: { type: 'array', minItems: true } }, required: ['t'] }),
      invalid("root.properties.t: 'items' must be defined for arrays in strict mode"),
    ],
  ])('%s', (_name, schema, expected) => {
    expect(validateSchema(schema)).toEqual(expected)
  })

  it('judges a schema nested deeper than 500 levels INVALID without recursing into it', () => {
    expect(validateSchema(nested(300))).toEqual(invalid('Schema nesting exceeds 500 levels'))
    expect(validateSchema(nested(200)).status).toBe('STRICT_COMPLIANT')
  })

  describe('where Letta raises, it returns a verdict for that tool', () => {
    it.each<[string, unknown, Health]>([
      [
        'an unhashable required entry',
        object({ properties: { a: { type: 'string' } }, required: [{ x: 1 }, ['a'], 'a'] }),
        invalid(
          'root: required contains a non-string entry {"x":1}',
          'root: required contains a non-string entry ["a"]',
        ),
      ],
      [
        'a non-numeric minItems on a required array',
        object({
          properties: {
            s: { type: 'array', minItems: '1', items: { type: 'string' } },
            n: { type: 'array', minItems: null, items: { type: 'string' } },
          },
          required: ['s', 'n'],
        }),
        invalid(
          "root: required property 's' has a non-numeric 'minItems'",
          "root: required property 'n' has a non-numeric 'minItems'",
        ),
      ],
    ])('%s', (_name, schema, expected) => {
      expect(validateSchema(schema)).toEqual(expected)
    })

    it('does not look at required entries when properties are empty, as Letta', () => {
      expect(validateSchema(object({ properties: {}, required: [{ x: 1 }, 'ghost'] }))).toEqual(
        strict(),
      )
    })
  })
})
