import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Shard id → sequence number of the last record processed. */
export type Positions = Record<string, string>

export const loadCheckpoint = async (file: string | undefined): Promise<Positions> => {
  if (!file) return {}
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '{}'
    throw error
  })
  return JSON.parse(text) as Positions
}

/** Replaces the file atomically (write a sibling, then rename over it). */
export const saveCheckpoint = async (file: string, positions: Positions) => {
  await mkdir(dirname(file), { recursive: true })
  const next = `${file}.${process.pid}.tmp`
  await writeFile(next, `${JSON.stringify(positions, null, 2)}\n`)
  await rename(next, file)
}
