import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { errorHandler } from '../../../functions/api/errors.js'
import { MAX_ID_BYTES } from '../../../functions/api/ids.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'

let ctx: ReturnType<typeof testApp>
let auth: Record<string, string>
let serverId: string

const send = async (method: string, path: string) => {
  const res = await ctx.app.request(path, {
    method,
    headers: { ...auth, 'content-type': 'application/json' },
    body: method === 'GET' || method === 'DELETE' ? undefined : '{"args":{}}',
  })
  return { status: res.status, retry: res.headers.get('retry-after'), text: await res.text() }
}

/** Route templates with `{id}`; `{server}` is a real server of the organization. */
const ROUTES: [string, string][] = [
  ['GET', '/v1/mcp-servers/{id}'],
  ['PATCH', '/v1/mcp-servers/{id}'],
  ['DELETE', '/v1/mcp-servers/{id}'],
  ['GET', '/v1/mcp-servers/{id}/tools'],
  ['GET', '/v1/mcp-servers/{id}/tools/{id}'],
  ['GET', '/v1/mcp-servers/{server}/tools/{id}'],
  ['POST', '/v1/mcp-servers/{server}/tools/{id}/run'],
  ['PATCH', '/v1/mcp-servers/{id}/refresh'],
  ['GET', '/v1/mcp-servers/connect/{id}'],
  ['GET', '/v1/tools/{id}'],
]

/** Ids of any length and alphabet, including past DynamoDB's key limits. */
const id = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.integer({ min: 200, max: 3000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 100, max: 700 }).map((n) => '\u{1F600}'.repeat(n)),
)
const path = (template: string, value: string) =>
  template.replaceAll('{server}', serverId).replaceAll('{id}', encodeURIComponent(value))

beforeAll(async () => {
  ctx = testApp()
  const org = await newOrg(ctx.deps)
  auth = org.auth
  const created = await apiCaller(ctx.app, auth)('POST', '/v1/mcp-servers/', {
    server_name: 'fuzz-ids',
    config: { mcp_server_type: 'sse', server_url: 'https://e.com/sse' },
  })
  serverId = created.json.id
})

describe('Hostile ids and query strings', () => {
  it.each(ROUTES)('Should never answer 5xx to %s %s, whatever the id', async (method, template) => {
    await fc.assert(
      fc.asyncProperty(id, async (value) => {
        const res = await send(method, path(template, value))
        expect(res.status).toBeLessThan(500)
        expect(res.retry).toBeNull()
        if (Buffer.byteLength(value) > MAX_ID_BYTES) expect(res.status).toBe(404)
      }),
      { numRuns: 40 },
    )
  })

  it('Should answer a 3,000-byte id with 404 on every route, before storage', async () => {
    for (const [method, template] of ROUTES) {
      const res = await send(method, path(template, 'a'.repeat(3000)))
      expect({ method, template, status: res.status, text: res.text }).toEqual({
        method,
        template,
        status: 404,
        text: JSON.stringify({ detail: `Not Found (ids are at most ${MAX_ID_BYTES} bytes)` }),
      })
    }
  })

  it.each([`/v1/mcp-servers/`, `/v1/mcp-servers/{server}/tools`])(
    'Should never answer 5xx to any limit and after on %s',
    async (template) => {
      const query = fc.record(
        { limit: fc.oneof(fc.string(), fc.integer().map(String)), after: id },
        { requiredKeys: [] },
      )
      await fc.assert(
        fc.asyncProperty(query, async (q) => {
          const res = await send('GET', `${path(template, '')}?${new URLSearchParams(q)}`)
          expect(res.status).toBeLessThan(500)
          if (q.after && Buffer.byteLength(q.after) > MAX_ID_BYTES && res.status === 422)
            expect(JSON.parse(res.text).detail).toMatch(/^(after|limit): /)
        }),
        { numRuns: 60 },
      )
      const long = await send('GET', `${path(template, '')}?after=${'a'.repeat(3000)}`)
      expect(long).toEqual({
        status: 422,
        retry: null,
        text: JSON.stringify({ detail: `after: must be an id of at most ${MAX_ID_BYTES} bytes` }),
      })
    },
  )
})

describe('A request DynamoDB refuses as malformed', () => {
  it('Should be a 500 to fix, never a 503 to retry', async () => {
    const onError = errorHandler({ error: () => undefined, warn: () => undefined })
    const refused = Object.assign(new Error('key too long'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    })
    const throttled = Object.assign(new Error('slow down'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    })
    const { Hono } = await import('hono')
    const app = new Hono()
    app.onError(onError)
    app.get('/refused', () => Promise.reject(refused))
    app.get('/throttled', () => Promise.reject(throttled))
    expect((await app.request('/refused')).status).toBe(500)
    const slow = await app.request('/throttled')
    expect([slow.status, slow.headers.get('retry-after')]).toEqual([503, '1'])
  })
})
