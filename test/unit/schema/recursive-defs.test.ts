import { describe, expect, it } from 'vitest'
import { normalizeSchema, type JsonObject } from '../../../core/schema/index.js'
import { recursiveDefs } from '../../../core/schema/recursive-defs.js'

const ref = (name: string) => ({ $ref: `#/$defs/${name}` })
const object = (properties: JsonObject): JsonObject => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
})

/** D0 → D1 → … → D<n>, each an object whose one property refers to the next. */
const chain = (n: number): JsonObject => {
  const defs: JsonObject = { [`D${n}`]: { type: 'string' } }
  for (let i = 0; i < n; i++) defs[`D${i}`] = object({ next: ref(`D${i + 1}`) })
  return { ...object({ a: ref('D0') }), $defs: defs }
}

describe('recursiveDefs', () => {
  it('finds self, mutual and longer cycles, and only those', () => {
    const defs = {
      Self: object({ me: ref('Self') }),
      A: object({ b: ref('B') }),
      B: object({ c: { type: 'array', items: ref('C') } }),
      C: object({ a: { anyOf: [ref('A'), { type: 'null' }] } }),
      IntoCycle: object({ a: ref('A') }),
      Leaf: { type: 'string' },
      Dangling: object({ x: ref('Missing') }),
    }
    expect([...recursiveDefs(defs)].sort()).toEqual(['A', 'B', 'C', 'Self'])
  })

  it('handles a chain of 20,000 definitions without deep recursion', () => {
    const defs = chain(20_000).$defs as JsonObject
    expect(recursiveDefs(defs).size).toBe(0)
    defs.D20000 = object({ back: ref('D0') })
    expect(recursiveDefs(defs).size).toBe(20_001)
  })
})

describe('normalizeSchema on long $ref chains', () => {
  it('never overflows the stack, whatever the chain length', () => {
    for (const n of [40, 5_000]) {
      const result = normalizeSchema(chain(n), { heartbeat: false })
      expect(result.status).not.toBe('INVALID')
    }
  })
})
