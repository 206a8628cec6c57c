import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ownFolder } from './folders.js'
import { alive, idsInUse } from './proc.js'

/** Numbers claimed by any sandbox of this process (tests run several runners in one process). */
const claimed = new Set<number>()

/**
 * A claim on the host: a file created exclusively in a folder every runner of this host shares,
 * holding the claimer's pid. A claim whose process is gone (a runner killed with SIGKILL) is
 * taken over.
 */
const claimOnHost = (folder: string, id: number): boolean => {
  const path = join(folder, String(id))
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const owner = Number(readFileSync(path, 'utf8').trim())
    if (!(owner > 0) || alive(owner)) return false // an empty claim is still being written
    try {
      unlinkSync(path)
    } catch {
      // another runner took it over first
    }
  }
  return false
}

/**
 * Hands out numbers from `[base, base + count)` to use as a uid or a gid: never one claimed by a
 * runner of this host (several may run at once: parallel test files, the local stack beside
 * tests), never one that any live process holds as a uid or gid (so an id is not reused while
 * anything of its last owner runs), and round-robin, so a released number comes back only after
 * the rest of the range.
 */
export class IdRange {
  private cursor = 0
  private folder?: string

  constructor(
    readonly base: number,
    readonly count: number,
  ) {}

  take(): number | undefined {
    this.folder ??= ownFolder(join(tmpdir(), 'hangar-ids'), 0o700)
    const busy = idsInUse()
    for (let i = 0; i < this.count; i++) {
      const id = this.base + ((this.cursor + i) % this.count)
      if (claimed.has(id) || busy.has(id) || !claimOnHost(this.folder, id)) continue
      this.cursor = (this.cursor + i + 1) % this.count
      claimed.add(id)
      return id
    }
    return undefined
  }

  give(id: number): void {
    if (!claimed.delete(id)) return
    try {
      unlinkSync(join(this.folder!, String(id)))
    } catch {
      // already gone
    }
  }
}
