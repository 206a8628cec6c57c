import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js'
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js'
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js'
import { isReauth, OAuthTransientError } from '../../oauth/errors.js'
import type { SyncErrorCode } from '../../registry/types.js'
import { redactSecrets } from '../../redact.js'
import { secretsOf } from './error-secrets.js'
import { BlockedUrlError, InvalidResponseError, McpTimeoutError } from './errors.js'

export interface ClassifiedError {
  code: SyncErrorCode
  message: string
  /** A cause that may pass by itself (HTTP 429 or 5xx): worth an automatic retry. */
  transient?: boolean
}

type Rule = (e: Error & Record<string, unknown>) => ClassifiedError | undefined

const NOT_MCP = 'The server is not returning valid MCP (JSON-RPC) responses'
const TIMEOUT_CODES = [
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]
const DNS_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA']
// The SSE transport reports a refused POST only in the text of a plain Error.
const SSE_POST_STATUS = /^Error POSTing to endpoint \(HTTP (\d{3})\)/
const NOT_JSON_RPC: number[] = [
  ErrorCode.ParseError,
  ErrorCode.InvalidRequest,
  ErrorCode.MethodNotFound,
]

type Transport = 'sse' | 'streamable_http'

/** What to say when the other transport would likely have worked. */
const OTHER_TRANSPORT: Record<Transport, string> = {
  streamable_http:
    'If it is an SSE server (its URL often ends in /sse), register it with mcp_server_type "sse"',
  sse: 'If it is a Streamable HTTP server (its URL often ends in /mcp), register it with mcp_server_type "streamable_http"',
}

const httpStatus = (code: number, transport?: Transport): ClassifiedError => {
  if (code === 401 || code === 403) {
    return {
      code: 'unauthorized',
      message: `The MCP server refused the credentials (HTTP ${code})`,
    }
  }
  // A POST to an SSE endpoint is typically 404/405; an SSE GET to a Streamable HTTP endpoint
  // typically 400 (no session) or 405.
  const hint = transport ? `. ${OTHER_TRANSPORT[transport]}` : ''
  if (code === 404) {
    const message = `Nothing found at the URL (HTTP 404); check that it is the server's MCP endpoint${hint}`
    return { code: 'not_found', message }
  }
  if (code === -1 || code === 200)
    return { code: 'invalid_response', message: `${NOT_MCP} (unexpected content type)` }
  const mismatch =
    (transport === 'streamable_http' && code === 405) ||
    (transport === 'sse' && (code === 400 || code === 405))
  const answered = {
    code: 'other' as const,
    message: `The MCP server answered HTTP ${code}${mismatch ? hint : ''}`,
  }
  return code === 429 || code >= 500 ? { ...answered, transient: true } : answered
}

const TLS_TO_PLAIN = /^ERR_SSL_(WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST)$/
const CERT_CODES = [
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]

/** undici's words for a socket closed under it: after the response began, or before. */
const closedSocket = (e: Error & Record<string, unknown>) =>
  e.code === 'UND_ERR_SOCKET' || e.code === 'ECONNRESET' || e.code === 'EPIPE'

const rules: Rule[] = [
  (e) => (isReauth(e) ? { code: 'unauthorized', message: e.message } : undefined),
  (e) => (e instanceof OAuthTransientError ? { code: 'other', message: e.message } : undefined),
  (e) => (e instanceof BlockedUrlError ? { code: 'blocked_url', message: e.message } : undefined),
  (e) => (e instanceof McpTimeoutError ? { code: 'timeout', message: e.message } : undefined),
  (e) =>
    e.name === 'AbortError' ||
    e.name === 'TimeoutError' ||
    (e instanceof McpError && e.code === ErrorCode.RequestTimeout) ||
    TIMEOUT_CODES.includes(String(e.code))
      ? { code: 'timeout', message: `The MCP server did not answer in time (${e.message})` }
      : undefined,
  (e) =>
    e.code === 'ECONNREFUSED'
      ? {
          code: 'connection_refused',
          message: `Connection refused at ${e.address}:${e.port}; is the server running?`,
        }
      : undefined,
  (e) =>
    e.message === 'terminated' && e.cause instanceof Error && closedSocket(e.cause as never)
      ? {
          code: 'invalid_response',
          message: `${NOT_MCP}: the answer was cut off before its end`,
        }
      : undefined,
  (e) =>
    closedSocket(e)
      ? {
          code: 'connection_refused',
          message: 'The MCP server closed the connection without answering; is it crashing?',
        }
      : undefined,
  (e) =>
    DNS_CODES.includes(String(e.code))
      ? { code: 'dns', message: `Cannot resolve hostname: ${e.hostname}` }
      : undefined,
  (e) =>
    TLS_TO_PLAIN.test(String(e.code)) ||
    (e.code === 'EPROTO' && /wrong version number|packet length too long/.test(e.message))
      ? {
          code: 'other',
          message:
            'The URL starts with https:// but the server answered in plain HTTP (no TLS); use http:// for it',
        }
      : undefined,
  (e) =>
    CERT_CODES.includes(String(e.code))
      ? {
          code: 'other',
          message: `The server's TLS certificate is not trusted (${String(e.code)}); it needs a certificate from a public certificate authority`,
        }
      : undefined,
  (e) =>
    e instanceof StreamableHTTPError && typeof e.code === 'number'
      ? httpStatus(e.code, 'streamable_http')
      : undefined,
  (e) =>
    e instanceof SseError && typeof e.code === 'number' ? httpStatus(e.code, 'sse') : undefined,
  (e) => {
    const status = SSE_POST_STATUS.exec(e.message)?.[1]
    return status ? httpStatus(Number(status)) : undefined
  },
  (e) =>
    e instanceof UnauthorizedError
      ? { code: 'unauthorized', message: 'The MCP server requires authorization' }
      : undefined,
  (e) =>
    e instanceof InvalidResponseError
      ? { code: 'invalid_response', message: `${NOT_MCP}: ${e.message}` }
      : undefined,
  (e) =>
    e.name === 'ZodError' ||
    e instanceof SyntaxError ||
    (e instanceof McpError && NOT_JSON_RPC.includes(e.code))
      ? { code: 'invalid_response', message: NOT_MCP }
      : undefined,
]

const chain = (error: unknown): (Error & Record<string, unknown>)[] => {
  const errors = []
  for (let e = error; e instanceof Error && errors.length < 6; e = e.cause) errors.push(e)
  return errors as (Error & Record<string, unknown>)[]
}

const redact = redactSecrets

/**
 * Maps whatever an MCP operation threw to a sync error code and a message for humans. Header values
 * of the target (known for errors from withClient, or passed as `secrets`) are cut out.
 */
export const classifyError = (error: unknown, extraSecrets: string[] = []): ClassifiedError => {
  const secrets = [...secretsOf(error), ...extraSecrets]
  const errors = chain(error)
  for (const rule of rules) {
    for (const e of errors) {
      const found = rule(e)
      if (found) return { ...found, message: redact(found.message, secrets) }
    }
  }
  const text = errors.map((e) => e.message).join(': ') || String(error)
  return { code: 'other', message: redact(`MCP request failed: ${text}`, secrets).slice(0, 500) }
}

/** Whether an MCP operation failed because the server answered HTTP 401. */
export const isHttp401 = (error: unknown): boolean =>
  chain(error).some(
    (e) =>
      ((e instanceof StreamableHTTPError || e instanceof SseError) && e.code === 401) ||
      SSE_POST_STATUS.exec(e.message)?.[1] === '401',
  )
