import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { prepareTool } from '../../core/tools/prepare.js'
import { benchHostileSchemas } from './hostile-schemas.js'
import type { Row } from './types.js'

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown

const vectors = (): unknown[] => {
  const dir = 'test/fixtures/schemas'
  return readdirSync(dir).map((name) => readJson(join(dir, name, 'input.json')))
}

/** The input schemas of the third-party corpus: 340 tools as published servers serve them. */
const thirdParty = (): unknown[] => {
  const dir = 'test/fixtures/third-party'
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => (readJson(join(dir, name)) as { tools: { inputSchema: unknown }[] }).tools)
    .map((tool) => tool.inputSchema)
}

/** A copy of `schema` that no other copy equals: a property (or root text) of its own. */
const unique = (schema: unknown, n: number): unknown => {
  const copy = structuredClone(schema) as Record<string, unknown>
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) return copy
  copy.description = `variant ${n}`
  const properties = copy.properties
  if (typeof properties === 'object' && properties !== null && !Array.isArray(properties)) {
    copy.properties = { ...properties, [`field_${n}`]: { type: 'string' } }
  }
  return copy
}

const throughput = (schemas: unknown[]) => {
  const began = performance.now()
  for (const [i, inputSchema] of schemas.entries()) {
    prepareTool({ name: `t${i}`, description: 'bench', inputSchema })
  }
  return Math.round(schemas.length / ((performance.now() - began) / 1000))
}

/**
 * The sync's per-tool work (validate, normalise, build the stored schema; no argument validator
 * is compiled): over the fixture vectors repeated, and over 20,000 unique schemas made from the
 * vectors and the third-party corpus, each prepared once (nothing can come from a cache).
 */
export const benchSchemas = async (): Promise<Row[]> => {
  const corpus = vectors()
  const repeated = Array.from({ length: 20_000 }, (_, i) => corpus[i % corpus.length])
  const sources = [...corpus, ...thirdParty()]
  const fresh = Array.from({ length: 20_000 }, (_, i) => unique(sources[i % sources.length], i))
  return [
    {
      name: 'schema validate+normalize throughput',
      value: throughput(repeated),
      unit: 'schemas/s',
    },
    {
      name: 'prepare throughput, unique schemas (target >= 6000)',
      value: throughput(fresh),
      unit: 'schemas/s',
    },
    benchHostileSchemas(),
  ]
}
