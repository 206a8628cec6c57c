import { createHash } from 'node:crypto'

/**
 * A tool's id, derived from its server's id and its name (laid out as a version 8 UUID, the
 * custom kind): two syncs that race — a refresh or an add that took over a slow sync whose writes
 * were already on their way — store a new tool under the same id, so the id a caller was given
 * is the one that stays. Ids of stored tools never change; another server never shares one.
 */
export const toolId = (serverId: string, name: string): string => {
  const hash = createHash('sha256')
    .update(JSON.stringify([serverId, name]))
    .digest()
  hash[6] = (hash[6]! & 0x0f) | 0x80
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  const parts = [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ]
  return `tool-${parts.join('-')}`
}
