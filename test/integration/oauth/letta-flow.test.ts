import Letta, { NotFoundError } from '@letta-ai/letta-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consent, startUpstream, type Upstream } from '../../fixtures/oauth/upstream.js'
import { newOrg, testApp } from '../../support/deps.js'
import { plant, readRaw } from '../../support/oauth.js'
import { serveApp } from '../../support/serve.js'

let upstream: Upstream
let client: Letta
let served: Awaited<ReturnType<typeof serveApp>>
let auth: Record<string, string>
let lines: ReturnType<typeof testApp>['lines']

beforeAll(async () => {
  upstream = await startUpstream({ plant })
  const built = testApp({ keepAliveMs: 200, oauthWaitMs: 20_000 })
  lines = built.lines
  const org = await newOrg(built.deps)
  auth = org.auth
  served = await serveApp(built.app)
  client = new Letta({ baseURL: served.baseURL, apiKey: org.key, maxRetries: 0 })
})

afterAll(async () => {
  await served?.close()
  await upstream?.close()
})

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

describe('OAuth connect with the official client (Letta flow)', () => {
  it('Should go from unauthorized through consent to a synced server whose tool runs', async () => {
    const server = await client.mcpServers.create({
      server_name: 'oauth-fixture',
      config: { mcp_server_type: 'streamable_http', server_url: upstream.url },
    })
    const id = server.id as string
    expect((server as unknown as Record<string, unknown>).oauth).toEqual({
      status: 'none',
      expires_at: null,
      scopes: [],
      last_error: null,
    })

    // Without a grant the server refuses: the sync ends `unauthorized`.
    expect(await errorOf(client.mcpServers.refresh(id))).toBeInstanceOf(NotFoundError)
    const refused = (await client.mcpServers.retrieve(id)) as Record<string, any>
    expect(refused.sync.status).toBe('failed')
    expect(refused.sync.error.code).toBe('unauthorized')

    // The connect stream through the client's own SSE reader.
    const stream = await client.get(`/v1/mcp-servers/connect/${id}`, { stream: true })
    const events: Record<string, any>[] = []
    let callback: Awaited<ReturnType<typeof consent>> | undefined
    for await (const event of stream as unknown as AsyncIterable<Record<string, any>>) {
      events.push(event)
      if (event.event === 'authorization_url') callback = await consent(event.url)
    }
    expect(events.map((e) => e.event)).toEqual([
      'connection_attempt',
      'oauth_required',
      'authorization_url',
      'waiting_for_auth',
      'success',
    ])
    expect(events[0]).toEqual({ event: 'connection_attempt', server_name: 'oauth-fixture' })
    expect(events[1]).toEqual({ event: 'oauth_required', message: 'OAuth authentication required' })
    expect(events[2]!.session_id).toMatch(/^mcp-oauth-[0-9a-f]{8}$/)
    const url = new URL(events[2]!.url)
    expect(url.origin).toBe(upstream.origin)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('resource')).toBe(upstream.url)
    expect(url.searchParams.get('redirect_uri')).toBe(
      `${served.baseURL}/v1/tools/mcp/oauth/callback`,
    )
    expect(events[3]).toEqual({
      event: 'waiting_for_auth',
      message: 'Waiting for user authorization...',
    })
    expect(callback).toMatchObject({
      status: 200,
      body: { status: 'success', message: 'Authorization successful', server_url: upstream.url },
    })
    expect(events[4]!.tools.map((t: { name: string }) => t.name)).toEqual(['whoami'])

    // The grant now serves sync, list and run.
    expect(await client.mcpServers.refresh(id)).toEqual({
      added: ['whoami'],
      updated: [],
      deleted: [],
    })
    const synced = (await client.mcpServers.retrieve(id)) as Record<string, any>
    expect(synced.sync).toMatchObject({ status: 'ok', tool_count: 1, error: null })
    expect(synced.oauth).toMatchObject({ status: 'authorized', scopes: ['mcp:tools'] })
    expect(Date.parse(synced.oauth.expires_at)).toBeGreaterThan(Date.now())
    const tools = await client.mcpServers.tools.list(id)
    expect(tools.map((t) => t.name)).toEqual(['whoami'])
    const ran = await client.mcpServers.tools.run(tools[0]!.id as string, {
      mcp_server_id: id,
      args: { greeting: 'hi' },
    })
    expect(ran).toMatchObject({ status: 'success', func_return: 'hi from the OAuth fixture' })
    expect(upstream.count('register')).toBe(1)
    expect(upstream.count('exchange')).toBe(1)
    // No log line carries a token.
    expect(JSON.stringify(lines)).not.toMatch(/fx-(at|rt|code)-/)
  })

  it('Should frame the stream as Letta does, with keep-alive comments while waiting', async () => {
    const server = await client.mcpServers.create({
      server_name: 'oauth-raw',
      config: { mcp_server_type: 'streamable_http', server_url: upstream.url },
    })
    const res = await fetch(`${served.baseURL}/v1/mcp-servers/connect/${server.id}`, {
      headers: auth,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const raw = readRaw(res)
    const link = await raw.next('authorization_url')
    await new Promise((r) => setTimeout(r, 700)) // the user takes a moment
    const callback = await consent(link.url)
    expect(callback.body.status).toBe('success')
    await raw.done
    const text = raw.text()
    expect(text).not.toMatch(/^event:/m)
    expect(text).toMatch(/^: keepalive\n\n/m)
    // Every frame is a comment or one `data:` line.
    for (const frame of text.split('\n\n').filter(Boolean))
      expect(frame).toMatch(/^(: keepalive|data: \{.*\})$/)
    expect(raw.events().map((e) => e.event)).toEqual([
      'connection_attempt',
      'oauth_required',
      'authorization_url',
      'waiting_for_auth',
      'success',
    ])
  })
})
