import { createHash, randomBytes } from 'node:crypto'
import { AppError } from './errors.js'
import type { ApiKeyStore } from './ports.js'

export const hashKey = (key: string): string =>
  createHash('sha256').update(key, 'utf8').digest('hex')

export const newApiKey = (): string => `hgr_${randomBytes(32).toString('base64url')}`

export const ORGANIZATION_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/

const CACHE_MS = 30_000
const CACHE_SIZE = 1000
/** Unknown keys are remembered this long, so repeating one costs no lookup. */
const MISS_MS = 10_000
/** Failed keys one client may try per window before it is refused without a lookup. */
export const MAX_FAILURES = 20
const FAILURE_WINDOW_MS = 60_000

/** A bounded map whose entries expire; the oldest entry goes first when it is full. */
const expiring = <T>(now: () => number) => {
  const entries = new Map<string, { value: T; until: number }>()
  return {
    get: (key: string): T | undefined => {
      const entry = entries.get(key)
      return entry && entry.until > now() ? entry.value : undefined
    },
    set: (key: string, value: T, ms: number) => {
      entries.delete(key)
      if (entries.size >= CACHE_SIZE) entries.delete(entries.keys().next().value as string)
      entries.set(key, { value, until: now() + ms })
    },
  }
}

/**
 * Resolves `Authorization: Bearer <key>` to an organization. Hits are cached briefly per process
 * (a revoked key stops working within CACHE_MS), and so are misses (MISS_MS). A client (as the
 * front door saw it) that sent MAX_FAILURES unknown keys in a window gets 429s without lookups.
 */
export const authenticator = (store: ApiKeyStore, now = () => Date.now()) => {
  const hits = expiring<string>(now)
  const misses = expiring<true>(now)
  const failures = expiring<number>(now)
  return async (header: string | undefined, client = 'unknown'): Promise<string> => {
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
    const hit = hits.get(hash)
    if (hit) return hit
    const failed = failures.get(client) ?? 0
    if (failed >= MAX_FAILURES)
      throw new AppError('auth.tooManyFailures', 'Too many invalid API keys; retry in a minute')
    const org = misses.get(hash) ? undefined : await store.organizationFor(hash)
    if (!org) {
      misses.set(hash, true, MISS_MS)
      failures.set(client, failed + 1, FAILURE_WINDOW_MS)
      throw new AppError('auth.unknownKey', 'Invalid API key')
    }
    hits.set(hash, org, CACHE_MS)
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
