import { describe, expect, it } from 'vitest'
import {
  REQUEST_HEARTBEAT_DESCRIPTION,
  toolJsonSchema,
  type ToolDefinition,
} from '../../../core/schema/index.js'

const definition = (overrides: Partial<ToolDefinition> = {}): ToolDefinition => ({
  name: 'echo',
  description: 'Echoes the input',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  ...overrides,
})
const heartbeat = { type: 'boolean', description: REQUEST_HEARTBEAT_DESCRIPTION }
const emptyParameters = {
  type: 'object',
  properties: { request_heartbeat: heartbeat },
  additionalProperties: false,
  required: ['request_heartbeat'],
}

describe('toolJsonSchema', () => {
  it("builds Letta's json_schema with the stored health, in Letta's key order", () => {
    const { jsonSchema, listed } = toolJsonSchema(definition())
    expect(JSON.stringify(jsonSchema)).toBe(
      JSON.stringify({
        name: 'echo',
        description: 'Echoes the input',
        parameters: {
          type: 'object',
          properties: { text: { type: 'string' }, request_heartbeat: heartbeat },
          required: ['text', 'request_heartbeat'],
          additionalProperties: false,
        },
        'mcp:SCHEMA_STATUS': 'STRICT_COMPLIANT',
        'mcp:SCHEMA_WARNINGS': [],
      }),
    )
    expect(listed).toEqual({ status: 'STRICT_COMPLIANT', reasons: [] })
  })

  it.each<[string, unknown]>([
    ['an empty {} schema', {}],
    ['no schema', undefined],
    ['a null schema', null],
  ])('gives %s no health, so it is never rejected', (_name, inputSchema) => {
    const { jsonSchema, listed } = toolJsonSchema(definition({ inputSchema, description: null }))
    expect(jsonSchema).toEqual({ name: 'echo', description: null, parameters: emptyParameters })
    expect(listed).toBeNull()
  })

  it('rejects a schema that is not an object at list time', () => {
    const { listed } = toolJsonSchema(definition({ inputSchema: [] }))
    expect(listed).toEqual({ status: 'INVALID', reasons: ['Top-level schema must be a dict'] })
  })

  it('decides rejection by the list-time verdict, as Letta, even where the stored one is better (v31)', () => {
    const record = toolJsonSchema(
      definition({ inputSchema: { properties: { a: { type: 'string' } } } }),
    )
    expect(record.listed?.status).toBe('INVALID')
    expect(record.jsonSchema['mcp:SCHEMA_STATUS']).toBe('STRICT_COMPLIANT')
  })

  it("replaces a server's own request_heartbeat parameter, as Letta, with a warning (v44)", () => {
    const inputSchema = { type: 'object', properties: { request_heartbeat: { type: 'string' } } }
    const { jsonSchema, warnings } = toolJsonSchema(definition({ inputSchema }))
    expect(jsonSchema.parameters.properties).toEqual({ request_heartbeat: heartbeat })
    expect(warnings).toEqual([
      "the server's 'request_heartbeat' parameter is replaced by Letta's flag",
    ])
  })
})
