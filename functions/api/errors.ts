import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { isAppError, type ErrorCode } from '../../core/errors.js'
import type { Log } from '../../core/ports.js'

const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  'auth.missingKey': 401,
  'auth.unknownKey': 401,
  'auth.tooManyFailures': 429,
  'request.invalid': 422,
  'request.badJson': 422,
  'server.notFound': 404,
  'server.nameTaken': 409,
  'server.conflict': 409,
  'server.unavailable': 404,
  'tool.notFound': 404,
  'upstream.failed': 502,
}

/** Requests the service refused as malformed: Hangar's bug, never a reason to retry. */
const REFUSED_AS_INVALID = ['ValidationException', 'SerializationException']

/** An AWS service error or a network fault reaching one (not a bug in Hangar). */
const isServiceFault = (error: Error) =>
  !REFUSED_AS_INVALID.includes(error.name) &&
  ('$metadata' in error || (error as { $retryable?: unknown }).$retryable !== undefined)

/** The one place where failures become HTTP answers, in Letta's body shapes. */
export const errorHandler = (log: Pick<Log, 'error' | 'warn'>) =>
  function onError(error: Error, c: Context) {
    if (isAppError(error)) {
      const status = statusOf[error.code]
      if (error.code === 'upstream.failed') {
        return c.json(
          {
            error: {
              type: 'mcp_connection_error',
              message: 'Failed to connect to MCP server.',
              detail: `INTERNAL_SERVER_ERROR: ${error.message}`,
            },
          },
          status,
        )
      }
      if (error.code === 'auth.tooManyFailures') c.header('Retry-After', '60')
      return c.json({ detail: error.detail }, status)
    }
    if (error instanceof HTTPException) {
      return c.json({ detail: error.message || 'Request refused' }, error.status)
    }
    if (isServiceFault(error)) {
      // AWS SDK clients already retried with backoff; the caller may retry the whole request.
      log.warn('service fault', { path: c.req.path, error: error.name })
      c.header('Retry-After', '1')
      return c.json({ detail: 'A backing service is unavailable; retry shortly' }, 503)
    }
    log.error('unhandled error', {
      path: c.req.path,
      method: c.req.method,
      error: error.name,
      reason: error.message,
    })
    return c.json({ detail: 'An unknown error occurred' }, 500)
  }
