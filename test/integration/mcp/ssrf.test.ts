import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { McpTarget, Resolver } from '../../../core/adapters/mcp/index.js'
import { startHttpFixture, type HttpFixture } from '../../fixtures/mcp/http-fixture.js'
import { pagedHandler } from '../../fixtures/mcp/paged-server.js'
import { outcome, resolveToLoopback } from '../../fixtures/mcp/public-names.js'

const strict = { allowPrivate: false, connectTimeoutMs: 2_000, listTimeoutMs: 2_000 }
const at = (url: string): McpTarget => ({ type: 'streamable_http', url, headers: {} })
let target: HttpFixture

beforeAll(async () => {
  target = await startHttpFixture(pagedHandler({ tools: 3, pageSize: 10 }))
})
afterAll(() => target.close())

describe('private targets with allowPrivate off', () => {
  it.each([
    ['127.0.0.1', 'Non-public IP not allowed: 127.0.0.1'],
    ['localhost', 'Blocked internal hostname: localhost'],
    ['[::ffff:127.0.0.1]', 'Non-public IP not allowed: ::ffff:7f00:1'],
    ['169.254.169.254', 'Non-public IP not allowed: 169.254.169.254'],
    ['[fd00:ec2::254]', 'Non-public IP not allowed: fd00:ec2::254'],
    ['metadata.google.internal', 'Blocked internal hostname: metadata.google.internal'],
  ])('refuses %s before any request', async (host, message) => {
    const before = target.requests()

    const result = await outcome(at(`http://${host}:${target.port}/mcp`), strict)

    expect(result).toEqual({ code: 'blocked_url', message })
    expect(target.requests()).toEqual(before)
  })

  it('refuses a name that resolves to loopback, and connects nowhere', async () => {
    const before = target.requests()
    const url = `http://loopback.example.test:${target.port}/mcp`

    const result = await outcome(at(url), { ...strict, resolve: resolveToLoopback })

    expect(result).toEqual({
      code: 'blocked_url',
      message: 'Hostname resolves to non-public IP: 127.0.0.1',
    })
    expect(target.requests()).toEqual(before)
  })

  it('refuses a name when any of its addresses is private', async () => {
    const mixed: Resolver = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ]

    const result = await outcome(at('http://mixed.example.test/mcp'), { ...strict, resolve: mixed })

    expect(result).toEqual({
      code: 'blocked_url',
      message: 'Hostname resolves to non-public IP: 10.1.2.3',
    })
  })

  it('reaches the same loopback server when private targets are allowed', async () => {
    const url = `http://localhost:${target.port}/mcp`

    expect(await outcome(at(url), { ...strict, allowPrivate: true })).toEqual(3)
  })
})
