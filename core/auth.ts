import { createHash, randomBytes } from 'node:crypto'
import { AppError } from './errors.js'
import type { ApiKeyStore } from './ports.js'

export const hashKey = (key: string): string =>
  createHash('sha256').update(key, 'utf8').digest('hex')

export const newApiKey = (): string => `hgr_${randomBytes(32).toString('base64url')}`

export const ORGANIZATION_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/

const CACHE_MS = 30_000
const CACHE_SIZE = 1000

/**
 * Resolves `Authorization: Bearer <key>` to an organization. Hits are cached briefly per process
 * (a revoked key stops working within CACHE_MS); misses are not cached.
 */
export const authenticator = (store: ApiKeyStore, now = () => Date.now()) => {
  const cache = new Map<string, { org: string; until: number }>()
  return async (header: string | undefined): Promise<string> => {
    const key = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1]
    const given = header?.trim()
    if (!key && given) {
      const scheme = /^\S+\s+\S/.test(given)
      throw new AppError(
        'auth.missingKey',
        scheme
          ? 'The Authorization header must be "Bearer <key>"; it uses another scheme'
          : 'The Authorization header must be "Bearer <key>": put "Bearer " before the key',
      )
    }
    if (!key)
      throw new AppError('auth.missingKey', 'Missing API key: send Authorization: Bearer <key>')
    const hash = hashKey(key)
    const hit = cache.get(hash)
    if (hit && hit.until > now()) return hit.org
    const org = await store.organizationFor(hash)
    if (!org) throw new AppError('auth.unknownKey', 'Invalid API key')
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string)
    cache.set(hash, { org, until: now() + CACHE_MS })
    return org
  }
}

/** Creates a key for an organization and returns it; only its hash is stored. */
export const createApiKey = async (
  store: ApiKeyStore,
  organizationId: string,
  label = 'default',
) => {
  if (!ORGANIZATION_ID.test(organizationId)) {
    throw new AppError(
      'request.invalid',
      'organization must be 1-63 characters of a-z, 0-9, "-" and "_", starting with a letter or digit',
    )
  }
  const key = newApiKey()
  await store.put(hashKey(key), organizationId, label)
  return key
}
