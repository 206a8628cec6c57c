import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, test } from 'vitest'
import {
  listTimeHealth,
  normalizeSchema,
  toolJsonSchema,
  validateSchema,
  validatorFor,
  type Health,
  type JsonObject,
  type SchemaStatus,
} from '../../../core/schema/index.js'
import { healthRank } from '../../../core/schema/health.js'

type Expected = {
  letta: { raw: Health; listTime: Health | null; storedStatus: SchemaStatus | null }
  hangar: {
    listed: Health | null
    stored: Health & { schema: JsonObject }
    inputCompiles: boolean
    storedCompiles: boolean
  }
}

const ROOT = fileURLToPath(new URL('../../fixtures/schemas/', import.meta.url))
const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

const load = (name: string) => ({
  input: JSON.parse(readFileSync(`${ROOT}${name}/input.json`, 'utf8')) as unknown,
  expected: JSON.parse(readFileSync(`${ROOT}${name}/expected.json`, 'utf8')) as Expected,
})

const rank = (health: { status: SchemaStatus }) => healthRank(health.status)

describe('schema fixture corpus', () => {
  it('holds every Letta vector of spec §3.5 (v01 to v45)', () => {
    const vectors = cases.filter((name) => /^v\d\d_/.test(name)).map((name) => name.slice(0, 3))
    const all = Array.from({ length: 45 }, (_, i) => `v${String(i + 1).padStart(2, '0')}`)
    expect(vectors).toEqual(all)
  })

  test.each(cases)('%s has both input.json and expected.json', (name) => {
    const files = readdirSync(`${ROOT}${name}`).sort()
    expect(files).toEqual(['expected.json', 'input.json'])
  })

  describe.each(cases)('%s', (name) => {
    it("gives Letta's raw verdict exactly (status and every reason, in order)", () => {
      const { input, expected } = load(name)
      expect(validateSchema(input)).toEqual(expected.letta.raw)
    })

    it('lists the tool with the expected verdict, and keeps every tool Letta keeps', () => {
      const { input, expected } = load(name)
      const listed = listTimeHealth(input)
      expect(listed).toEqual(expected.hangar.listed)
      const lettaKeeps =
        expected.letta.listTime !== null && expected.letta.listTime.status !== 'INVALID'
      expect(lettaKeeps && listed?.status === 'INVALID').toBe(false)
    })

    it('stores the expected schema and health', () => {
      const { input, expected } = load(name)
      const { schema, status, reasons } = normalizeSchema(input)
      expect(JSON.stringify(schema)).toBe(JSON.stringify(expected.hangar.stored.schema))
      expect({ status, reasons }).toEqual({
        status: expected.hangar.stored.status,
        reasons: expected.hangar.stored.reasons,
      })
    })

    it("never stores a health below the raw input's, the listed one or Letta's stored one", () => {
      const { input, expected } = load(name)
      const stored = normalizeSchema(input)
      expect(rank(stored)).toBeGreaterThanOrEqual(rank(validateSchema(input)))
      expect(rank(stored)).toBeGreaterThanOrEqual(rank(listTimeHealth(input) ?? stored))
      const lettaStored = expected.letta.storedStatus ?? 'INVALID'
      expect(rank(stored)).toBeGreaterThanOrEqual(healthRank(lettaStored))
    })

    it('changes nothing when normalised a second time', () => {
      const { input } = load(name)
      const once = normalizeSchema(input).schema
      expect(JSON.stringify(normalizeSchema(once).schema)).toBe(JSON.stringify(once))
    })

    it('stores a schema that ajv compiles whenever the input compiles', () => {
      const { input, expected } = load(name)
      expect(validatorFor(input).ok).toBe(expected.hangar.inputCompiles)
      expect(validatorFor(normalizeSchema(input).schema).ok).toBe(expected.hangar.storedCompiles)
      expect(expected.hangar.storedCompiles || !expected.hangar.inputCompiles).toBe(true)
    })

    it("builds Letta's json_schema record, with health keys only when Letta adds them", () => {
      const { input, expected } = load(name)
      const record = toolJsonSchema({ name, description: 'd', inputSchema: input })
      const { schema, status, reasons } = expected.hangar.stored
      const health =
        expected.letta.listTime === null && expected.hangar.listed === null
          ? {}
          : { 'mcp:SCHEMA_STATUS': status, 'mcp:SCHEMA_WARNINGS': reasons }
      expect(record.jsonSchema).toEqual({ name, description: 'd', parameters: schema, ...health })
      expect(record.listed).toEqual(expected.hangar.listed)
    })
  })
})
