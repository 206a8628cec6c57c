import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import {
  closeGroupFolder,
  groupFolder,
  ownFolder,
  privateFolder,
  sweepShared,
  wipe,
} from './folders.js'
import { IdRange } from './ids.js'
import { killUid, killUidSync } from './kill.js'
import { prlimitArgs } from './limits.js'
import type { SandboxSettings } from './settings.js'

/** One child's place: its identity, its private folder, and how to start and end it. */
export interface Cell {
  /** Undefined when children run unisolated. */
  uid?: number
  gid?: number
  /** Private: HOME, TMPDIR and working folder, 0700, owned by the uid; wiped by `close`. */
  home: string
  /** Variables the child's environment gets from the sandbox (its organization's caches). */
  env: Record<string, string>
  spawn(
    command: string,
    args: readonly string[],
    env: Record<string, string>,
  ): ChildProcessWithoutNullStreams
  /** Ends every process of the uid, wipes the folder and gives the uid back. */
  close(): Promise<void>
}

interface Organization {
  gid: number
  cells: number
  cache: string
}

const TOOLS = ['prlimit', 'choom', 'setpriv']
const UNTRUSTED_OOM_SCORE = '1000'

const cacheName = (organizationId: string) =>
  createHash('sha256').update(organizationId).digest('hex').slice(0, 32)

/**
 * Where stdio children run. Isolated (as root): each child gets a uid of its own from the range
 * and its organization's gid (no supplementary groups), starts through `prlimit` (limits),
 * `choom` (first in line for the OOM killer) and `setpriv --no-new-privs` (no setuid binary or
 * file capability can raise it again), with umask 007. The organization's gid owns its package
 * cache, so its servers share downloads and nobody else can read or feed them.
 */
export class Sandbox {
  private readonly ids: IdRange
  private readonly organizations = new Map<string, Organization>()
  /** The uid of every open cell, with its gid. */
  private readonly cells = new Map<number, number>()
  private readonly homes: string
  private readonly caches: string

  constructor(readonly settings: SandboxSettings) {
    for (const tool of TOOLS) {
      try {
        execFileSync(tool, ['--version'], { stdio: 'ignore' })
      } catch {
        throw new Error(`The stdio runner needs util-linux's ${tool} on PATH`)
      }
    }
    this.ids = new IdRange(settings.uidBase, settings.uidCount)
    ownFolder(settings.root, 0o711)
    this.homes = ownFolder(join(settings.root, 'homes'), 0o711)
    this.caches = ownFolder(join(settings.root, 'caches'), 0o711)
    // Which gid each cache had is not known after a restart: every cache starts closed.
    for (const name of readdirSync(this.caches)) closeGroupFolder(join(this.caches, name))
  }

  get isolated(): boolean {
    return this.settings.isolate
  }

  async open(organizationId: string): Promise<Cell> {
    if (!this.settings.isolate) return this.shared(organizationId)
    const organization = this.join(organizationId)
    const uid = this.ids.take()
    if (uid === undefined) {
      this.leave(organizationId)
      throw new Error('no free uid left in HANGAR_RUNNER_UID_BASE/HANGAR_RUNNER_UID_COUNT')
    }
    const gid = organization.gid
    const home = await privateFolder(this.homes, `${uid}-`, { uid, gid })
    this.cells.set(uid, gid)
    let closing: Promise<void> | undefined
    const close = () =>
      (closing ??= (async () => {
        const clean = await killUid(uid, gid)
        if (clean) this.cells.delete(uid) // a survivor stays for the exit handler's sweep
        await wipe(home)
        sweepShared(uid)
        if (clean) this.ids.give(uid) // a uid with a survivor is never handed out again
        this.leave(organizationId)
      })())
    const limits = prlimitArgs(this.settings.limits, true)
    return {
      uid,
      gid,
      home,
      env: this.cacheEnv(organization.cache),
      spawn: (command, args, env) => {
        const wrapped = [...limits, '--', ...this.drop(), '--', command, ...args]
        const umask = process.umask(0o007)
        try {
          return spawn('prlimit', wrapped, {
            cwd: home,
            env,
            uid,
            gid,
            detached: true,
            stdio: 'pipe',
          })
        } finally {
          process.umask(umask)
        }
      },
      close,
    }
  }

  /**
   * Last resort, synchronous (for the runner's 'exit' handler): kills every process of every open
   * cell's uid, wherever it went (process groups, `setsid`, double forks). Folders are left as
   * they are.
   */
  killAllSync(): void {
    for (const [uid, gid] of this.cells) killUidSync(uid, gid)
  }

  private drop = () => ['choom', '-n', UNTRUSTED_OOM_SCORE, '--', 'setpriv', '--no-new-privs']

  /**
   * The organization's caches, and npm without the checks `npx` would otherwise send to the
   * registry on a first start (its own version, an audit, funding): a start only fetches packages.
   */
  private cacheEnv(cache: string): Record<string, string> {
    return {
      npm_config_cache: join(cache, 'npm'),
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      UV_CACHE_DIR: join(cache, 'uv'),
    }
  }

  /** Unisolated (non-root, allowed explicitly): private folder and limits, the runner's uid. */
  private async shared(organizationId: string): Promise<Cell> {
    const home = await privateFolder(this.homes, 'shared-')
    const cache = ownFolder(join(this.caches, cacheName(organizationId)), 0o700)
    const limits = prlimitArgs(this.settings.limits, false)
    return {
      home,
      env: this.cacheEnv(cache),
      spawn: (command, args, env) =>
        spawn('prlimit', [...limits, '--', ...this.drop(), '--', command, ...args], {
          cwd: home,
          env,
          detached: true,
          stdio: 'pipe',
        }),
      close: () => wipe(home),
    }
  }

  private join(organizationId: string): Organization {
    let organization = this.organizations.get(organizationId)
    if (!organization) {
      const gid = this.ids.take()
      if (gid === undefined) {
        throw new Error('no free gid left in HANGAR_RUNNER_UID_BASE/HANGAR_RUNNER_UID_COUNT')
      }
      const cache = groupFolder(join(this.caches, cacheName(organizationId)), gid)
      organization = { gid, cells: 0, cache }
      this.organizations.set(organizationId, organization)
    }
    organization.cells++
    return organization
  }

  private leave(organizationId: string) {
    const organization = this.organizations.get(organizationId)
    if (!organization || --organization.cells > 0) return
    this.organizations.delete(organizationId)
    closeGroupFolder(organization.cache)
    this.ids.give(organization.gid)
  }
}
