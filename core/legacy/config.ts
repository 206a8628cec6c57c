import { AppError, isAppError } from '../errors.js'
import type { ServerRecord, ServerType } from '../registry/types.js'

/**
 * Letta's legacy name-based API (`/v1/tools/mcp/servers`) carries flat configs —
 * `{server_name, type, server_url | command, …}` — where the current API nests a `config` with
 * `mcp_server_type`. These translate between the two, so both share one registry.
 */

const TYPES: readonly ServerType[] = ['stdio', 'sse', 'streamable_http']
const HTTP_FIELDS = ['server_url', 'auth_header', 'auth_token', 'custom_headers']
const STDIO_FIELDS = ['command', 'args', 'env']

const asObject = (body: unknown, field = 'body'): Record<string, unknown> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('request.invalid', `${field}: must be object`)
  }
  return body as Record<string, unknown>
}

/**
 * The server type of a flat config: `type` when given; otherwise `command` means stdio and a URL
 * means sse (Letta's default). Unlike Letta, the fields must then fit that type.
 */
const typeOf = (config: Record<string, unknown>): ServerType => {
  const type = config.type
  if (type === undefined || type === null) return 'command' in config ? 'stdio' : 'sse'
  if (!TYPES.includes(type as ServerType)) {
    throw new AppError('request.invalid', 'type: must be one of "stdio", "sse", "streamable_http"')
  }
  return type as ServerType
}

/** A flat legacy config as the current API's create body. */
export const createBody = (body: unknown) => {
  const { server_name, type: _type, ...rest } = asObject(body)
  return { server_name, config: { mcp_server_type: typeOf(asObject(body)), ...rest } }
}

const pick = (source: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => k in source).map((k) => [k, source[k]]))

const unknownField = (source: Record<string, unknown>, allowed: string[]) => {
  const extra = Object.keys(source).find((k) => !allowed.includes(k))
  if (extra) throw new AppError('request.invalid', `${extra}: unknown field`)
}

/**
 * Letta's legacy update bodies, read for the stored server's type: `{server_name?, stdio_config?}`
 * for stdio; `{server_name?, server_url?, auth_header?, auth_token? | token?, custom_headers?}`
 * for sse and streamable_http. As in Letta, `custom_headers: null` clears the headers.
 */
export const updateBody = (body: unknown, type: ServerType) => {
  const input = asObject(body)
  const server_name = input.server_name
  if (type === 'stdio') {
    unknownField(input, ['server_name', 'stdio_config'])
    const stdio = input.stdio_config == null ? {} : asObject(input.stdio_config, 'stdio_config')
    unknownField(stdio, ['server_name', 'type', ...STDIO_FIELDS])
    if (stdio.type != null && stdio.type !== 'stdio') {
      throw new AppError('request.invalid', 'stdio_config.type: must be "stdio"')
    }
    return { server_name, config: { mcp_server_type: type, ...pick(stdio, STDIO_FIELDS) } }
  }
  unknownField(input, ['server_name', 'token', ...HTTP_FIELDS])
  if (input.token != null && input.auth_token != null) {
    throw new AppError('request.invalid', 'token: send either token or auth_token, not both')
  }
  const config: Record<string, unknown> = { mcp_server_type: type, ...pick(input, HTTP_FIELDS) }
  if (input.token != null) config.auth_token = input.token
  if ('custom_headers' in input && input.custom_headers === null) config.custom_headers = {}
  return { server_name, config }
}

/** Field names in errors as the flat body has them (`server_url`, not `config.server_url`). */
export const flatFields = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work()
  } catch (error) {
    if (!isAppError(error) || error.code !== 'request.invalid' || typeof error.detail !== 'string')
      throw error
    const detail = error.detail
      .replace(/^config\.mcp_server_type\b/, 'type')
      .replace(/^config\./, '')
    throw new AppError('request.invalid', detail, { cause: error })
  }
}

/** A server as Letta's legacy routes show it: a flat config, secrets masked. */
export const configView = (server: ServerRecord) => {
  if (server.type === 'stdio') {
    return {
      server_name: server.name,
      type: server.type,
      command: server.command ?? '',
      args: server.args ?? [],
      env: server.masks.env ?? null,
    }
  }
  return {
    server_name: server.name,
    type: server.type,
    server_url: server.serverUrl ?? '',
    auth_header: server.authHeader ?? null,
    auth_token: server.masks.authToken ?? null,
    custom_headers: server.masks.customHeaders ?? null,
  }
}
