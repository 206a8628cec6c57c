import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refreshGrant } from '../../../core/oauth/refresh.js'
import { consent, startUpstream, type Upstream } from '../../fixtures/oauth/upstream.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'
import { connectWithConsent, plant, servedOAuthApp } from '../../support/oauth.js'
import { serveApp } from '../../support/serve.js'

let upstream: Upstream
let built: ReturnType<typeof testApp>
let served: Awaited<ReturnType<typeof serveApp>>
let org: Awaited<ReturnType<typeof newOrg>>
let call: ReturnType<typeof apiCaller>

beforeAll(async () => {
  upstream = await startUpstream({ plant, accessTtlS: 4 })
  ;({ built, org, served, call } = await servedOAuthApp())
})

afterAll(async () => {
  await served?.close()
  await upstream?.close()
})

/** A server connected through the stream and the scripted browser, with its one tool synced. */
const connected = async (name: string) => {
  const created = await call('POST', '/v1/mcp-servers/', {
    server_name: name,
    config: { mcp_server_type: 'streamable_http', server_url: upstream.url },
  })
  const id = created.json.id as string
  const { events, callback } = await connectWithConsent(served.baseURL, org.auth, id, consent)
  expect(callback.status).toBe('success')
  expect(events.at(-1)?.event).toBe('success')
  expect((await call('PATCH', `/v1/mcp-servers/${id}/refresh`)).status).toBe(200)
  const tools = await call('GET', `/v1/mcp-servers/${id}/tools`)
  return { id, toolId: tools.json[0].id as string }
}

const run = (server: { id: string; toolId: string }, greeting = 'hi') =>
  call('POST', `/v1/mcp-servers/${server.id}/tools/${server.toolId}/run`, { args: { greeting } })

const grantOf = (id: string) => built.deps.oauth.store.getGrant(org.organizationId, id, 'ORG')

