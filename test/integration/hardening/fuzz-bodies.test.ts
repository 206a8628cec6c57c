import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { newOrg, testApp } from '../../support/deps.js'

let ctx: ReturnType<typeof testApp>
let auth: Record<string, string>
let serverId: string

const namesTheProblem = /^(body|[A-Za-z_][A-Za-z0-9_]*(\.[^:\s]+)*): \S/

const send = async (method: string, path: string, body: string) => {
  const res = await ctx.app.request(path, {
    method,
    headers: { ...auth, 'content-type': 'application/json' },
    body,
  })
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    json: (await res.json()) as { detail?: unknown },
  }
}

/** Bodies near the real shapes, so the fuzzer reaches deep fields, plus anything at all. */
const config = fc.record(
  {
    mcp_server_type: fc.oneof(
      fc.constantFrom('sse', 'stdio', 'streamable_http', 'ws'),
      fc.jsonValue(),
    ),
    server_url: fc.oneof(fc.webUrl(), fc.string(), fc.constant(null), fc.jsonValue()),
    auth_header: fc.oneof(fc.string(), fc.constant(null)),
    auth_token: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
    custom_headers: fc.oneof(
      fc.dictionary(fc.string(), fc.string()),
      fc.constant(null),
      fc.jsonValue(),
    ),
    command: fc.oneof(fc.string(), fc.constant(null)),
    args: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
    env: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()),
  },
  { requiredKeys: [] },
)
const body = fc.oneof(
  fc.record({ server_name: fc.oneof(fc.string(), fc.jsonValue()), config }, { requiredKeys: [] }),
  fc.jsonValue(),
)
const text = fc.oneof(
  body.map((b) => JSON.stringify(b)),
  fc.string(),
)

beforeAll(async () => {
  ctx = testApp()
  const org = await newOrg(ctx.deps)
  auth = org.auth
  const res = await send(
    'POST',
    '/v1/mcp-servers/',
    JSON.stringify({
      server_name: 'fuzz-target',
      config: { mcp_server_type: 'sse', server_url: 'https://e.com/sse' },
    }),
  )
  serverId = (res.json as { id: string }).id
})

describe('Hostile request bodies', () => {
  it.each([
    ['POST', () => '/v1/mcp-servers/'],
    ['PATCH', () => `/v1/mcp-servers/${serverId}`],
    ['POST', () => '/v1/schemas/validate'],
  ])('Should never answer 500 to %s, and every 4xx names the problem', async (method, path) => {
    await fc.assert(
      fc.asyncProperty(text, async (raw) => {
        const res = await send(method, path(), raw)
        expect(res.type).toBe('application/json')
        expect(res.status).toBeLessThan(500)
        if (res.status >= 400) {
          expect([409, 422]).toContain(res.status)
          if (res.status === 422) expect(String(res.json.detail)).toMatch(namesTheProblem)
        }
      }),
      { numRuns: 150 },
    )
  })
})

/** The JSON text of a schema nested `depth` levels through one keyword that holds subschemas. */
const nested = (depth: number, keyword: string) => {
  const [open, close] =
    keyword === 'properties'
      ? ['{"type":"object","properties":{"a":', '}}']
      : keyword === 'items'
        ? ['{"type":"array","items":', '}']
        : [`{"${keyword}":[`, ']}']
  return `${open.repeat(depth)}{"type":"string"}${close.repeat(depth)}`
}

describe('Hostile schemas', () => {
  it('Should answer any schema, however deep, below 500', async () => {
    const schema = fc.oneof(
      fc.jsonValue(),
      fc.record({
        depth: fc.integer({ min: 1, max: 4000 }),
        keyword: fc.constantFrom('properties', 'items', 'anyOf', 'allOf'),
      }),
    )
    await fc.assert(
      fc.asyncProperty(schema, async (s) => {
        const input =
          typeof s === 'object' && s !== null && 'depth' in s && 'keyword' in s
            ? nested(s.depth as number, s.keyword as string)
            : JSON.stringify(s)
        const raw = `{"input_schema":${input}}`
        const res = await send('POST', '/v1/schemas/validate', raw)
        expect(res.status).toBeLessThan(500)
        if (res.status >= 400) expect(String(res.json.detail)).toMatch(namesTheProblem)
      }),
      { numRuns: 60 },
    )
  })

  it('Should refuse a schema nested 3,000 levels with a 422 naming input_schema', async () => {
    const res = await send(
      'POST',
      '/v1/schemas/validate',
      `{"input_schema":${nested(3000, 'items')}}`,
    )
    expect(res).toEqual({
      status: 422,
      type: 'application/json',
      json: { detail: 'input_schema: nested deeper than 500 levels' },
    })
  })
})
