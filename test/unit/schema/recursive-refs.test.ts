import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  listTimeHealth,
  normalizeSchema,
  storedHealth,
  validateSchema,
} from '../../../core/schema/index.js'
import { healthRank, type SchemaStatus } from '../../../core/schema/health.js'

type Verdict = { status: SchemaStatus; reasons: string[] }
interface Case {
  name: string
  inputSchema: Record<string, unknown>
  letta: { raw: Verdict; listTime: Verdict | null; storedStatus: SchemaStatus | null }
}

const cases = JSON.parse(readFileSync('test/fixtures/recursive-refs/cases.json', 'utf8')) as Case[]

describe.each(cases)('recursive/pointer $ref: $name', (c) => {
  it("gives Letta's raw verdict, reasons included", () => {
    expect(validateSchema(c.inputSchema)).toEqual(c.letta.raw)
  })

  it('keeps the tool whenever Letta keeps it', () => {
    const lettaKeeps = c.letta.listTime === null || c.letta.listTime.status !== 'INVALID'
    expect(lettaKeeps).toBe(true)
    expect(listTimeHealth(c.inputSchema)?.status).not.toBe('INVALID')
  })

  it('stores health >= Letta, with its recursive definitions kept as $refs', () => {
    const stored = normalizeSchema(c.inputSchema)
    expect(healthRank(stored.status)).toBeGreaterThanOrEqual(healthRank(c.letta.storedStatus!))
    expect(stored.status).toBe('STRICT_COMPLIANT')
    expect(storedHealth(stored.schema)).toEqual({ status: stored.status, reasons: stored.reasons })
  })
})
