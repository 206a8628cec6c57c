import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { oidcConsent, startOidcUpstream } from '../../fixtures/oauth/oidc.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'
import { connectWithConsent, plant, servedOAuthApp } from '../../support/oauth.js'
import { serveApp } from '../../support/serve.js'

let upstream: Awaited<ReturnType<typeof startOidcUpstream>>
let built: ReturnType<typeof testApp>
let served: Awaited<ReturnType<typeof serveApp>>
let org: Awaited<ReturnType<typeof newOrg>>
let call: ReturnType<typeof apiCaller>

beforeAll(async () => {
  upstream = await startOidcUpstream(plant)
  ;({ built, org, served, call } = await servedOAuthApp())
})

afterAll(async () => {
  await served?.close()
  await upstream?.close()
})

describe('Interop with oidc-provider as the authorization server', { timeout: 120_000 }, () => {
  it('Should register, authorize, exchange, run, refresh and revoke', async () => {
    const created = await call('POST', '/v1/mcp-servers/', {
      server_name: 'oidc',
      config: { mcp_server_type: 'streamable_http', server_url: upstream.url },
    })
    const id = created.json.id as string
    const callbackPrefix = `${served.baseURL}/v1/tools/mcp/oauth/callback`
    const { events, callback } = await connectWithConsent(
      served.baseURL,
      org.auth,
      id,
      async (url) => {
        const params = new URL(url).searchParams
        expect(params.get('scope')).toBe('mcp:tools offline_access')
        expect(params.get('resource')).toBe(upstream.url)
        return { body: await oidcConsent(url, callbackPrefix) }
      },
    )
    expect(callback).toEqual({
      status: 'success',
      message: 'Authorization successful',
      server_url: upstream.url,
    })
    expect(events.map((e) => e.event)).toEqual([
      'connection_attempt',
      'oauth_required',
      'authorization_url',
      'waiting_for_auth',
      'success',
    ])
    expect(upstream.counts).toMatchObject({ registration: 1, authorization_code: 1 })

    expect((await call('PATCH', `/v1/mcp-servers/${id}/refresh`)).json).toEqual({
      added: ['whoami'],
      updated: [],
      deleted: [],
    })
    const tools = await call('GET', `/v1/mcp-servers/${id}/tools`)
    const run = () =>
      call('POST', `/v1/mcp-servers/${id}/tools/${tools.json[0].id}/run`, { args: {} })
    expect((await run()).json).toMatchObject({
      status: 'success',
      func_return: "hello from oidc-provider's resource server",
    })

    // A refresh at oidc-provider's token endpoint (rotating), then the tool still runs.
    const owner = { organizationId: org.organizationId, id, name: 'oidc' }
    const grant = (await built.deps.oauth.store.getGrant(org.organizationId, id, 'ORG'))!
    expect(grant.refreshToken).toBeTruthy()
    const { refreshGrant } = await import('../../../core/oauth/refresh.js')
    const next = await refreshGrant(built.deps.oauth, owner, grant)
    expect(next.refreshToken).not.toBe(grant.refreshToken)
    expect(next.accessToken).not.toBe(grant.accessToken)
    expect((await run()).json.status).toBe('success')

    // Revocation at oidc-provider's revocation endpoint.
    expect((await call('DELETE', `/v1/mcp-servers/${id}/oauth`)).json).toEqual({
      revoked: true,
      forgotten: true,
    })
    const view = await call('GET', `/v1/mcp-servers/${id}`)
    expect(view.json.oauth.status).toBe('none')
  })
})
