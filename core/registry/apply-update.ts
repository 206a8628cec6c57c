import { isDeepStrictEqual } from 'node:util'
import { AppError } from '../errors.js'
import type { UpdateServerInput } from './schemas.js'
import { masksFor as masksOf, mergeMap, tokenFor } from './secrets.js'
import { pendingSync } from './sync-state.js'
import type { SecretMasks, Secrets, ServerRecord } from './types.js'

export interface UpdateResult {
  server: ServerRecord
  /** The complete new secrets when any secret changed; undefined when they stay as stored. */
  secrets?: Secrets
  /** The way to reach the server changed, so its tools must be synced again. */
  reachChanged: boolean
  /** Stored secrets dropped because the server moved and the request did not send them again. */
  droppedSecrets: string[]
}

interface Helpers {
  loadSecrets(): Promise<Secrets>
  checkUrl(raw: string): string
  now: string
}

const originOf = (url: string | undefined) => {
  try {
    return url === undefined ? undefined : new URL(url).origin
  } catch {
    return undefined
  }
}

/** Whether the request sends the server somewhere else: a new origin, command or arguments. */
const moves = (previous: ServerRecord, config: UpdateServerInput['config']): boolean =>
  config.mcp_server_type === 'stdio'
    ? (config.command != null && config.command !== previous.command) ||
      (config.args != null && !isDeepStrictEqual(config.args, previous.args))
    : config.server_url != null && originOf(config.server_url) !== originOf(previous.serverUrl)

/** The names of the stored secrets, as the request body spells them. */
const secretNames = (masks: SecretMasks): string[] => [
  ...(masks.authToken === undefined ? [] : ['auth_token']),
  ...Object.keys(masks.customHeaders ?? {}).map((k) => `custom_headers.${k}`),
  ...Object.keys(masks.env ?? {}).map((k) => `env.${k}`),
]

/**
 * PATCH semantics: null or absent keeps the stored value; a secret sent back exactly as its mask
 * keeps the stored secret; an empty string token or an empty map clears that secret. A request that
 * moves the server (new URL origin, stdio command or args) keeps no stored secret: they would go to
 * a place their owner never sent them to, so only the secrets this request sends again survive.
 */
export const applyUpdate = async (
  previous: ServerRecord,
  input: UpdateServerInput,
  helpers: Helpers,
): Promise<UpdateResult> => {
  const config = input.config
  if (config.mcp_server_type !== previous.type) {
    throw new AppError(
      'request.invalid',
      `config.mcp_server_type: must be "${previous.type}" (a server's type cannot change)`,
    )
  }
  const moved = moves(previous, config)
  // A moved server starts from no secrets, and a mask sent back no longer stands for one.
  const stored: SecretMasks = moved ? {} : previous.masks
  const next: ServerRecord = { ...previous, masks: { ...previous.masks }, updatedAt: helpers.now }
  next.revision = previous.revision + 1
  if (input.server_name != null) next.name = input.server_name
  let reachChanged = false
  let secrets: Secrets | undefined
  const editSecrets = async () => (secrets ??= moved ? {} : { ...(await helpers.loadSecrets()) })
  const unmasked = (incoming: Record<string, string>, masks?: Record<string, string>) =>
    Object.fromEntries(Object.entries(incoming).filter(([k, v]) => masks?.[k] !== v))

  if (config.mcp_server_type === 'stdio') {
    if (config.command != null && config.command !== previous.command) {
      next.command = config.command
      reachChanged = true
    }
    if (config.args != null && !isDeepStrictEqual(config.args, previous.args)) {
      next.args = config.args
      reachChanged = true
    }
    if (config.env != null) {
      const current = await editSecrets()
      const sent = moved ? unmasked(config.env, previous.masks.env) : config.env
      const env = mergeMap(sent, current.env, stored.env)
      if (!isDeepStrictEqual(env, current.env ?? {})) reachChanged = true
      current.env = Object.keys(env).length ? env : undefined
    }
  } else {
    if (config.server_url != null && config.server_url !== previous.serverUrl) {
      next.serverUrl = helpers.checkUrl(config.server_url)
      reachChanged = true
    }
    if (config.auth_header != null && config.auth_header !== previous.authHeader) {
      next.authHeader = config.auth_header
      reachChanged = true
    }
    if (config.auth_token != null && config.auth_token !== previous.masks.authToken) {
      const current = await editSecrets()
      const header = next.authHeader ?? 'Authorization'
      next.authHeader = header
      const token = config.auth_token === '' ? undefined : tokenFor(header, config.auth_token)
      if (token !== current.authToken) reachChanged = true
      current.authToken = token
    }
    if (config.custom_headers != null) {
      const current = await editSecrets()
      const sent = moved
        ? unmasked(config.custom_headers, previous.masks.customHeaders)
        : config.custom_headers
      const headers = mergeMap(sent, current.customHeaders, stored.customHeaders)
      if (!isDeepStrictEqual(headers, current.customHeaders ?? {})) reachChanged = true
      current.customHeaders = Object.keys(headers).length ? headers : undefined
    }
  }
  if (moved && previous.sealed) await editSecrets()
  if (secrets) secrets = JSON.parse(JSON.stringify(secrets)) as Secrets // drop undefined keys
  const kept = new Set(secrets ? secretNames(masksOf(secrets)) : [])
  const droppedSecrets = moved ? secretNames(previous.masks).filter((n) => !kept.has(n)) : []
  if (droppedSecrets.length) reachChanged = true
  if (reachChanged) {
    next.configVersion = previous.configVersion + 1
    next.sync = pendingSync(previous.sync)
  }
  return { server: next, secrets, reachChanged, droppedSecrets }
}
