export interface Part {
  name: string
  /** A graceful stop; each is awaited in turn, newest first. */
  stop(): Promise<unknown>
  /** Cuts the graceful stop short: sent on a second signal or when the stop takes too long. */
  force?(): void
}

export interface Lifecycle {
  /** Registers a running part; one registered after stopping began is stopped at once. */
  add(part: Part): void
  /** Stops every part (bounded) and exits with `code`; later calls get the same promise. */
  stop(code: number, why: string): Promise<never>
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * The local stack's stop: on SIGINT, SIGTERM or SIGHUP, on its parent (npm) going away, or on
 * `stop()`, it prints "stopping…", stops each part newest first, then prints "stopped" and exits.
 * A second signal (a second Ctrl-C; the one npm forwards within the same second does not count)
 * or `boundMs` passing forces every part, and the process exits `graceMs` later whatever is left.
 */
export const createLifecycle = (options: {
  out: (line: string) => void
  boundMs: number
  graceMs: number
  watchParentMs?: number
}): Lifecycle => {
  const parts: Part[] = []
  let stopping: Promise<never> | undefined
  let firstSignalAt = 0
  let forced = false

  const force = (why: string) => {
    if (forced) return
    forced = true
    options.out(`Hangar: ${why}; stopping now`)
    for (const part of parts) part.force?.()
    setTimeout(() => {
      options.out('Hangar: stopped (forced)')
      process.exit(1)
    }, options.graceMs).unref()
  }

  const stop = (code: number, why: string): Promise<never> =>
    (stopping ??= (async () => {
      options.out(`Hangar: stopping… (${why})`)
      const timer = setTimeout(
        () => force(`still stopping after ${options.boundMs / 1000} s`),
        options.boundMs,
      )
      for (const part of [...parts].reverse()) {
        await part.stop().catch((error: unknown) => {
          options.out(`Hangar: stopping ${part.name} failed: ${String(error)}`)
        })
      }
      clearTimeout(timer)
      options.out('Hangar: stopped')
      process.exit(code)
    })())

  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (!stopping) {
        firstSignalAt = Date.now()
        void stop(0, signal)
      } else if (Date.now() - firstSignalAt >= 1000) force(`${signal} again`)
    })
  }

  // npm forwards SIGINT/SIGTERM, but if npm itself is killed (or a shell between it and us dies)
  // this process is re-parented: treat that as a stop too.
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) void stop(0, 'its parent process ended')
  }, options.watchParentMs ?? 500).unref()

  return {
    add: (part) => {
      if (!stopping) parts.push(part)
      else {
        if (forced) part.force?.()
        void part.stop().catch(() => undefined)
      }
    },
    stop,
  }
}
