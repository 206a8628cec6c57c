import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

export interface Listener {
  /** Local address as printed by the kernel, e.g. `127.0.0.1`, `0.0.0.0`, `::`, `::ffff:127.0.0.1`. */
  address: string
  port: number
  inode: number
}

const LISTEN = '0A'

const ipv4 = (hex: string) =>
  [hex.slice(6, 8), hex.slice(4, 6), hex.slice(2, 4), hex.slice(0, 2)]
    .map((byte) => parseInt(byte, 16))
    .join('.')

/** The kernel prints an IPv6 address as four 32-bit words, each in host (little-endian) order. */
const ipv6 = (hex: string) => {
  const bytes: number[] = []
  for (let word = 0; word < 4; word++) {
    const chunk = hex.slice(word * 8, word * 8 + 8)
    for (let i = 3; i >= 0; i--) bytes.push(parseInt(chunk.slice(i * 2, i * 2 + 2), 16))
  }
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`
  }
  const groups = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16))
  const text = groups.join(':')
  if (text === '0:0:0:0:0:0:0:0') return '::'
  if (text === '0:0:0:0:0:0:0:1') return '::1'
  return text
}

const readTable = (file: string, v6: boolean): Listener[] => {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[3] === LISTEN)
    .map((cols) => {
      const [hexAddress = '', hexPort = '0'] = (cols[1] ?? '').split(':')
      return {
        address: v6 ? ipv6(hexAddress) : ipv4(hexAddress),
        port: parseInt(hexPort, 16),
        inode: Number(cols[9]),
      }
    })
}

/** Every listening TCP socket on this machine, from /proc/net/tcp and /proc/net/tcp6 (Linux). */
export const tcpListeners = (): Listener[] => [
  ...readTable('/proc/net/tcp', false),
  ...readTable('/proc/net/tcp6', true),
]

/** Socket inodes held open by a process (only processes this user may inspect). */
export const socketInodes = (pid: number): Set<number> => {
  const inodes = new Set<number>()
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return inodes
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
      if (match) inodes.add(Number(match[1]))
    } catch {
      // closed meanwhile
    }
  }
  return inodes
}

const commandLine = (pid: number) => {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
    const text = args.join(' ')
    return text.length > 120 ? `${text.slice(0, 117)}...` : text
  } catch {
    return ''
  }
}

const fromProc = (port: number): string | undefined => {
  const inodes = new Set(
    tcpListeners()
      .filter((l) => l.port === port)
      .map((l) => l.inode),
  )
  if (inodes.size === 0) return undefined
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const pid = Number(name)
    for (const inode of socketInodes(pid)) {
      if (inodes.has(inode)) return `pid ${pid}: ${commandLine(pid)}`
    }
  }
  return undefined
}

const fromLsof = (port: number): string | undefined => {
  try {
    const out = execFileSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 3000,
    })
    const pid = /^p(\d+)$/m.exec(out)?.[1]
    const command = /^c(.+)$/m.exec(out)?.[1]
    return pid ? `pid ${pid}: ${command ?? '?'}` : undefined
  } catch {
    return undefined
  }
}

/** Which process listens on a TCP port, as "pid N: command line", when this user can tell. */
export const portOwner = (port: number): string | undefined => {
  try {
    if (readdirSync('/proc').includes('net')) return fromProc(port)
  } catch {
    // no /proc: macOS and friends
  }
  return fromLsof(port)
}
