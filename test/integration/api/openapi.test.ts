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
  it('Should serve a Swagger UI page whose every file Hangar serves itself (no CDN)', async () => {
    const res = await app.request('/docs')
    expect(res.headers.get('content-type')).toContain('text/html')
    const page = await res.text()
    const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])
    expect(sources).toEqual([
      '/docs/assets/swagger-ui.css',
      '/openapi.json',
      '/docs/assets/swagger-ui-bundle.js',
      '/docs/assets/init.js',
    ])
    for (const source of sources.filter((s) => s?.startsWith('/docs/assets/'))) {
      const asset = await app.request(source!)
      expect(asset.status).toBe(200)
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100)
    }
    const bundle = await (await app.request('/docs/assets/swagger-ui-bundle.js')).text()
    expect(bundle).toContain('SwaggerUIBundle')
    expect(await (await app.request('/docs/assets/init.js')).text()).toContain(
      "url: '/openapi.json'",
    )
  })

  it('Should answer 404 for any other asset name', async () => {
    for (const name of ['package.json', '..%2Fpackage.json', 'index.html']) {
      expect((await app.request(`/docs/assets/${name}`)).status).toBe(404)
    }
  })

  it('Should show request bodies with examples for create, run and lint', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as any
    const example = (path: string, method: string, name: string) =>
      doc.paths[path][method].requestBody.content['application/json'].examples[name].value
    expect(example('/v1/mcp-servers/', 'post', 'stdio').config.args).toEqual([
      '-y',
      '@modelcontextprotocol/server-memory',
    ])
    expect(example('/v1/mcp-servers/{mcp_server_id}/tools/{tool_id}/run', 'post', 'echo')).toEqual({
      args: { message: 'hello' },
    })
    expect(Object.keys(example('/v1/schemas/validate', 'post', 'tool'))).toEqual(['input_schema'])
  })
})
