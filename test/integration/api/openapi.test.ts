import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { testApp } from '../../support/deps.js'

const { app } = testApp()

interface Doc {
  openapi: string
  paths: Record<string, Record<string, unknown>>
  components: { schemas: Record<string, { required: string[]; properties: Record<string, any> }> }
}
const fetchDoc = async () => (await (await app.request('/openapi.json')).json()) as Doc

/** Hono's routes as OpenAPI path keys (`:id` → `{…}`), minus middleware. */
const served = () => {
  const seen = new Set<string>()
  for (const route of app.routes) {
    if (route.method === 'ALL') continue
    const path = route.path.replace(/:[^/]+/g, '{}').replace(/\/$/, '')
    seen.add(`${route.method} ${path}`)
  }
  return [...seen].sort()
}

describe('GET /openapi.json', () => {
  it('Should validate as OpenAPI 3.1', async () => {
    const res = await app.request('/openapi.json')
    expect(res.headers.get('content-type')).toBe('application/json')
    const doc = (await res.json()) as Doc
    expect(doc.openapi).toBe('3.1.0')
    const result = await new Validator().validate(doc as never)
    expect(result).toEqual({ valid: true })
  })

  it('Should describe every route Hangar serves, and nothing else', async () => {
    const doc = await fetchDoc()
    const described = Object.entries(doc.paths)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((key) => key !== 'parameters')
          .map(
            (method) =>
              `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}').replace(/\/$/, '')}`,
          ),
      )
      .sort()
    expect(described).toEqual(served())
  })

  it('Should use the same request schemas the routes validate with', async () => {
    const doc = await fetchDoc()
    const create = doc.components.schemas.CreateMCPServerRequest ?? { required: [], properties: {} }
    expect(create.required).toEqual(['server_name', 'config'])
    expect(
      create.properties.config.oneOf.map(
        (v: { properties: { mcp_server_type: { const: string } } }) =>
          v.properties.mcp_server_type.const,
      ),
    ).toEqual(['stdio', 'sse', 'streamable_http'])
  })
})

describe('GET /docs', () => {
  it('Should render an HTML reference listing the routes', async () => {
    const res = await app.request('/docs')
    expect(res.headers.get('content-type')).toContain('text/html')
    const page = await res.text()
    expect(page).toContain('<code>/v1/mcp-servers/{mcp_server_id}/tools/{tool_id}/run</code>')
    expect(page).toContain('mcp_create_mcp_server')
  })
})
