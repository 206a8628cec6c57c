import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  contentHash,
  listTimeHealth,
  normalizeSchema,
  storedHealth,
  validateSchema,
  validatorFor,
  type Health,
} from '../../../core/schema/index.js'
import { healthRank } from '../../../core/schema/health.js'
import { shuffleKeys, toolSchema } from './arbitraries.js'

const anyInput = fc.oneof(fc.jsonValue(), toolSchema('malformed'), toolSchema('valid'))
const RUNS = { numRuns: 400 }
/** Each run compiles two schemas with ajv (a few ms each). */
const COMPILE_RUNS = { numRuns: 200 }
const COMPILE_TIMEOUT_MS = 30_000
const rank = (health: Pick<Health, 'status'>) => healthRank(health.status)

describe('schema health properties', () => {
  it('validateSchema never throws, and reports reasons exactly when not strict', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const { status, reasons } = validateSchema(input)
        expect(['STRICT_COMPLIANT', 'NON_STRICT_ONLY', 'INVALID']).toContain(status)
        expect(reasons.length === 0).toBe(status === 'STRICT_COMPLIANT')
      }),
      RUNS,
    )
  })

  it('normalizeSchema never throws, never mutates its input and never lowers health', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const before = JSON.stringify(input)
        const stored = normalizeSchema(input)
        const listed = listTimeHealth(input)
        expect(JSON.stringify(input)).toBe(before)
        expect(rank(stored)).toBeGreaterThanOrEqual(rank(validateSchema(input)))
        if (listed) expect(rank(listed)).toBeGreaterThanOrEqual(rank(validateSchema(input)))
        if (listed) expect(rank(stored)).toBeGreaterThanOrEqual(rank(listed))
        expect(stored).toMatchObject(storedHealth(stored.schema))
      }),
      RUNS,
    )
  })

  it('normalizeSchema is idempotent: a normalised schema comes back as the same object', () => {
    fc.assert(
      fc.property(anyInput, fc.boolean(), (input, heartbeat) => {
        const once = normalizeSchema(input, { heartbeat }).schema
        expect(normalizeSchema(once, { heartbeat }).schema).toBe(once)
      }),
      RUNS,
    )
  })

  it(
    'a schema ajv compiles still compiles after normalisation',
    () => {
      let compiled = 0
      fc.assert(
        fc.property(fc.oneof(toolSchema('valid'), fc.jsonValue()), (input) => {
          if (!validatorFor(input).ok) return
          compiled += 1
          const result = validatorFor(normalizeSchema(input).schema)
          expect(result.ok ? 'compiles' : result.error).toBe('compiles')
        }),
        COMPILE_RUNS,
      )
      expect(compiled).toBeGreaterThan(COMPILE_RUNS.numRuns / 4)
    },
    COMPILE_TIMEOUT_MS,
  )

  it('contentHash ignores key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(contentHash(shuffleKeys(value))).toBe(contentHash(value))
      }),
      RUNS,
    )
  })
})
