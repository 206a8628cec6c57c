import { readdirSync, readFileSync } from 'node:fs'

/** One live entry of the process table, from /proc/<pid>/status. */
export interface ProcessRow {
  pid: number
  /** Real, effective, saved and filesystem uids. */
  uids: number[]
  gids: number[]
  /** `R`, `S`, `Z`, … */
  state: string
}

const ids = (status: string, field: string): number[] =>
  (new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)

const rowOf = (pid: string): ProcessRow | undefined => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const state = /^State:\s*(\S)/m.exec(status)?.[1] ?? ''
    return { pid: Number(pid), uids: ids(status, 'Uid'), gids: ids(status, 'Gid'), state }
  } catch {
    return undefined // it exited while we looked
  }
}

/**
 * Every process that still runs, with its ids. Zombies (exited, waiting to be collected) and
 * dead entries are left out: they hold no memory, files or privileges any more.
 */
export const processTable = (): ProcessRow[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      const row = rowOf(pid)
      return row && row.state !== 'Z' && row.state !== 'X' ? [row] : []
    })

/** Pids of the live processes that hold `uid` as any of their user ids. */
export const processesOfUid = (uid: number): number[] =>
  processTable()
    .filter((row) => row.uids.includes(uid))
    .map((row) => row.pid)

/** Every uid and gid some live process holds right now. */
export const idsInUse = (): Set<number> =>
  new Set(processTable().flatMap((row) => [...row.uids, ...row.gids]))

/** Whether a process with this pid exists (EPERM: it does, owned by another user). */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
