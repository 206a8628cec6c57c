import { isIP } from 'node:net'
import { isPrivateAddress } from './address.js'

const internalSuffixes = [
  '.local',
  '.localdomain',
  '.home.arpa',
  '.svc',
  '.cluster.local',
  '.internal',
]
const internalNames = new Set(['localhost', 'metadata.google.internal', 'metadata'])

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string }

/**
 * Letta's server_url rules (scheme, host), plus Hangar's private-target rule: loopback, private,
 * link-local and metadata hosts are refused unless private targets are allowed. Works on the WHATWG
 * hostname, so `127.1`, `0x7f000001` and `[::ffff:127.0.0.1]` are seen in canonical form.
 */
export const checkServerUrl = (raw: string, options: { allowPrivate: boolean }): UrlCheck => {
  if (raw.trim() === '') return { ok: false, reason: 'server_url cannot be empty' }
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { ok: false, reason: `server_url is not a valid URL, got: '${raw}'` }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      reason: `server_url must start with 'http://' or 'https://', got: '${raw}'`,
    }
  }
  if (url.hostname === '')
    return { ok: false, reason: `server_url must have a valid host, got: '${raw}'` }
  if (options.allowPrivate) return { ok: true, url }
  const host = url.hostname.toLowerCase().replace(/\.+$/, '')
  if (internalNames.has(host) || internalSuffixes.some((s) => host.endsWith(s)) || host === '') {
    return { ok: false, reason: `Blocked internal hostname: ${url.hostname}` }
  }
  const literal = host.replace(/^\[|\]$/g, '')
  if (isIP(literal) && isPrivateAddress(literal)) {
    return { ok: false, reason: `Non-public IP not allowed: ${literal}` }
  }
  return { ok: true, url }
}
