import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyServerChange } from '../../../core/cascade/apply.js'
import { consent, startUpstream, type Upstream } from '../../fixtures/oauth/upstream.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'
import { connectWithConsent, plant, readRaw, servedOAuthApp } from '../../support/oauth.js'
import { scanAll } from '../../support/scan.js'
import { serveApp } from '../../support/serve.js'

let upstream: Upstream
let built: ReturnType<typeof testApp>
let served: Awaited<ReturnType<typeof serveApp>>
let org: Awaited<ReturnType<typeof newOrg>>
let call: ReturnType<typeof apiCaller>
/** Every token, code, client secret and verifier the fixture issued or received. */
const issued: string[] = []

beforeAll(async () => {
  upstream = await startUpstream({
    accessTtlS: 60,
    plant: (secret) => {
      issued.push(secret)
      plant(secret)
    },
  })
  ;({ built, org, served, call } = await servedOAuthApp())
})

afterAll(async () => {
  await served?.close()
  await upstream?.close()
})

const connected = async (name: string) => {
  const created = await call('POST', '/v1/mcp-servers/', {
    server_name: name,
    config: { mcp_server_type: 'streamable_http', server_url: upstream.url },
  })
  const id = created.json.id as string
  const { callback } = await connectWithConsent(served.baseURL, org.auth, id, consent)
  expect(callback.status).toBe('success')
  expect((await call('PATCH', `/v1/mcp-servers/${id}/refresh`)).status).toBe(200)
  const tools = await call('GET', `/v1/mcp-servers/${id}/tools`)
  return { id, toolId: tools.json[0].id as string }
}

describe('Revoking and deleting OAuth grants', { timeout: 120_000 }, () => {
  it('Should revoke the grant upstream and forget it', async () => {
    const server = await connected('revoke-me')
    const grant = await built.deps.oauth.store.getGrant(org.organizationId, server.id, 'ORG')
    const res = await call('DELETE', `/v1/mcp-servers/${server.id}/oauth`)
    expect(res).toEqual({ status: 200, json: { revoked: true, forgotten: true } })
    expect(upstream.log.filter((e) => e.event === 'revoke').map((e) => e.detail)).toEqual([
      'refresh_token',
    ])
    expect(await built.deps.oauth.store.getGrant(org.organizationId, server.id, 'ORG')).toBe(
      undefined,
    )
    // The upstream no longer honours the revoked refresh token.
    const refused = await fetch(`${upstream.origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: grant!.refreshToken!,
        client_id: grant!.client.clientId,
        client_secret: grant!.client.clientSecret ?? '',
      }).toString(),
    })
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_grant')
    const view = await call('GET', `/v1/mcp-servers/${server.id}`)
    expect(view.json.oauth).toEqual({
      status: 'none',
      expires_at: null,
      scopes: [],
      last_error: null,
    })
    const run = await call('POST', `/v1/mcp-servers/${server.id}/tools/${server.toolId}/run`, {
      args: {},
    })
    expect(run.status).toBe(502)
    expect(run.json.error.detail).toContain('HTTP 401')
    // Forgetting twice is not an error.
    expect((await call('DELETE', `/v1/mcp-servers/${server.id}/oauth`)).json).toEqual({
      revoked: false,
      forgotten: false,
    })
  })

  it('Should leave no OAuth item and no secret once the server is deleted', async () => {
    const server = await connected('delete-me')
    // An abandoned flow too: its state index lives outside the server's partition.
    expect((await call('DELETE', `/v1/mcp-servers/${server.id}/oauth`)).status).toBe(200)
    const abandoned = readRaw(
      await fetch(`${served.baseURL}/v1/mcp-servers/connect/${server.id}`, { headers: org.auth }),
    )
    await abandoned.next('waiting_for_auth')
    const items = (await scanAll(built.deps)).filter((item) =>
      JSON.stringify(item).includes(server.id),
    )
    expect(items.map((i) => i.type).sort()).toEqual(
      expect.arrayContaining(['oauth_client', 'oauth_flow', 'oauth_state', 'server', 'tool']),
    )

    // No secret the fixture issued is stored in clear, in any item of the table.
    const table = JSON.stringify(await scanAll(built.deps), (_, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    )
    expect(issued.length).toBeGreaterThan(5)
    expect(issued.filter((secret) => table.includes(secret))).toEqual([])

    expect((await call('DELETE', `/v1/mcp-servers/${server.id}`)).status).toBe(204)
    await applyServerChange(
      { children: built.deps.children, log: built.deps.log },
      { kind: 'deleted', organizationId: org.organizationId, serverId: server.id },
    )
    const left = (await scanAll(built.deps)).filter((item) =>
      JSON.stringify(item).includes(server.id),
    )
    expect(left).toEqual([])
    // The abandoned authorization URL leads nowhere now.
    const late = await consent((await abandoned.next('authorization_url')).url)
    expect(late.body).toEqual({ status: 'error', message: 'Invalid or expired state parameter' })
    await abandoned.done
    expect(abandoned.events().at(-1)).toEqual({
      event: 'error',
      message: 'OAuth authorization failed',
    })
  })
})
