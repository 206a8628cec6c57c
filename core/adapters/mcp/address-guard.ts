import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { promisify } from 'node:util'
import { isIP, type LookupFunction } from 'node:net'
import { isPrivateAddress } from '../../net/address.js'
import { checkServerUrl } from '../../net/url.js'
import { BlockedUrlError } from './errors.js'
import type { AddressPolicy, GuardOptions, Resolver } from './types.js'

const lookupAll = promisify(dnsLookup)

const systemResolver: Resolver = (hostname) => lookupAll(hostname, { all: true, verbatim: true })

export interface AddressGuard {
  /** Throws BlockedUrlError when the URL itself (scheme, internal name, IP literal) is refused. */
  checkUrl(url: URL): void
  /** For undici's `connect.lookup`: resolves, refuses if any address is refused, returns those. */
  lookup: LookupFunction
}

const policyFor = (options: GuardOptions): AddressPolicy =>
  options.isAllowedAddress ?? ((address) => options.allowPrivate || !isPrivateAddress(address))

const noAddress = (hostname: string) =>
  Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname })

export const createAddressGuard = (options: GuardOptions): AddressGuard => {
  const allowed = policyFor(options)
  const resolve = options.resolve ?? systemResolver

  const checkUrl = (url: URL) => {
    const check = checkServerUrl(url.href, { allowPrivate: options.allowPrivate })
    if (!check.ok) throw new BlockedUrlError(check.reason)
    const literal = url.hostname.replace(/^\[|\]$/g, '')
    if (isIP(literal) && !allowed(literal, literal)) {
      throw new BlockedUrlError(`Non-public IP not allowed: ${literal}`)
    }
  }

  const checkedAddresses = async (hostname: string): Promise<LookupAddress[]> => {
    const addresses = await resolve(hostname)
    if (addresses.length === 0) throw noAddress(hostname)
    const refused = addresses.find((a) => !allowed(a.address, hostname))
    if (refused) throw new BlockedUrlError(`Hostname resolves to non-public IP: ${refused.address}`)
    return addresses
  }

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    checkedAddresses(hostname).then(
      (addresses) => {
        const family = lookupOptions.family === 4 || lookupOptions.family === 6
        const usable = family
          ? addresses.filter((a) => a.family === lookupOptions.family)
          : addresses
        if (usable.length === 0) return callback(noAddress(hostname), '', 0)
        if (lookupOptions.all) return callback(null, usable)
        callback(null, usable[0]!.address, usable[0]!.family)
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    )
  }

  return { checkUrl, lookup }
}
