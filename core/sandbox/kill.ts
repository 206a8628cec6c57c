import { spawn, spawnSync } from 'node:child_process'
import { processesOfUid } from './proc.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** `kill -9 -1` run as the uid itself: one sweep over every process that uid may signal. */
const killAllAs = (uid: number, gid: number) =>
  new Promise<void>((resolve) => {
    const child = spawn('kill', ['-9', '-1'], {
      uid,
      gid,
      env: { PATH: '/usr/bin:/bin' },
      stdio: 'ignore',
    })
    child.once('error', () => resolve())
    child.once('exit', () => resolve())
  })

/**
 * Ends every process of a uid, wherever it went: process groups, `setsid`, double forks. Sweeps
 * until the process table holds no live process of the uid (a process may fork while a sweep
 * runs, and the uid's processes may even kill a sweep), or `withinMs` passes. True once none is
 * left.
 */
export const killUid = async (uid: number, gid: number, withinMs = 5_000): Promise<boolean> => {
  const deadline = Date.now() + withinMs
  for (;;) {
    if (processesOfUid(uid).length === 0) return true
    if (Date.now() > deadline) return false
    await killAllAs(uid, gid)
    await sleep(5)
  }
}

/**
 * `killUid` for where nothing asynchronous can run (a process 'exit' handler): a few sweeps of
 * `kill -9 -1` as the uid, each waited for synchronously. True once none is left.
 */
export const killUidSync = (uid: number, gid: number, sweeps = 5): boolean => {
  for (let sweep = 0; sweep < sweeps; sweep++) {
    if (processesOfUid(uid).length === 0) return true
    spawnSync('kill', ['-9', '-1'], { uid, gid, env: { PATH: '/usr/bin:/bin' }, stdio: 'ignore' })
  }
  return processesOfUid(uid).length === 0
}
