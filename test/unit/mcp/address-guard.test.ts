import type { LookupAddress } from 'node:dns'
import { describe, expect, it } from 'vitest'
import { createAddressGuard } from '../../../core/adapters/mcp/address-guard.js'
import type { GuardOptions } from '../../../core/adapters/mcp/types.js'

const answers =
  (...addresses: LookupAddress[]) =>
  async () =>
    addresses
const v4 = (address: string): LookupAddress => ({ address, family: 4 })
const v6 = (address: string): LookupAddress => ({ address, family: 6 })

const lookup = (options: GuardOptions, lookupOptions: { all?: boolean; family?: number }) =>
  new Promise((resolve) => {
    createAddressGuard(options).lookup('mcp.example.com', lookupOptions, (error, address, family) =>
      resolve(error ? { error: error.message } : { address, family }),
    )
  })

describe('address guard lookup', () => {
  it('returns every checked address when asked for all', async () => {
    const resolve = answers(v4('93.184.215.14'), v6('2606:2800:21f:cb07::1'))

    expect(await lookup({ allowPrivate: false, resolve }, { all: true })).toEqual({
      address: [v4('93.184.215.14'), v6('2606:2800:21f:cb07::1')],
      family: undefined,
    })
  })

  it('returns the first address of the asked family', async () => {
    const resolve = answers(v6('2606:2800:21f:cb07::1'), v4('93.184.215.14'))

    expect(await lookup({ allowPrivate: false, resolve }, { family: 4 })).toEqual({
      address: '93.184.215.14',
      family: 4,
    })
  })

  it('refuses the name when any address is private', async () => {
    const resolve = answers(v4('93.184.215.14'), v6('::1'))

    expect(await lookup({ allowPrivate: false, resolve }, { all: true })).toEqual({
      error: 'Hostname resolves to non-public IP: ::1',
    })
  })

  it('lets private addresses through when allowed', async () => {
    const resolve = answers(v4('10.0.0.7'))

    expect(await lookup({ allowPrivate: true, resolve }, {})).toEqual({
      address: '10.0.0.7',
      family: 4,
    })
  })

  it('fails like getaddrinfo when nothing resolves', async () => {
    expect(await lookup({ allowPrivate: false, resolve: answers() }, {})).toEqual({
      error: 'getaddrinfo ENOTFOUND mcp.example.com',
    })
  })
})

describe('address guard checkUrl', () => {
  it.each([
    ['http://127.1:8080/mcp', false, 'Non-public IP not allowed: 127.0.0.1'],
    ['http://0x7f000001/mcp', false, 'Non-public IP not allowed: 127.0.0.1'],
    [
      'ftp://example.com/',
      false,
      "server_url must start with 'http://' or 'https://', got: 'ftp://example.com/'",
    ],
    ['http://8.8.8.8/mcp', false, undefined],
    ['http://10.0.0.1/mcp', true, undefined],
  ])('checks %s (allowPrivate %s)', (url, allowPrivate, expected) => {
    const guard = createAddressGuard({ allowPrivate })

    const error = (() => {
      try {
        guard.checkUrl(new URL(url))
      } catch (e) {
        return (e as Error).message
      }
    })()

    expect(error).toEqual(expected)
  })

  it('applies an injected policy to IP literals', () => {
    const guard = createAddressGuard({ allowPrivate: false, isAllowedAddress: () => false })

    expect(() => guard.checkUrl(new URL('http://8.8.8.8/'))).toThrow(
      'Non-public IP not allowed: 8.8.8.8',
    )
  })
})
