import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseAgentId, parseVariables } from '../../../core/templates/context.js'
import { resolveHeaders } from '../../../core/templates/headers.js'
import { resolveTemplates } from '../../../core/templates/resolve.js'
import { targetFor } from '../../../core/tools/target.js'
import type { ServerRecord } from '../../../core/registry/types.js'

interface Vectors {
  env: Record<string, string>
  values: { case: string; input: string; output: string; unresolved: string[] }[]
  headers: { case: string; input: Record<string, string>; output: Record<string, string> }[]
}
const vectors = JSON.parse(
  readFileSync(new URL('../../fixtures/templates/vectors.json', import.meta.url), 'utf8'),
) as Vectors

describe('Header templates (Letta rules)', () => {
  it.each(vectors.values.map((v) => [v.case, v] as const))('Should resolve: %s', (_, v) => {
    expect(resolveTemplates(v.input, vectors.env)).toEqual({
      value: v.output,
      unresolved: v.unresolved,
    })
  })

  it.each(vectors.headers.map((v) => [v.case, v] as const))('Should sanitise: %s', (_, v) => {
    expect(resolveHeaders(v.input, { variables: vectors.env })).toEqual(v.output)
  })

  it('Should report an unresolved header by name and variable, never its value', () => {
    const warnings: unknown[] = []
    const log = { warn: (...args: unknown[]) => warnings.push(args) }
    const out = resolveHeaders({ 'X-Key': 'secret-part {{ NOPE }}' }, { log })
    expect(out).toEqual({ 'X-Key': 'secret-part {{ NOPE }}' })
    expect(warnings).toEqual([
      [
        'header template unresolved; value sent unchanged',
        { header: 'X-Key', variables: ['NOPE'] },
      ],
    ])
    expect(JSON.stringify(warnings)).not.toContain('secret-part')
  })
})

const server = (over: Partial<ServerRecord> = {}): ServerRecord => ({
  organizationId: 'o',
  id: 'mcp_server-1',
  name: 's',
  type: 'streamable_http',
  serverUrl: 'https://mcp.example.com/mcp',
  authHeader: 'Authorization',
  masks: {},
  sync: { status: 'ok', tool_count: 0, last_synced_at: null, error: null },
  configVersion: 1,
  revision: 1,
  createdAt: '',
  updatedAt: '',
  ...over,
})

describe('targetFor with a call context', () => {
  const agentId = 'agent-6f1c2a4e-8b3d-4c5e-9f7a-0b1c2d3e4f50'

  it('Should resolve the token and custom headers and add X-Agent-Id last', () => {
    const target = targetFor(
      server(),
      {
        authToken: 'Bearer {{ AGENT_API_KEY | none }}',
        customHeaders: { 'X-Team': '{{ TEAM }}', 'x-agent-id': 'spoofed' },
      },
      { variables: { AGENT_API_KEY: 'ak-1', TEAM: 'blue' }, agentId },
    )
    expect(target?.headers).toEqual({
      'X-Team': 'blue',
      Authorization: 'Bearer ak-1',
      'X-Agent-Id': agentId,
    })
  })

  it('Should use defaults only when the call brings no variables, and send no X-Agent-Id', () => {
    const target = targetFor(server(), { authToken: 'Bearer {{ AGENT_API_KEY | none }}' })
    expect(target?.headers).toEqual({ Authorization: 'Bearer none' })
  })
})

describe('Call parameters', () => {
  it('Should accept agent-<uuid4> and refuse anything else, naming agent_id', () => {
    expect(parseAgentId('agent-6f1c2a4e-8b3d-4c5e-9f7a-0b1c2d3e4f50')).toBe(
      'agent-6f1c2a4e-8b3d-4c5e-9f7a-0b1c2d3e4f50',
    )
    expect(parseAgentId(undefined)).toBeUndefined()
    for (const bad of [
      'agent-6f1c2a4e-8b3d-1c5e-9f7a-0b1c2d3e4f50',
      '6f1c2a4e-8b3d-4c5e-9f7a-0b1c2d3e4f50',
      'agent-x',
      'agent-6f1c2a4e-8b3d-4c5e-9f7a-0b1c2d3e4f50\r\nX: y',
    ]) {
      expect(() => parseAgentId(bad)).toThrow('agent_id: must be an agent id (agent-<uuid4>)')
    }
  })

  it('Should check the variables map and name the bad entry', () => {
    expect(parseVariables({ A: 'x', b_2: '' })).toEqual({ A: 'x', b_2: '' })
    expect(parseVariables(undefined)).toBeUndefined()
    expect(() => parseVariables([])).toThrow('variables: must be object')
    expect(() => parseVariables({ A: 1 })).toThrow('variables.A: must be string')
    expect(() => parseVariables({ 'A-B': 'x' })).toThrow('variables: key "A-B" is not allowed')
    expect(() => parseVariables({ A: 'x\r\nEvil: 1' })).toThrow(
      'variables.A: must be at most 8192 characters without line breaks',
    )
  })
})
