import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { prepareTool } from '../../core/tools/prepare.js'
import type { Row } from './types.js'

const corpus = (): unknown[] => {
  const dir = 'test/fixtures/schemas'
  return readdirSync(dir).map((name) =>
    JSON.parse(readFileSync(join(dir, name, 'input.json'), 'utf8')),
  )
}

/** Validation + normalisation throughput over the fixture corpus (the sync's per-tool work). */
export const benchSchemas = async (): Promise<Row[]> => {
  const schemas = corpus()
  const rounds = Math.ceil(20_000 / schemas.length)
  const began = performance.now()
  let done = 0
  for (let r = 0; r < rounds; r++) {
    for (const [i, inputSchema] of schemas.entries()) {
      prepareTool({ name: `t${i}`, description: 'bench', inputSchema })
      done++
    }
  }
  const perSecond = Math.round(done / ((performance.now() - began) / 1000))
  return [{ name: 'schema validate+normalize throughput', value: perSecond, unit: 'schemas/s' }]
}
