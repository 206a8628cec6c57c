import { AppError } from '../errors.js'
import type { CreateServerInput, UpdateServerInput } from './schemas.js'

/**
 * Headers Hangar's HTTP client and the MCP transport own: hop-by-hop and framing headers (a
 * `Content-Length` of the user's would make every request hang), `Host`, and the MCP protocol's own.
 */
const RESERVED = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'last-event-id',
  'mcp-protocol-version',
  'mcp-session-id',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

export const isReservedHeader = (name: string) => {
  const lower = name.toLowerCase()
  return RESERVED.has(lower) || lower.startsWith('proxy-')
}

/** C0/C1 controls, and the bidirectional controls that make a name read as another one. */
const UNSAFE_IN_NAMES = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u

const refuse = (field: string, why: string): never => {
  throw new AppError('request.invalid', `${field}: ${why}`)
}

const checkName = (name: string): string => {
  if (UNSAFE_IN_NAMES.test(name))
    refuse('server_name', 'contains control or bidirectional characters')
  return name.normalize('NFC')
}

/**
 * Rules the body schema cannot state: reserved header names (in any case) and server names, which
 * are stored in NFC so that two spellings of one name are one name.
 */
export const checkInput = <T extends CreateServerInput | UpdateServerInput>(input: T): T => {
  const config = input.config
  if (config.mcp_server_type !== 'stdio') {
    if (config.auth_header != null && isReservedHeader(config.auth_header))
      refuse('config.auth_header', `"${config.auth_header}" is set by Hangar and cannot be sent`)
    const reserved = Object.keys(config.custom_headers ?? {}).find(isReservedHeader)
    if (reserved !== undefined)
      refuse('config.custom_headers', `"${reserved}" is set by Hangar and cannot be sent`)
  }
  if (typeof input.server_name === 'string') input.server_name = checkName(input.server_name)
  return input
}