describe('OAuth tokens that expire every 4 s', { timeout: 180_000 }, () => {
  it('Should run 50 tools over several expiries, refreshing before expiry and on a 401', async () => {
    const server = await connected('refresh-50')
    const before = upstream.count('refresh')
    const v0 = (await grantOf(server.id))!.version
    const started = Date.now()
    const results: string[] = []
    for (let i = 0; i < 50; i++) {
      // Twice the upstream forgets its access tokens early: Hangar meets a 401 and refreshes.
      if (i === 10 || i === 30) upstream.expireAccessTokens()
      const res = await run(server, `run-${i}`)
      results.push(`${res.status} ${res.json.status} ${res.json.func_return}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(results).toEqual(
      Array.from({ length: 50 }, (_, i) => `200 success run-${i} from the OAuth fixture`),
    )
    const elapsed = Date.now() - started
    const refreshes = upstream.count('refresh') - before
    // At least one refresh per expiry window passed, plus the two forced by a 401.
    expect(elapsed).toBeGreaterThan(5_000)
    expect(refreshes).toBeGreaterThanOrEqual(Math.floor(elapsed / 4000) + 2)
    expect(upstream.count('refresh-refused')).toBe(0)
    const grant = await grantOf(server.id)
    expect(grant?.status).toBe('authorized')
    expect(grant?.version).toBe(v0 + refreshes)
  })

  it('Should refresh once for ten concurrent runs that all meet a 401', async () => {
    const server = await connected('refresh-race')
    upstream.faults.refreshDelayMs = 300
    upstream.expireAccessTokens()
    const before = upstream.count('refresh')
    try {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => run(server, `p${i}`)))
      expect(results.map((r) => r.json.status)).toEqual(Array(10).fill('success'))
    } finally {
      upstream.faults.refreshDelayMs = 0
    }
    expect(upstream.count('refresh') - before).toBe(1)
    expect(upstream.count('refresh-refused')).toBe(0)
  })

  it('Should keep a working grant when two refreshes of one version race', async () => {
    const server = await connected('refresh-two')
    const grant = (await grantOf(server.id))!
    upstream.faults.refreshDelayMs = 200
    const owner = { organizationId: org.organizationId, id: server.id, name: 'refresh-two' }
    const before = upstream.count('refresh')
    let pair
    try {
      pair = await Promise.all([
        refreshGrant(built.deps.oauth, owner, grant),
        refreshGrant(built.deps.oauth, owner, grant),
      ])
    } finally {
      upstream.faults.refreshDelayMs = 0
    }
    expect(upstream.count('refresh') - before).toBe(1)
    expect(pair[0].accessToken).toBe(pair[1].accessToken)
    expect(pair[0].version).toBe(grant.version + 1)
    const stored = (await grantOf(server.id))!
    expect(stored.accessToken).toBe(pair[0].accessToken)
    expect(stored.refreshToken).toBe(pair[0].refreshToken)
    expect((await run(server)).json.status).toBe('success')
  })

  it('Should keep the grant through a token-endpoint 5xx and never reauthorize', async () => {
    const server = await connected('refresh-5xx')
    upstream.expireAccessTokens()
    upstream.faults.tokenStatus = 503
    upstream.faults.tokenFaults = 1
    const failed = await run(server)
    expect(failed.status).toBe(502)
    expect(failed.json.error.detail).toContain('could not refresh the token right now')
    const kept = (await grantOf(server.id))!
    expect(kept.status).toBe('authorized')
    expect(kept.consecutiveFailures).toBe(1)
    expect(kept.lastError).toMatchObject({
      code: 'server_error',
      description: 'server_error: injected',
    })
    const view = await call('GET', `/v1/mcp-servers/${server.id}`)
    expect(view.json.oauth.status).toBe('authorized')
    expect((await run(server)).json.status).toBe('success')
    expect(upstream.count('authorize')).toBe(4) // one per connect in this file, none extra
  })

  it('Should answer needs_reauth at once when the refresh token is revoked, and heal on reconnect', async () => {
    const server = await connected('revoked')
    upstream.revokeRefreshTokens()
    upstream.expireAccessTokens()
    const authorizations = upstream.count('authorize')
    const res = await run(server)
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      status: 'error',
      func_return: `OAuth authorization required for MCP server 'revoked'. Reconnect it (GET /v1/mcp-servers/connect/${server.id}).`,
      stdout: null,
      stderr: null,
    })
    const view = await call('GET', `/v1/mcp-servers/${server.id}`)
    expect(view.json.oauth).toMatchObject({
      status: 'needs_reauth',
      last_error: { code: 'invalid_grant' },
    })
    // It asked the token endpoint once and started no authorization (nothing to wait for).
    expect(upstream.count('refresh-refused')).toBe(1)
    expect(upstream.count('authorize')).toBe(authorizations)
    // Later runs fail at once, without asking the authorization server again.
    const refused = upstream.count('refresh-refused')
    expect((await run(server)).json.status).toBe('error')
    expect(upstream.count('refresh-refused')).toBe(refused)
    // The sync says what to do.
    expect((await call('PATCH', `/v1/mcp-servers/${server.id}/refresh`)).status).toBe(404)
    const synced = await call('GET', `/v1/mcp-servers/${server.id}`)
    expect(synced.json.sync.error).toEqual({
      code: 'unauthorized',
      message: `OAuth authorization required for MCP server 'revoked'. Reconnect it (GET /v1/mcp-servers/connect/${server.id}).`,
    })
    // Reconnecting heals it.
    const again = await connectWithConsent(served.baseURL, org.auth, server.id, consent)
    expect(again.events.map((e) => e.event)).toEqual([
      'connection_attempt',
      'oauth_required',
      'authorization_url',
      'waiting_for_auth',
      'success',
    ])
    expect((await run(server)).json.status).toBe('success')
    expect((await call('GET', `/v1/mcp-servers/${server.id}`)).json.oauth.status).toBe('authorized')
  })
})
