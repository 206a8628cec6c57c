import type { ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/**
 * Process groups this process started (each child runs detached, as the leader of its own group),
 * with the signal each gets if this process exits while they still run. A group started while a
 * shutdown was already under way is therefore never left behind.
 */
const groups = new Map<number, NodeJS.Signals>()

const signalGroup = (pgid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pgid, signal)
  } catch {
    // already gone
  }
}

process.once('exit', () => {
  for (const [pgid, signal] of groups) signalGroup(pgid, signal)
})

/** Remembers a detached child's group until it exits. */
export const trackGroup = (child: ChildProcess, atExit: NodeJS.Signals) => {
  const pid = child.pid
  if (!pid) return
  groups.set(pid, atExit)
  child.once('exit', () => groups.delete(pid))
}

const procPids = () => {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return []
  }
}

const pgidOf = (pid: string) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
  } catch {
    return undefined
  }
}

/**
 * Processes (Linux: read from /proc) whose environment points into `folder`, e.g. stdio servers
 * whose HOME/TMPDIR the runner made there. Used to sweep what a runner killed mid-start left.
 */
export const processesUsing = (folder: string): number[] =>
  procPids()
    .filter((pid) => Number(pid) !== process.pid)
    .filter((pid) => {
      try {
        const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
        return env.some((entry) => {
          const value = entry.slice(entry.indexOf('=') + 1)
          return value === folder || value.startsWith(`${folder}/`)
        })
      } catch {
        return false
      }
    })
    .map(Number)

/** SIGKILLs each process's group (or the process alone if it shares this process's group). */
export const killProcesses = (pids: number[]) => {
  const own = pgidOf(String(process.pid))
  for (const pid of pids) {
    const pgid = pgidOf(String(pid))
    if (pgid && pgid !== own && pgid !== 0) signalGroup(pgid, 'SIGKILL')
    else {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
}
