import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signingFetch } from '../../../core/adapters/runner/index.js'
import type { ServerRecord } from '../../../core/registry/types.js'
import {
  EVERYTHING,
  INITIALIZE,
  rawPost,
  SECRET,
  startTestRunner,
  stdio,
  type TestRunner,
} from './harness.js'

let ctx: TestRunner
let server: ServerRecord
let path: string
const launch = { command: 'node', args: [EVERYTHING, 'stdio'], env: {} }

beforeAll(async () => {
  ctx = await startTestRunner()
  const org = (await ctx.newOrg()).organizationId
  server = await ctx.deps.registry.create(org, stdio('everything', 'node', [EVERYTHING, 'stdio']))
  path = `/mcp/${org}/${server.id}`
})

afterAll(async () => {
  await ctx.runner.stop()
})

describe('runner authentication', () => {
  it('Should answer health without a signature', async () => {
    const response = await fetch(`${ctx.runner.url}/health`)

    expect([response.status, await response.json()]).toEqual([200, { status: 'ok', processes: 0 }])
  })

  it.each([
    ['no signature', { headers: { 'x-hangar-signature': '' } }, 'Missing request signature'],
    [
      'another secret',
      { secret: 'another-secret-0123456789abcdefghij' },
      'Invalid request signature',
    ],
    [
      'a stale timestamp',
      { now: Date.now() - 61_000 },
      'Request timestamp is outside the allowed window',
    ],
    [
      'a future timestamp',
      { now: Date.now() + 120_000 },
      'Request timestamp is outside the allowed window',
    ],
    [
      'a changed body',
      { sendBody: INITIALIZE.replace('"id":1', '"id":2') },
      'Invalid request signature',
    ],
  ])('Should refuse %s with 401 and start nothing', async (_, options, detail) => {
    const result = await rawPost(ctx, path, INITIALIZE, options)

    expect([result.status, result.json, ctx.pool.size]).toEqual([401, { detail }, 0])
  })

  it('Should refuse a request signed for another path', async () => {
    const result = await rawPost(ctx, `/mcp/other-org/${server.id}`, INITIALIZE, { sendPath: path })

    expect([result.status, result.json, ctx.pool.size]).toEqual([
      401,
      { detail: 'Invalid request signature' },
      0,
    ])
  })

  it.each([
    ['no launch spec', {}, 'launch: must be a sealed launch spec'],
    [
      'a launch spec sealed under another secret',
      { launch, seal: { secret: 'another-secret-0123456789abcdefghij' } },
      'launch: cannot be opened for this request',
    ],
    [
      'a launch spec sealed for another nonce',
      { launch, seal: { nonce: 'a-nonce-of-another-request' } },
      'launch: cannot be opened for this request',
    ],
    [
      "a launch spec sealed for another organization's path",
      { launch, seal: { path: '/mcp/org-other/mcp_server-x' } },
      'launch: cannot be opened for this request',
    ],
  ])('Should refuse %s with 400 and start nothing', async (_, options, detail) => {
    const result = await rawPost(ctx, path, INITIALIZE, options)

    expect([result.status, result.json, ctx.pool.size]).toEqual([400, { detail }, 0])
  })

  it('Should refuse a sealed launch lifted from another request', async () => {
    const stale = await rawPost(ctx, path, INITIALIZE, { launch, now: Date.now() - 120_000 })
    const lifted = (JSON.parse(stale.body) as { launch: string }).launch

    const result = await rawPost(ctx, path, INITIALIZE, { sealedLaunch: lifted })

    expect([stale.status, result.status, result.json, ctx.pool.size]).toEqual([
      401,
      400,
      { detail: 'launch: cannot be opened for this request' },
      0,
    ])
  })

  it('Should refuse a replayed request', async () => {
    const first = await rawPost(ctx, path, INITIALIZE, { launch })
    const replay = await fetch(`${ctx.runner.url}${path}`, {
      method: 'POST',
      headers: first.headers,
      body: first.body,
    })

    expect([first.status, replay.status, await replay.json(), ctx.pool.size]).toEqual([
      200,
      401,
      { detail: 'Request already seen' },
      1,
    ])
  })

  it('Should answer a signed GET with 405, since no sessions are kept', async () => {
    const response = await signingFetch(SECRET)(`${ctx.runner.url}${path}`, { method: 'GET' })

    expect([response.status, response.headers.get('allow'), ctx.pool.size]).toEqual([
      405,
      'POST',
      1,
    ])
  })
})
