import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { classifyError, type ClassifiedError } from '../mcp/classify-error.js'

const POSTED = 'Streamable HTTP error: Error POSTing to endpoint: '

/** The runner's `{"detail": …}` from the SDK's error text, or the text itself. */
const detailOf = (error: StreamableHTTPError): string => {
  const text = error.message.startsWith(POSTED) ? error.message.slice(POSTED.length) : error.message
  try {
    const detail = (JSON.parse(text) as { detail?: unknown }).detail
    return typeof detail === 'string' ? detail : text
  } catch {
    return text
  }
}

const byStatus: Record<number, (detail: string) => ClassifiedError> = {
  400: (detail) => ({ code: 'other', message: `The stdio runner refused the request: ${detail}` }),
  401: () => ({
    code: 'other',
    message:
      'The stdio runner refused the request signature; the functions and the runner must share HANGAR_RUNNER_SECRET',
  }),
  // The runner's own 404 is a deleted server; any other 404 is a wrong runner URL.
  404: (detail) =>
    detail.endsWith(' was deleted')
      ? { code: 'not_found', message: detail }
      : { code: 'other', message: `The stdio runner has no such endpoint: ${detail}` },
  422: (detail) => ({ code: 'other', message: `Launch refused by policy: ${detail}` }),
  502: (detail) => ({ code: 'other', message: detail }),
  503: (detail) => ({
    code: 'unavailable',
    message: `The stdio runner cannot take it now (temporary): ${detail}`,
    transient: true,
  }),
}

const refused = (error: unknown) =>
  error instanceof Error &&
  [error, error.cause].some((e) => (e as { code?: unknown } | undefined)?.code === 'ECONNREFUSED')

/** Like classifyError, but reads the runner's own answers (policy refusals, crashes, busy). */
export const classifyRunnerError = (error: unknown): ClassifiedError => {
  if (error instanceof StreamableHTTPError && typeof error.code === 'number') {
    const rule = byStatus[error.code]
    if (rule) return { ...rule(detailOf(error)) }
  }
  if (refused(error)) {
    return {
      code: 'connection_refused',
      message: 'The stdio runner is not reachable; is it running?',
    }
  }
  return classifyError(error)
}
