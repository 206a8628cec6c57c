import fc from 'fast-check'

const NAMES = ['a', 'b', 'c', 'request_heartbeat', '__proto__']
const DEFS = ['A', 'B', 'C']
const SCALARS = ['string', 'number', 'integer', 'boolean', 'null']
const TYPE_VALUES = [...SCALARS, 'object', 'array', ['string', 'null'], ['object', 'null']]
const BAD_TYPE_VALUES = ['any', 0, null, '', ['date'], {}, true]
/** A recursive definition every root has, so that pointers into it always resolve. */
const TREE = {
  type: 'object',
  properties: {
    label: { type: 'string' },
    kids: { type: 'array', items: { $ref: '#/$defs/Tree' } },
  },
  required: ['label', 'kids'],
  additionalProperties: false,
}
/** `$defs` names, the root itself, and RFC 6901 pointers into a definition and into an array. */
const REFS = [
  ...DEFS.map((name) => `#/$defs/${name}`),
  '#',
  '#/$defs/Tree',
  '#/$defs/Tree/properties/kids',
  '#/$defs/Tree/properties/kids/items',
  '#/%24defs/Tree/properties/label',
]
/** Pointers that lead nowhere, to a non-schema, or through odd tokens. */
const BAD_REFS = [
  '#/definitions/X',
  '#/$defs/Z',
  '#/$defs',
  '#/properties',
  '#/$defs/Tree/properties/kids/items/../',
  '#/$defs/Tree/required/0',
  '#/$defs/__proto__',
  '#/$defs/A/constructor/prototype',
  '#/%E0%A4%A',
  '#anchor',
]

type Mode = 'valid' | 'malformed'
type Nodes = {
  node: unknown
  leaf: unknown
  ref: unknown
  object: unknown
  array: unknown
  union: unknown
}

/** `valid` draws only the first alternative; `malformed` also the shapes that made Letta raise. */
const orJunk = (mode: Mode, arb: fc.Arbitrary<unknown>, ...junk: fc.Arbitrary<unknown>[]) =>
  mode === 'valid' ? arb : fc.oneof(arb, fc.jsonValue({ maxDepth: 2 }), ...junk)

/**
 * Tool input schemas built from the keywords Letta's validator and normaliser look at. `valid`
 * ones pass ajv's meta-schema and every `$ref` resolves (the root always has `$defs` A, B and C,
 * which may refer to each other and to themselves, and a recursive `Tree`; `$ref`s also point at
 * the root and into `Tree`). `malformed` ones also point nowhere, at non-schemas and through odd
 * tokens, and put `required` and `anyOf` beside a `$ref`.
 */
export const toolSchema = (mode: Mode) => {
  const { node } = fc.letrec<Nodes>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('leaf'),
      tie('ref'),
      tie('object'),
      tie('array'),
      tie('union'),
    ),
    leaf: fc.record(
      {
        type: orJunk(mode, fc.constantFrom(...SCALARS, ['string', 'null'])),
        enum: fc.constant(['x', 'y']),
        format: fc.constantFrom('uri', 'date-time', 'uuid'),
      },
      { requiredKeys: mode === 'valid' ? ['type'] : [] },
    ),
    ref: fc.record(
      {
        $ref: orJunk(mode, fc.constantFrom(...REFS), fc.constantFrom(...BAD_REFS)),
        type: orJunk(mode, fc.constantFrom(...TYPE_VALUES)),
        additionalProperties: fc.constant(false),
        description: fc.constant('beside the $ref'),
        required: orJunk(mode, fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 2 })),
        anyOf: fc.array(tie('node'), { minLength: 1, maxLength: 2 }),
      },
      { requiredKeys: ['$ref'] },
    ),
    object: fc.record(
      {
        type: orJunk(mode, fc.constant('object'), fc.constantFrom(...BAD_TYPE_VALUES)),
        properties: orJunk(
          mode,
          fc.dictionary(fc.constantFrom(...NAMES), orJunk(mode, tie('node'), fc.boolean())),
        ),
        required: orJunk(mode, fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 3 })),
        additionalProperties: orJunk(mode, fc.oneof(fc.constant(false), fc.boolean(), tie('node'))),
      },
      { requiredKeys: mode === 'valid' ? ['type'] : [] },
    ),
    array: fc.record(
      {
        type: fc.constant('array'),
        items: orJunk(mode, tie('node'), fc.array(tie('node'), { maxLength: 2 })),
        minItems: orJunk(mode, fc.nat(2)),
      },
      { requiredKeys: ['type'] },
    ),
    union: fc.record(
      {
        anyOf: orJunk(mode, fc.array(tie('node'), { minLength: 1, maxLength: 3 })),
        oneOf: fc.array(tie('node'), { minLength: 1, maxLength: 2 }),
        default: fc.constant(null),
      },
      { requiredKeys: ['anyOf'] },
    ),
  }))

  const defs = fc.record({ A: node, B: node, C: node }).map((named) => ({ ...named, Tree: TREE }))
  const root = fc.record(
    {
      type: orJunk(mode, fc.constant('object'), fc.constantFrom(...BAD_TYPE_VALUES)),
      properties: orJunk(
        mode,
        fc.dictionary(fc.constantFrom(...NAMES), orJunk(mode, node, fc.boolean())),
      ),
      required: orJunk(mode, fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 3 })),
      additionalProperties: orJunk(mode, fc.boolean()),
    },
    { requiredKeys: [] },
  )
  return fc.tuple(defs, root).map(([$defs, rest]) => ({ $defs, ...rest }))
}

/** The same value with every object's keys in another order. */
export const shuffleKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(shuffleKeys)
  if (typeof value !== 'object' || value === null) return value
  const entries = Object.entries(value).reverse()
  return Object.fromEntries(entries.map(([key, item]) => [key, shuffleKeys(item)]))
}
