import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { configHash } from './config-hash.js'
import { CrashLog } from './crash-log.js'
import { DeletedServers } from './deleted.js'
import type { LaunchSpec } from './policy.js'
import type { Acquired, ExitInfo, Launched, LaunchResult, PoolKey, PoolOptions } from './types.js'

interface Entry<C> {
  id: string
  key: PoolKey
  hash: string
  started: Promise<LaunchResult<C>>
  starting: boolean
  active: number
  retired: boolean
  idleTimer?: NodeJS.Timeout
  process?: Launched<C>
  stopping?: Promise<void>
}

interface Waiter<C> {
  organizationId: string
  since: number
  attempt(): Entry<C> | string
  done(entry: Entry<C> | undefined): void
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
 * to make room) and when the pool stops.
 *
 * Fair shares: an organization holds at most `maxPerOrganization` processes and starts at most
 * `maxStartingPerOrganization` at once. Room is only ever made by stopping an idle process: the
 * organization's own least recently used one when it is at its own cap, else, when the runner is
 * full, the least recently used idle process of the organization holding the most. A busy or
 * starting process is never evicted. A request that finds no room waits in a queue served
 * organization by organization (fewest processes first) for up to `queueMs`, then is turned away.
 */
export class ProcessPool<C = Client> {
  private readonly entries = new Map<string, Entry<C>>()
  private readonly stopping = new Set<Promise<void>>()
  private readonly waiters: Waiter<C>[] = []
  private readonly crashes: CrashLog
  private readonly deleted: DeletedServers
  private readonly now: () => number
  private stopped = false
  private pumpQueued = false

  constructor(private readonly options: PoolOptions<C>) {
    this.crashes = new CrashLog({
      baseMs: options.cooldownMs,
      maxMs: options.maxCooldownMs ?? 5 * 60_000,
    })
    this.now = options.now ?? Date.now
    this.deleted = new DeletedServers(options.maxDeleted ?? 100_000)
  }

  get size(): number {
    return this.entries.size
  }

  get waiting(): number {
    return this.waiters.length
  }

  pids(): number[] {
    return [...this.entries.values()].flatMap((e) => (e.process ? [e.process.pid] : []))
  }

  async acquire(key: PoolKey, spec: LaunchSpec): Promise<Acquired<C>> {
    const id = idOf(key)
    if (this.deleted.has(id)) return this.gone(key)
    const hash = configHash(spec)
    let entry = this.entries.get(id)
    while (entry && entry.hash !== hash) {
      await this.retire(entry, 'config changed')
      entry = this.entries.get(id)
    }
    if (this.stopped) return this.busy('the runner is shutting down')
    if (!entry) {
      const blocked = this.crashes.blocked(id, hash, this.now())
      if (blocked) return { ok: false, reason: 'failed', message: blocked }
      const attempt = () => this.tryStart(id, key, hash, spec)
      const first = attempt()
      const got =
        typeof first !== 'string' ? first : await this.queue(key.organizationId, first, attempt)
      if (typeof got === 'string') return this.deleted.has(id) ? this.gone(key) : this.busy(got)
      entry = got
    }
    return this.lease(entry)
  }

  /**
   * The server was deleted: stops its process and refuses to start it ever again, since a request
   * in flight may still carry its old record.
   */
  async delete(organizationId: string, serverId: string): Promise<boolean> {
    this.deleted.add(idOf({ organizationId, serverId }))
    return this.evict(organizationId, serverId)
  }

