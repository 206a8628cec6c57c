import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { socketInodes, tcpListeners } from '../../infra/local/port-owner.js'

interface Stat {
  pid: number
  ppid: number
  pgrp: number
  state: string
}

const stat = (pid: string): Stat | undefined => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const [state = '', ppid, pgrp] = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { pid: Number(pid), ppid: Number(ppid), pgrp: Number(pgrp), state }
  } catch {
    return undefined
  }
}

const table = () =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(stat)
    .filter((s): s is Stat => s !== undefined && s.state !== 'Z' && s.state !== 'X')

/** `root` and every live descendant, plus every member of their process groups. */
export const processTree = (root: number): number[] => {
  const all = table()
  const found = new Set([root])
  for (let grew = true; grew;) {
    grew = false
    for (const p of all) {
      if (!found.has(p.pid) && (found.has(p.ppid) || [...found].some((f) => f === p.pgrp))) {
        found.add(p.pid)
        grew = true
      }
    }
  }
  return [...found].filter((pid) => all.some((p) => p.pid === pid))
}

/** Which of `pids` still run (zombies do not count). */
export const stillRunning = (pids: number[]) => {
  const live = new Set(table().map((p) => p.pid))
  return pids.filter((pid) => live.has(pid))
}

export const commandOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {
    return ''
  }
}

/** Listening sockets held by any of `pids`: address and port, from /proc/net/tcp and tcp6. */
export const listenersOf = (pids: number[]) => {
  const inodes = new Set(pids.flatMap((pid) => [...socketInodes(pid)]))
  return tcpListeners().filter((listener) => inodes.has(listener.inode))
}

/** Ports among `ports` that something still listens on (127.0.0.1 cannot be bound). */
export const boundPorts = async (ports: number[]) => {
  const busy: number[] = []
  for (const port of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(false))
      server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
        server.close(() => resolve(true)),
      )
    })
    if (!free) busy.push(port)
  }
  return busy
}

export const waitUntil = async (check: () => boolean | Promise<boolean>, withinMs: number) => {
  const deadline = Date.now() + withinMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return check()
}
