import { isDeepStrictEqual } from 'node:util'
import { AppError } from '../errors.js'
import type { UpdateServerInput } from './schemas.js'
import { mergeMap, tokenFor } from './secrets.js'
import { pendingSync } from './sync-state.js'
import type { Secrets, ServerRecord } from './types.js'

export interface UpdateResult {
  server: ServerRecord
  /** The complete new secrets when any secret changed; undefined when they stay as stored. */
  secrets?: Secrets
  /** The way to reach the server changed, so its tools must be synced again. */
  reachChanged: boolean
}

interface Helpers {
  loadSecrets(): Promise<Secrets>
  checkUrl(raw: string): string
  now: string
}

/**
 * PATCH semantics: null or absent keeps the stored value; a secret sent back exactly as its mask
 * keeps the stored secret; an empty string token or an empty map clears that secret.
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
  const next: ServerRecord = { ...previous, masks: { ...previous.masks }, updatedAt: helpers.now }
  next.revision = previous.revision + 1
  if (input.server_name != null) next.name = input.server_name
  let reachChanged = false
  let secrets: Secrets | undefined
  const editSecrets = async () => (secrets ??= { ...(await helpers.loadSecrets()) })

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
      const env = mergeMap(config.env, current.env, previous.masks.env)
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
      const headers = mergeMap(
        config.custom_headers,
        current.customHeaders,
        previous.masks.customHeaders,
      )
      if (!isDeepStrictEqual(headers, current.customHeaders ?? {})) reachChanged = true
      current.customHeaders = Object.keys(headers).length ? headers : undefined
    }
  }
  if (secrets) secrets = JSON.parse(JSON.stringify(secrets)) as Secrets // drop undefined keys
  if (reachChanged) {
    next.configVersion = previous.configVersion + 1
    next.sync = pendingSync(previous.sync)
  }
  return { server: next, secrets, reachChanged }
}
