import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consent, startUpstream, type Upstream } from '../../fixtures/oauth/upstream.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'
import { connectWithConsent, plant, readRaw, servedOAuthApp } from '../../support/oauth.js'
import { serveApp } from '../../support/serve.js'

let upstream: Upstream
let built: ReturnType<typeof testApp>
let served: Awaited<ReturnType<typeof serveApp>>
let org: Awaited<ReturnType<typeof newOrg>>
let call: ReturnType<typeof apiCaller>

const PRE_SECRET = 'pre-registered-secret-5150'

beforeAll(async () => {
  ;({ built, org, served, call } = await servedOAuthApp())
  // Like GitHub: no dynamic registration; the client was registered by hand.
  upstream = await startUpstream({
    plant,
    dcr: false,
    preregistered: [
      {
        client_id: 'hangar-by-hand',
        client_secret: PRE_SECRET,
        redirect_uris: [`${served.baseURL}/v1/tools/mcp/oauth/callback`],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
  })
  plant(PRE_SECRET)
})

afterAll(async () => {
  await served?.close()
  await upstream?.close()
})

const create = async (name: string) =>
  (
    await call('POST', '/v1/mcp-servers/', {
      server_name: name,
      config: { mcp_server_type: 'streamable_http', server_url: upstream.url },
    })
  ).json.id as string

describe('OAuth clients and the callback', { timeout: 120_000 }, () => {
  it('Should say what to configure when there is no dynamic registration, then use a pre-registered client', async () => {
    const id = await create('by-hand')
    const res = await fetch(`${served.baseURL}/v1/mcp-servers/connect/${id}`, { headers: org.auth })
    const raw = readRaw(res)
    await raw.done
    expect(raw.events()).toEqual([
      { event: 'connection_attempt', server_name: 'by-hand' },
      { event: 'oauth_required', message: 'OAuth authentication required' },
      {
        event: 'error',
        message:
          'Failed to trigger OAuth: The authorization server does not support dynamic client registration; configure a client_id with PUT /v1/mcp-servers/{id}/oauth',
      },
    ])
    const bad = await call('PUT', `/v1/mcp-servers/${id}/oauth`, { client: 'x' })
    expect(bad).toEqual({ status: 422, json: { detail: 'client: unknown field' } })
    const reserved = await call('PUT', `/v1/mcp-servers/${id}/oauth`, {
      client_id: 'hangar-by-hand',
      extra_authorize_params: { state: 'mine' },
    })
    expect(reserved.json).toEqual({ detail: 'extra_authorize_params.state: is set by Hangar' })
    const put = await call('PUT', `/v1/mcp-servers/${id}/oauth`, {
      client_id: 'hangar-by-hand',
      client_secret: PRE_SECRET,
      extra_authorize_params: { prompt: 'consent' },
    })
    expect(put.status).toBe(204)
    const { events, callback } = await connectWithConsent(served.baseURL, org.auth, id, (url) => {
      expect(new URL(url).searchParams.get('client_id')).toBe('hangar-by-hand')
      expect(new URL(url).searchParams.get('prompt')).toBe('consent')
      return consent(url)
    })
    expect(callback).toMatchObject({ status: 'success' })
    expect(events.at(-1)).toMatchObject({ event: 'success', tools: [{ name: 'whoami' }] })
    expect(upstream.count('register')).toBe(0)
    expect((await call('PATCH', `/v1/mcp-servers/${id}/refresh`)).status).toBe(200)
    const tools = await call('GET', `/v1/mcp-servers/${id}/tools`)
    const ran = await call('POST', `/v1/mcp-servers/${id}/tools/${tools.json[0].id}/run`, {
      args: {},
    })
    expect(ran.json).toMatchObject({
      status: 'success',
      func_return: 'hello from the OAuth fixture',
    })
  })

  it("Should answer Letta's callback messages, refuse a replayed state and a foreign issuer", async () => {
    const cb = (query: string) => call('GET', `/v1/tools/mcp/oauth/callback?${query}`)
    expect((await cb('code=x')).json).toEqual({
      status: 'error',
      message: 'Missing state parameter',
    })
    expect((await cb('code=x&state=nope')).json).toEqual({
      status: 'error',
      message: 'Invalid or expired state parameter',
    })
    // No API key needed: the state is the credential.
    const open = await fetch(`${served.baseURL}/v1/tools/mcp/oauth/callback?state=nope`)
    expect(open.status).toBe(200)

    const id = await create('callbacks')
    await call('PUT', `/v1/mcp-servers/${id}/oauth`, {
      client_id: 'hangar-by-hand',
      client_secret: PRE_SECRET,
    })
    const start = async () => {
      const raw = readRaw(
        await fetch(`${served.baseURL}/v1/mcp-servers/connect/${id}`, { headers: org.auth }),
      )
      return { raw, url: (await raw.next('authorization_url')).url as string }
    }

    // The user says no.
    const denied = await start()
    const refused = await consent(denied.url, 'deny')
    expect(refused.body).toEqual({
      status: 'error',
      message: 'OAuth error: access_denied - The user said no',
    })
    await denied.raw.done
    expect(denied.raw.events().at(-1)).toEqual({
      event: 'error',
      message: 'OAuth authorization failed',
    })

    // A response claiming another issuer (a mix-up attack) is refused before its code is used.
    const mixed = await start()
    const page = await fetch(mixed.url, { redirect: 'manual' })
    const form = /name="id" value="([^"]+)"/.exec(await page.text())?.[1] ?? ''
    const post = await fetch(`${upstream.origin}/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id: form, decision: 'allow' }).toString(),
      redirect: 'manual',
    })
    const location = new URL(post.headers.get('location') ?? '')
    location.searchParams.set('iss', 'https://evil.example.com')
    expect((await (await fetch(location)).json()) as unknown).toEqual({
      status: 'error',
      message: 'OAuth error: the authorization response did not come from the expected issuer',
    })
    await mixed.raw.done
    expect(upstream.count('exchange')).toBe(1) // only the first test's

    // A state works once.
    const good = await start()
    const first = await consent(good.url)
    expect(first.body.status).toBe('success')
    const replay = await fetch(first.location)
    expect(await replay.json()).toEqual({
      status: 'error',
      message: 'Invalid or expired state parameter',
    })
    await good.raw.done
    expect(good.raw.events().at(-1)?.event).toBe('success')
  })
})
