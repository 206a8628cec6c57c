import { BlockList, isIP } from 'node:net'

const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network, incl. 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 can reach private IPv4
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['2001::', 32], // Teredo: tunnels to an IPv4 address
  ['3ffe::', 16], // 6bone (returned)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6')
}

/** The eight 16-bit groups of an IPv6 literal (a trailing dotted IPv4 allowed). */
const groupsOf = (address: string): number[] => {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address)
  const hex = dotted
    ? address.slice(0, dotted.index) +
      `${((+dotted[1]! << 8) | +dotted[2]!).toString(16)}:${((+dotted[3]! << 8) | +dotted[4]!).toString(16)}`
    : address
  const [head, tail] = hex.split('::') as [string, string | undefined]
  const parse = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : [])
  const start = parse(head)
  const end = parse(tail ?? '')
  const zeros = tail === undefined ? [] : Array(8 - start.length - end.length).fill(0)
  return [...start, ...zeros, ...end]
}

const ipv4Of = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`

/**
 * The IPv4 address an IPv6 literal carries, where one reaches IPv4: IPv4-compatible (::/96),
 * IPv4-translated (::ffff:0:0/96) and 6to4 (2002::/16). IPv4-mapped is judged by BlockList itself.
 */
const embeddedIpv4 = (address: string): string | undefined => {
  const g = groupsOf(address)
  if (g.slice(0, 6).every((x) => x === 0)) return ipv4Of(g[6]!, g[7]!)
  if (g.slice(0, 4).every((x) => x === 0) && g[4] === 0xffff && g[5] === 0)
    return ipv4Of(g[6]!, g[7]!)
  if (g[0] === 0x2002) return ipv4Of(g[1]!, g[2]!)
  return undefined
}

/** True when an IP literal (IPv4-mapped IPv6 is judged by its IPv4 rules) is not a public unicast address (private, loopback, link-local, …). */
export const isPrivateAddress = (address: string): boolean => {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  const family = isIP(bare)
  if (family === 4) return blocked.check(bare, 'ipv4')
  if (family !== 6) return true
  const inner = embeddedIpv4(bare)
  if (inner !== undefined && blocked.check(inner, 'ipv4')) return true
  return blocked.check(bare, 'ipv6')
}
