import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { listTimeHealth, normalizeSchema, validateSchema } from '../../../core/schema/index.js'
import { healthRank, type SchemaStatus } from '../../../core/schema/health.js'

type Verdict = { status: SchemaStatus; reasons: string[] }
interface Case {
  name: string
  inputSchema: Record<string, unknown>
  letta: { raw: Verdict; listTime: Verdict | null; storedStatus: SchemaStatus | null }
}

const cases = JSON.parse(readFileSync('test/fixtures/recursive-refs/cases.json', 'utf8')) as Case[]

/**
 * Where Hangar's stored health is still below Letta's: Hangar keeps a recursive definition as a
 * `$ref` (valid JSON Schema), which the health rules judge as an untyped object, while Letta
 * inlines ten levels and closes the last one. Listed here so the gap is visible and this test
 * turns red the day it is closed.
 */
const STORED_BELOW_LETTA = new Set([
  'self-tree',
  'self-tree-pydantic',
  'org-chart',
  'mutual',
  'deep-pointer',
  'ref-beside-keywords-recursive',
  'nested-defs-pointer-chain',
])

describe.each(cases)('recursive/pointer $ref: $name', (c) => {
  it("gives Letta's raw verdict, reasons included", () => {
    expect(validateSchema(c.inputSchema)).toEqual(c.letta.raw)
  })

  it('keeps the tool whenever Letta keeps it', () => {
    const lettaKeeps = c.letta.listTime === null || c.letta.listTime.status !== 'INVALID'
    expect(lettaKeeps).toBe(true)
    expect(listTimeHealth(c.inputSchema)?.status).not.toBe('INVALID')
  })

  const stored = () => {
    const ours = healthRank(normalizeSchema(c.inputSchema).status)
    expect(ours).toBeGreaterThanOrEqual(healthRank(c.letta.storedStatus!))
  }
  if (STORED_BELOW_LETTA.has(c.name)) it.fails('stores health >= Letta (known gap)', stored)
  else it('stores health >= Letta', stored)
})
