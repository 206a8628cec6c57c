import { prepareTool } from '../../core/tools/prepare.js'

type Schema = Record<string, unknown>

const closed = (properties: Schema, extra: Schema = {}): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...extra,
})
const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const strings = (n: number, prefix: string) =>
  Object.fromEntries(range(n).map((i) => [`${prefix}${i}`, { type: 'string' }]))

/** 40 definitions, each 200 `anyOf` levels deep around a `$ref` to the next. */
const deepChain = (): Schema => {
  const $defs: Schema = { D40: { type: 'string' } }
  for (const i of range(40)) {
    let node: Schema = { $ref: `#/$defs/D${i + 1}` }
    for (const _ of range(200)) node = { anyOf: [node, { type: 'null' }] }
    $defs[`D${i}`] = node
  }
  return closed({ a: { $ref: '#/$defs/D0' } }, { $defs })
}

/** 200 nested objects, each with a `$ref` to itself, above 5,000 properties. */
const refsToAncestors = (): Schema => {
  let node = closed(strings(5_000, 'q'))
  const pointers = range(200).map((i) => `#/properties/root${'/properties/next'.repeat(i)}`)
  for (const i of range(200).reverse()) {
    node = closed({ back: { anyOf: [{ $ref: pointers[i] }, { type: 'null' }] }, next: node })
  }
  return closed({ root: node })
}

/** 10,000 `$ref`s, each with a keyword beside it, to a 10,000-property definition. */
const wideTarget = (): Schema => {
  const refs = range(10_000).map((i) => [
    `p${i}`,
    { $ref: '#/$defs/Big', additionalProperties: { description: `${i}` } },
  ])
  return closed(Object.fromEntries(refs), { $defs: { Big: closed(strings(10_000, 'q')) } })
}

/** Shapes a hostile server can serve, each about 0.1–1 MB. */
const SHAPES: [string, () => Schema][] = [
  ['deep chained definitions', deepChain],
  ['refs to ancestors', refsToAncestors],
  ['refs with keywords to a wide definition', wideTarget],
  ['30,000 properties', () => closed(strings(30_000, 'p'))],
]

/** The slowest of the hostile shapes through the sync's per-tool work (one run each). */
export const benchHostileSchemas = () => {
  const times = SHAPES.map(([, make]) => {
    const inputSchema = make()
    const began = performance.now()
    prepareTool({ name: 'hostile', inputSchema })
    return performance.now() - began
  })
  return {
    name: `prepare, slowest hostile schema (${SHAPES.map(([name]) => name).join('; ')})`,
    value: Math.round(Math.max(...times)),
    unit: 'ms',
  }
}
