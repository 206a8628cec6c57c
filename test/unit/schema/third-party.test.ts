import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  listTimeHealth,
  toolJsonSchema,
  validateSchema,
  type Health,
  type SchemaStatus,
} from '../../../core/schema/index.js'
import { healthRank } from '../../../core/schema/health.js'
import { prepareTool } from '../../../core/tools/prepare.js'

/** Letta's verdicts, computed by running Letta's own code on each schema (see the corpus README). */
type Letta = {
  raw: Health
  listTime: Health | { raises: string } | null
  storedStatus: SchemaStatus | { raises: string } | null
}
type Corpus = {
  package: string
  version: string
  tools: { name: string; inputSchema: unknown; letta: Letta }[]
}

const ROOT = fileURLToPath(new URL('../../fixtures/third-party/', import.meta.url))
const corpora = readdirSync(ROOT)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => JSON.parse(readFileSync(`${ROOT}${file}`, 'utf8')) as Corpus)

const isHealth = (value: Letta['listTime']): value is Health => value !== null && 'status' in value
/** Letta keeps a tool whose schema has no health, or whose list-time health is not INVALID. */
const lettaKeeps = (letta: Letta) =>
  letta.listTime === null || (isHealth(letta.listTime) && letta.listTime.status !== 'INVALID')

describe('third-party schema corpus', () => {
  it('holds 340 tools served by 24 published MCP servers', () => {
    expect(corpora.length).toBe(24)
    expect(corpora.reduce((sum, corpus) => sum + corpus.tools.length, 0)).toBe(340)
  })

  describe.each(corpora.map((corpus) => [`${corpus.package}@${corpus.version}`, corpus] as const))(
    '%s',
    (_, corpus) => {
      it("gives Letta's raw verdict exactly for every schema as served", () => {
        const ours = corpus.tools.map((tool) => ({ [tool.name]: validateSchema(tool.inputSchema) }))
        const letta = corpus.tools.map((tool) => ({ [tool.name]: tool.letta.raw }))
        expect(ours).toEqual(letta)
      })

      it('keeps every tool Letta keeps, listed no worse than Letta lists it', () => {
        const missing = corpus.tools
          .filter((tool) => lettaKeeps(tool.letta) && !prepareTool(tool).ok)
          .map((tool) => tool.name)
        expect(missing).toEqual([])
        const worse = corpus.tools
          .filter((tool) => isHealth(tool.letta.listTime))
          .filter((tool) => {
            const ours = listTimeHealth(tool.inputSchema)
            const letta = tool.letta.listTime as Health
            return ours === null || healthRank(ours.status) < healthRank(letta.status)
          })
          .map((tool) => tool.name)
        expect(worse).toEqual([])
      })

      it('stores a health never below the one Letta stores', () => {
        const worse = corpus.tools
          .filter((tool) => typeof tool.letta.storedStatus === 'string')
          .filter((tool) => {
            const ours = toolJsonSchema(tool).jsonSchema['mcp:SCHEMA_STATUS']
            const letta = tool.letta.storedStatus as SchemaStatus
            return ours === undefined || healthRank(ours) < healthRank(letta)
          })
          .map((tool) => tool.name)
        expect(worse).toEqual([])
      })
    },
  )
})
