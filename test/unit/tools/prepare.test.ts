import { describe, expect, it } from 'vitest'
import { MAX_SCHEMA_BYTES, prepareTool } from '../../../core/tools/prepare.js'

const wide = (properties: number) => ({
  type: 'object',
  properties: Object.fromEntries(
    Array.from({ length: properties }, (_, i) => [`p${i}`, { type: 'string' }]),
  ),
})

describe('prepareTool', () => {
  it('Should reject an input schema over the limit by its own size, before any schema work', () => {
    const inputSchema = wide(8_000)
    const size = Buffer.byteLength(JSON.stringify(inputSchema))
    expect(size).toBeGreaterThan(MAX_SCHEMA_BYTES)
    expect(prepareTool({ name: 'wide', inputSchema })).toEqual({
      ok: false,
      reasons: [`schema too large to store: ${size} bytes (limit ${MAX_SCHEMA_BYTES})`],
    })
  })

  it('Should reject a schema whose stored form with the input passes the limit', () => {
    // The input fits; the normalised copy stored beside it does not.
    const inputSchema = wide(5_000)
    const size = Buffer.byteLength(JSON.stringify(inputSchema))
    expect(size).toBeLessThan(MAX_SCHEMA_BYTES)
    const prepared = prepareTool({ name: 'wide', inputSchema })
    expect(prepared.ok).toBe(false)
    expect(prepared.ok === false && prepared.reasons[0]).toMatch(
      /^schema too large to store: \d+ bytes \(limit 160000\)$/,
    )
  })

  it('Should keep a schema that fits', () => {
    expect(prepareTool({ name: 'small', inputSchema: wide(10) })).toMatchObject({ ok: true })
  })
})
