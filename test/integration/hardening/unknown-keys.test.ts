import { describe, expect, it } from 'vitest'
import { authenticator, MAX_FAILURES } from '../../../core/auth.js'
import { createApp } from '../../../functions/api/app.js'
import { newOrg, testDeps } from '../../support/deps.js'

/** The API over the emulator-backed key store, counting the key lookups that reach it. */
const counted = () => {
  const { deps } = testDeps()
  let lookups = 0
  const store = {
    ...deps.apiKeys,
    put: deps.apiKeys.put.bind(deps.apiKeys),
    list: deps.apiKeys.list.bind(deps.apiKeys),
    revoke: deps.apiKeys.revoke.bind(deps.apiKeys),
    organizationFor: (hash: string) => {
      lookups++
      return deps.apiKeys.organizationFor(hash)
    },
  }
  const app = createApp({ ...deps, authenticate: authenticator(store) })
  const get = (key: string, client: string) =>
    app.request('/v1/mcp-servers/', {
      headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': client },
    })
  return { deps, get, lookups: () => lookups }
}

describe('Unknown API keys', () => {
  it('Should look a repeated unknown key up once', async () => {
    const api = counted()
    for (let i = 0; i < 5; i++) expect((await api.get('hgr_nope', '198.51.100.7')).status).toBe(401)
    expect(api.lookups()).toBe(1)
  })

  it(`Should refuse a client after ${MAX_FAILURES} unknown keys without looking more up, and no one else`, async () => {
    const api = counted()
    const org = await newOrg(api.deps)
    for (let i = 0; i < MAX_FAILURES; i++)
      expect((await api.get(`hgr_guess-${i}`, 'spoofed, 203.0.113.9')).status).toBe(401)
    const refused = await api.get('hgr_guess-next', 'other-spoof, 203.0.113.9')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('60')
    expect(await refused.json()).toEqual({
      detail: 'Too many invalid API keys; retry in a minute',
    })
    expect(api.lookups()).toBe(MAX_FAILURES)
    // Another client, with a real key and with an unknown one, is judged on its own.
    expect((await api.get(org.key, '192.0.2.44')).status).toBe(200)
    expect((await api.get('hgr_other', '192.0.2.44')).status).toBe(401)
  })
})
