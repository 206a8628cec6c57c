import {
  chmodSync,
  chownSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  rmSync,
} from 'node:fs'
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Makes (or checks) a folder the runner owns, with `mode`. A folder already there must be a real
 * folder owned by the runner: anyone could have made it first in a shared place such as /tmp.
 */
export const ownFolder = (path: string, mode: number): string => {
  mkdirSync(path, { recursive: true, mode })
  const stat = lstatSync(path)
  if (!stat.isDirectory() || stat.uid !== process.getuid?.()) {
    throw new Error(`Sandbox folder ${path} must be a folder owned by the runner's user`)
  }
  chmodSync(path, mode)
  return path
}

/** A fresh folder `0700`, owned by `owner` when given (the runner then runs as root). */
export const privateFolder = async (
  parent: string,
  prefix: string,
  owner?: { uid: number; gid: number },
): Promise<string> => {
  const path = await mkdtemp(join(parent, prefix))
  await chmod(path, 0o700)
  if (owner) await chown(path, owner.uid, owner.gid)
  return path
}

export const wipe = (path: string) => rm(path, { recursive: true, force: true })

/** Gives everything under `path` the group `gid` (owners stay), without following links. */
const regroup = (path: string, gid: number): void => {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name)
    try {
      const stat = lstatSync(child)
      if (stat.gid !== gid) lchownSync(child, stat.uid, gid)
      if (entry.isDirectory()) {
        if (stat.gid !== gid) chmodSync(child, stat.mode | 0o2000) // chown cleared setgid
        regroup(child, gid)
      }
    } catch {
      // gone meanwhile
    }
  }
}

/**
 * Group-shared folder: `setgid` so what its members write keeps the group, closed to others. A
 * folder its organization used before under another gid is handed to the new one.
 */
export const groupFolder = (path: string, gid: number): string => {
  ownFolder(path, 0o700)
  regroup(path, gid)
  chownSync(path, process.getuid?.() ?? 0, gid)
  chmodSync(path, 0o2770) // chown clears the setgid bit
  return path
}

/** Hands a group folder back to the runner alone (its group may next go to someone else). */
export const closeGroupFolder = (path: string): void => {
  try {
    chownSync(path, process.getuid?.() ?? 0, process.getgid?.() ?? 0)
    chmodSync(path, 0o700)
  } catch {
    // never made
  }
}

/** The places anyone may write outside their own folder. */
export const SHARED_TEMP = ['/tmp', '/var/tmp', '/dev/shm']

/**
 * Removes what `uid` left at the top of the shared temp folders, so the uid's next owner cannot
 * find it. (Deeper entries would need a folder there that the uid could write into and did not
 * own, which nothing makes.)
 */
export const sweepShared = (uid: number, places = SHARED_TEMP): void => {
  for (const place of places) {
    let names: string[]
    try {
      names = readdirSync(place)
    } catch {
      continue
    }
    for (const name of names) {
      const path = join(place, name)
      try {
        if (lstatSync(path).uid === uid) rmSync(path, { recursive: true, force: true })
      } catch {
        // gone meanwhile
      }
    }
  }
}
