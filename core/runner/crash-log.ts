interface Crash {
  hash: string
  count: number
  at: number
  message: string
}

export interface CrashLogOptions {
  /** The first cool-down; each further failure of the same config doubles it, up to `maxMs`. */
  baseMs: number
  maxMs: number
  maxEntries?: number
}

/**
 * Failures to start or unexpected exits, per server. A server that failed is not started again
 * until its cool-down passes or its config hash changes, so a broken server cannot spawn in a loop.
 */
export class CrashLog {
  private readonly crashes = new Map<string, Crash>()

  constructor(private readonly options: CrashLogOptions) {}

  record(key: string, hash: string, message: string, nowMs: number): void {
    const previous = this.crashes.get(key)
    const count = previous?.hash === hash ? previous.count + 1 : 1
    this.crashes.delete(key)
    this.crashes.set(key, { hash, count, at: nowMs, message })
    const max = this.options.maxEntries ?? 10_000
    while (this.crashes.size > max) this.crashes.delete(this.crashes.keys().next().value as string)
  }

  cooldownMs(count: number): number {
    return Math.min(this.options.baseMs * 2 ** (count - 1), this.options.maxMs)
  }

  /** Why a start is refused right now, or undefined when it may go ahead. */
  blocked(key: string, hash: string, nowMs: number): string | undefined {
    const crash = this.crashes.get(key)
    if (!crash || crash.hash !== hash) return undefined
    const left = crash.at + this.cooldownMs(crash.count) - nowMs
    if (left <= 0) return undefined
    const wait = `not restarted for another ${Math.ceil(left / 1000)} s, or until its configuration changes`
    return `${crash.message} (${wait})`
  }

  clear(key: string): void {
    this.crashes.delete(key)
  }
}
