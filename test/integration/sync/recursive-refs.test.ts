import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { healthRank, type SchemaStatus } from '../../../core/schema/health.js'
import { syncServer } from '../../../core/tools/sync.js'
import { startMutableServer, type MutableServer } from '../../fixtures/mcp/mutable-server.js'
import { clientsFor } from '../../support/aws.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'
import { privateQueue } from '../../support/queue.js'

type Case = {
  name: string
  inputSchema: Record<string, unknown>
  letta: { storedStatus: SchemaStatus }
}
const cases = JSON.parse(readFileSync('test/fixtures/recursive-refs/cases.json', 'utf8')) as Case[]

type StoredTool = {
  name: string
  json_schema: { parameters: Record<string, unknown>; 'mcp:SCHEMA_STATUS'?: SchemaStatus }
}

let http: MutableServer
let stored: Map<string, StoredTool>

beforeAll(async () => {
  http = await startMutableServer([])
  http.setTools(cases.map((c) => ({ name: c.name, inputSchema: c.inputSchema })))
  const queueUrl = await privateQueue(clientsFor(inject('endpoints')).sqs, 'recursive')
  const { app, deps } = testApp({ syncQueueUrl: queueUrl })
  const org = await newOrg(deps)
  const call = apiCaller(app, org.auth)
  const created = await call('POST', '/v1/mcp-servers/', {
    server_name: 'recursive',
    config: { mcp_server_type: 'streamable_http', server_url: http.url() },
  })
  expect(created.status).toBe(200)
  const id = created.json.id as string
  const message = { organization_id: org.organizationId, server_id: id, config_version: 1 }
  expect(await syncServer(deps.sync, { ...message, reason: 'created' })).toMatchObject({
    outcome: 'ok',
    toolCount: cases.length,
  })
  const tools = (await call('GET', `/v1/mcp-servers/${id}/tools`)).json as StoredTool[]
  stored = new Map(tools.map((t) => [t.name, t]))
}, 60_000)

afterAll(async () => {
  await http?.close()
})

describe('A server whose tools take recursive and pointer $ref schemas', () => {
  it.each(cases.map((c) => [c.name, c] as const))(
    "%s: synced and stored at Letta's health or above",
    (name, c) => {
      const tool = stored.get(name)!
      const status = tool.json_schema['mcp:SCHEMA_STATUS']!
      expect(healthRank(status)).toBeGreaterThanOrEqual(healthRank(c.letta.storedStatus))
      expect(status).toBe('STRICT_COMPLIANT')
    },
  )

  it('keeps a recursive definition as a $ref instead of cutting it off', () => {
    const parameters = stored.get('self-tree')!.json_schema.parameters
    expect((parameters.properties as Record<string, unknown>).root).toEqual({
      $ref: '#/$defs/Node',
      type: 'object',
    })
    expect(parameters.$defs).toEqual({
      Node: {
        type: 'object',
        properties: {
          value: { type: 'string' },
          children: {
            type: 'array',
            items: { $ref: '#/$defs/Node', type: 'object', additionalProperties: false },
          },
        },
        required: ['value', 'children'],
        additionalProperties: false,
      },
    })
  })
})
