import { readdirSync, readFileSync } from 'node:fs'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** `pid`, state and process group of one /proc entry; comm may hold spaces and parentheses. */
const statOf = (pid: string): { state: string; pgrp: number } | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { state: state ?? '', pgrp: Number(pgrp) }
  } catch {
    return undefined
  }
}

const hasProc = (() => {
  try {
    return readdirSync('/proc').includes('self')
  } catch {
    return false
  }
})()

/**
 * Processes of the group that still run. Zombies (exited, waiting for init to reap them) do not
 * count. Without /proc, any process in the group counts.
 */
export const liveMembers = (pgid: number): number[] => {
  if (!hasProc) {
    try {
      process.kill(-pgid, 0)
      return [pgid]
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM' ? [pgid] : []
    }
  }
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      const stat = statOf(pid)
      return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X'
    })
    .map(Number)
}

const signal = (pgid: number, name: NodeJS.Signals) => {
  try {
    process.kill(-pgid, name)
  } catch {
    // The group is already gone.
  }
}

const emptied = async (pgid: number, withinMs: number) => {
  const deadline = Date.now() + withinMs
  for (;;) {
    if (liveMembers(pgid).length === 0) return true
    if (Date.now() >= deadline) return false
    await sleep(25)
  }
}

/**
 * Ends every process of a group: SIGTERM, then SIGKILL for whatever still runs after `graceMs`.
 * True once no member runs. This is the graceful first step; a child that left the group
 * (setsid, double fork) is ended afterwards with everything else of its uid (core/sandbox/kill.ts).
 */
export const killGroup = async (pgid: number, graceMs: number): Promise<boolean> => {
  if (liveMembers(pgid).length === 0) return true
  signal(pgid, 'SIGTERM')
  if (await emptied(pgid, graceMs)) return true
  signal(pgid, 'SIGKILL')
  return emptied(pgid, 2_000)
}