  /** Stops the server's process, if any, and forgets its crashes; a later request may start it. */
  async evict(organizationId: string, serverId: string): Promise<boolean> {
    const id = idOf({ organizationId, serverId })
    this.crashes.clear(id)
    const entry = this.entries.get(id)
    if (entry) await this.retire(entry, 'evicted')
    return entry !== undefined
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const waiter of this.waiters.splice(0)) waiter.done(undefined)
    await Promise.all([...this.entries.values()].map((e) => this.retire(e, 'runner stopping')))
    await Promise.all(this.stopping)
  }

  private gone(key: PoolKey): Acquired<C> {
    return { ok: false, reason: 'deleted', message: `stdio MCP server ${key.serverId} was deleted` }
  }

  private busy(message: string): Acquired<C> {
    const retryAfterS = Math.max(1, Math.ceil(this.options.queueMs / 1000))
    return {
      ok: false,
      reason: 'busy',
      message: `${message}; retry in ${retryAfterS} s`,
      retryAfterS,
    }
  }

  /** The entry to lease (started now, or started meanwhile), or why there is no room yet. */
  private tryStart(id: string, key: PoolKey, hash: string, spec: LaunchSpec): Entry<C> | string {
    if (this.stopped) return 'the runner is shutting down'
    if (this.deleted.has(id)) return 'the stdio MCP server was deleted'
    const existing = this.entries.get(id)
    if (existing?.hash === hash) return existing
    if (existing) void this.retire(existing, 'config changed')
    const refused = this.makeRoom(key.organizationId)
    return refused ?? this.start(id, key, hash, spec)
  }

  /** Waits for a slot in the fair queue; the entry, or why none came within `queueMs`. */
  private queue(organizationId: string, why: string, attempt: () => Entry<C> | string) {
    return new Promise<Entry<C> | string>((resolve) => {
      let last = why
      const waiter: Waiter<C> = {
        organizationId,
        since: this.now(),
        attempt: () => {
          const got = attempt()
          if (typeof got === 'string') last = got
          return got
        },
        done: (entry) => {
          clearTimeout(timer)
          resolve(entry ?? last)
        },
      }
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        resolve(last)
      }, this.options.queueMs)
      timer.unref()
      this.waiters.push(waiter)
    })
  }

  /** Serves waiting requests that fit now: the organization holding the fewest goes first. */
  private pump = () => {
    this.pumpQueued = false
    for (;;) {
      const firsts = new Map<string, Waiter<C>>()
      for (const waiter of this.waiters) {
        if (!firsts.has(waiter.organizationId)) firsts.set(waiter.organizationId, waiter)
      }
      const order = [...firsts.values()].sort(
        (a, b) =>
          this.held(a.organizationId).length - this.held(b.organizationId).length ||
          a.since - b.since,
      )
      const served = order.find((waiter) => {
        const got = waiter.attempt()
        if (typeof got === 'string') return false
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        waiter.done(got)
        return true
      })
      if (!served) return
    }
  }

  private schedulePump() {
    if (this.pumpQueued || this.waiters.length === 0) return
    this.pumpQueued = true
    queueMicrotask(this.pump)
  }

  private held(organizationId: string): Entry<C>[] {
    return [...this.entries.values()].filter((e) => e.key.organizationId === organizationId)
  }

  private idle = (e: Entry<C>) => e.active === 0 && !e.starting

  /** Makes room for one more process of the organization; undefined, or why it cannot. */
  private makeRoom(organizationId: string): string | undefined {
    const { maxPerOrganization: perOrg, maxStartingPerOrganization: starting } = this.options
    const mine = this.held(organizationId)
    if (mine.filter((e) => e.starting).length >= starting) {
      return `this organization already has ${starting} stdio servers starting`
    }
    if (mine.length >= perOrg) {
      const own = mine.find(this.idle)
      if (!own)
        return `this organization already runs ${perOrg} stdio servers, all busy or starting`
      void this.retire(own, 'evicted (organization cap)')
    }
    while (this.entries.size >= this.options.maxProcesses) {
      const victim = this.victim()
      if (!victim) {
        return `the runner already runs ${this.options.maxProcesses} stdio servers, all busy or starting`
      }
      void this.retire(victim, 'evicted (process cap)')
    }
    return undefined
  }

  /** The least recently used idle process of the organization holding the most processes. */
  private victim(): Entry<C> | undefined {
    const counts = new Map<string, number>()
    for (const e of this.entries.values()) {
      counts.set(e.key.organizationId, (counts.get(e.key.organizationId) ?? 0) + 1)
    }
    const candidates = [...this.entries.values()].filter(this.idle)
    return candidates.sort(
      (a, b) => (counts.get(b.key.organizationId) ?? 0) - (counts.get(a.key.organizationId) ?? 0),
    )[0] // a stable sort keeps least recently used first within an organization
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
      if (this.deleted.has(entry.id)) return this.gone(entry.key)
      const message = started.ok ? 'the stdio server was stopped while starting' : started.message
      return { ok: false, reason: 'failed', message }
    }
    const release = once(() => this.release(entry))
    return { ok: true, client: started.process.client, pid: started.process.pid, release }
  }

  private release(entry: Entry<C>) {
    entry.active--
    if (entry.active > 0 || entry.retired) return
    this.schedulePump() // an idle process may make room for a waiting request
    entry.idleTimer = setTimeout(() => {
      this.crashes.clear(entry.id)
      void this.retire(entry, 'idle')
    }, this.options.idleMs)
    entry.idleTimer.unref()
  }

  private start(id: string, key: PoolKey, hash: string, spec: LaunchSpec): Entry<C> {
    const entry: Entry<C> = {
      id,
      key,
      hash,
      active: 0,
      retired: false,
      starting: true,
      started: undefined!,
    }
    entry.started = this.options
      .launch(spec, key)
      .catch((error: unknown): LaunchResult<C> => ({ ok: false, message: String(error) }))
      .then((result) => {
        entry.starting = false
        if (!result.ok) this.crashed(entry, result.message)
        else void result.process.exited.then((info) => this.exited(entry, info))
        entry.process = result.ok ? result.process : undefined
        this.schedulePump()
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
    this.options.log.warn('stdio server failed', { ...entry.key, reason: message })
  }

  private forget(entry: Entry<C>) {
    entry.retired = true
    clearTimeout(entry.idleTimer)
    if (this.entries.get(entry.id) === entry) this.entries.delete(entry.id)
    this.schedulePump()
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
