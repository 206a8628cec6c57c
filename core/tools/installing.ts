import type { SyncLeases } from '../ports.js'
import type { ServerRecord } from '../registry/types.js'

/** How long a stdio start may take before its sync says that a package is being installed. */
export const INSTALL_NOTICE_AFTER_MS = 1_000

/** npx's and uvx's options that take the next argument as their value. */
const VALUED: Record<string, readonly string[]> = {
  npx: ['--package', '-p', '--registry', '--cache', '--prefix', '--workspace', '-w'],
  uvx: ['--from', '--with', '--python', '-p', '--index', '--index-url', '--extra-index-url'],
}
/** The option naming the package to install when it differs from the program to run. */
const SOURCE: Record<string, readonly string[]> = { npx: ['--package', '-p'], uvx: ['--from'] }

/** The package `npx`/`uvx` would fetch for these arguments, or undefined for other programs. */
export const packageOf = (command: string, args: readonly string[]): string | undefined => {
  const valued = VALUED[command]
  const source = SOURCE[command]
  if (!valued || !source) return undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (arg === '--') return args[i + 1]
    const [flag = '', inline] = arg.split(/=(.*)/s)
    if (source.includes(flag)) return inline ?? args[i + 1]
    if (!arg.startsWith('-')) return arg
    if (valued.includes(flag) && inline === undefined) i++
  }
  return undefined
}

/** What a sync of this server shows while its first start may be installing a package. */
export const installingMessage = (server: ServerRecord): string | undefined => {
  if (server.type !== 'stdio') return undefined
  const name = packageOf(server.command ?? '', server.args ?? [])
  return name ? `installing package ${name} (first start may take a while)` : undefined
}

/**
 * Waits for `listing` (a stdio server's tools); when an npx/uvx server takes longer than `afterMs`
 * to answer, the running sync shows the installing message meanwhile (best effort: a lost write
 * only loses the notice). The notice is written, or given up, before this returns.
 */
export const noticeWhileInstalling = async <T>(
  leases: Pick<SyncLeases, 'progress'>,
  claimed: { server: ServerRecord; generation: number },
  listing: Promise<T>,
  afterMs = INSTALL_NOTICE_AFTER_MS,
): Promise<T> => {
  const message = installingMessage(claimed.server)
  if (!message) return listing
  let noted: Promise<unknown> | undefined
  const timer = setTimeout(() => {
    noted = leases.progress(claimed.server, claimed.generation, message).catch(() => false)
  }, afterMs)
  try {
    return await listing
  } finally {
    clearTimeout(timer)
    await noted
  }
}
