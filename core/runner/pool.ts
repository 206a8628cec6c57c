import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { configHash } from './config-hash.js'
import { CrashLog } from './crash-log.js'
import type { LaunchSpec } from './policy.js'
import type { Acquired, ExitInfo, Launched, LaunchResult, PoolKey, PoolOptions } from './types.js'

interface Entry<C> {
  id: string
  key: PoolKey
  hash: string
  started: Promise<LaunchResult<C>>
  active: number
  retired: boolean
  idleTimer?: NodeJS.Timeout
  process?: Launched<C>
  stopping?: Promise<void>
}

const idOf = (key: PoolKey) => JSON.stringify([key.organizationId, key.serverId])

const once = (fn: () => void) => {
  let done = false
  return () => {
    if (!done) fn()
    done = true
  }
}

/**
 * One process per (organization, server, config hash), started on first use and shared by that
 * server's requests only. Stopped when idle, when its config changes, when evicted (deletion, or
 * least recently used past `maxProcesses`) and when the pool stops.
 */
export class ProcessPool<C = Client> {
  private readonly entries = new Map<string, Entry<C>>()
  private readonly stopping = new Set<Promise<void>>()
  private readonly crashes: CrashLog
  private readonly now: () => number
  private stopped = false

  constructor(private readonly options: PoolOptions<C>) {
    this.crashes = new CrashLog({
      baseMs: options.cooldownMs,
      maxMs: options.maxCooldownMs ?? 5 * 60_000,
    })
    this.now = options.now ?? Date.now
  }

  get size(): number {
    return this.entries.size
  }

  pids(): number[] {
    return [...this.entries.values()].flatMap((e) => (e.process ? [e.process.pid] : []))
  }

  async acquire(key: PoolKey, spec: LaunchSpec): Promise<Acquired<C>> {
    const id = idOf(key)
    const hash = configHash(spec)
    let entry = this.entries.get(id)
    while (entry && entry.hash !== hash) {
      await this.retire(entry, 'config changed')
      entry = this.entries.get(id)
    }
    if (this.stopped) return { ok: false, reason: 'busy', message: 'the runner is shutting down' }
    if (!entry) {
      const blocked = this.crashes.blocked(id, hash, this.now())
      if (blocked) return { ok: false, reason: 'failed', message: blocked }
      if (!this.makeRoom()) {
        const message = `the runner already runs ${this.options.maxProcesses} stdio servers, all busy`
        return { ok: false, reason: 'busy', message }
      }
      entry = this.start(id, key, hash, spec)
    }
    return this.lease(entry)
  }

  /** Stops the server's process, if any, and forgets its crashes (the server was deleted). */
  async evict(organizationId: string, serverId: string): Promise<boolean> {
    const id = idOf({ organizationId, serverId })
    this.crashes.clear(id)
    const entry = this.entries.get(id)
    if (entry) await this.retire(entry, 'evicted')
    return entry !== undefined
  }

  async stop(): Promise<void> {
    this.stopped = true
    await Promise.all([...this.entries.values()].map((e) => this.retire(e, 'runner stopping')))
    await Promise.all(this.stopping)
  }

  private async lease(entry: Entry<C>): Promise<Acquired<C>> {
    entry.active++
    clearTimeout(entry.idleTimer)
    if (this.entries.get(entry.id) === entry) {
      this.entries.delete(entry.id)
      this.entries.set(entry.id, entry) // most recently used last
    }
    const started = await entry.started
    if (!started.ok || entry.retired) {
      entry.active--
      const message = started.ok ? 'the stdio server was stopped while starting' : started.message
      return { ok: false, reason: 'failed', message }
    }
    const release = once(() => this.release(entry))
    return { ok: true, client: started.process.client, pid: started.process.pid, release }
  }

  private release(entry: Entry<C>) {
    entry.active--
    if (entry.active > 0 || entry.retired) return
    entry.idleTimer = setTimeout(() => {
      this.crashes.clear(entry.id)
      void this.retire(entry, 'idle')
    }, this.options.idleMs)
    entry.idleTimer.unref()
  }

  /** Frees a slot by stopping the least recently used idle process; false when all are busy. */
  private makeRoom(): boolean {
    while (this.entries.size >= this.options.maxProcesses) {
      const idle = [...this.entries.values()].find((e) => e.active === 0)
      if (!idle) return false
      void this.retire(idle, 'evicted (process cap)')
    }
    return true
  }

  private start(id: string, key: PoolKey, hash: string, spec: LaunchSpec): Entry<C> {
    const entry: Entry<C> = { id, key, hash, active: 0, retired: false, started: undefined! }
    entry.started = this.options
      .launch(spec)
      .catch((error: unknown): LaunchResult<C> => ({ ok: false, message: String(error) }))
      .then((result) => {
        if (!result.ok) this.crashed(entry, result.message)
        else void result.process.exited.then((info) => this.exited(entry, info))
        entry.process = result.ok ? result.process : undefined
        return result
      })
    this.entries.set(id, entry)
    return entry
  }

  private exited(entry: Entry<C>, info: ExitInfo) {
    if (entry.retired) return
    const message = `stdio server exited unexpectedly with ${info.description}`
    this.crashed(entry, info.stderr ? `${message}; stderr: ${info.stderr}` : message)
  }

  /** Reported (messages carry a redacted stderr tail) and remembered for the cool-down. */
  private crashed(entry: Entry<C>, message: string) {
    this.forget(entry)
    this.crashes.record(entry.id, entry.hash, message, this.now())
    this.options.log.warn('stdio server failed', { ...entry.key, message })
  }

  private forget(entry: Entry<C>) {
    entry.retired = true
    clearTimeout(entry.idleTimer)
    if (this.entries.get(entry.id) === entry) this.entries.delete(entry.id)
  }

  private retire(entry: Entry<C>, why: string): Promise<void> {
    if (entry.stopping) return entry.stopping
    this.forget(entry)
    const done = entry.started.then(async (result) => {
      if (!result.ok) return
      await result.process.stop()
      this.options.log.info('stdio process stopped', { ...entry.key, pid: result.process.pid, why })
    })
    this.stopping.add(done)
    entry.stopping = done.finally(() => this.stopping.delete(done))
    return entry.stopping
  }
}
