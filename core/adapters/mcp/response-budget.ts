import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import { InvalidResponseError } from './errors.js'

const MB = 1024 * 1024
/** Bytes one connection may receive in all: a whole `tools/list` run, or one tool call. */
export const MAX_LIST_BYTES = 32 * MB
export const MAX_CALL_BYTES = 8 * MB

export interface ResponseBudget {
  /** The same fetch, whose response bodies count against the budget and fail past it. */
  fetch: FetchLike
  /** Rejects when the budget is spent, so a request waiting on an SSE stream fails at once. */
  overflow: Promise<never>
}

/**
 * Counts every byte the upstream sends over one connection (JSON bodies and SSE streams alike) and
 * aborts the body past `maxBytes`, so no answer, SSE line or tool listing can grow without bound.
 */
export const responseBudget = (inner: FetchLike, maxBytes: number): ResponseBudget => {
  let used = 0
  let fail: (error: Error) => void = () => undefined
  const overflow = new Promise<never>((_, reject) => (fail = reject))
  overflow.catch(() => undefined)
  const tooLarge = () => {
    const error = new InvalidResponseError(`response larger than ${maxBytes / MB} MB`)
    fail(error)
    return error
  }
  const counted = (response: Response): Response => {
    if (!response.body) return response
    const declared = Number(response.headers.get('content-length') ?? 0)
    if (used + declared > maxBytes) {
      void response.body.cancel().catch(() => undefined)
      throw tooLarge()
    }
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          used += chunk.byteLength
          if (used > maxBytes) controller.error(tooLarge())
          else controller.enqueue(chunk)
        },
      }),
    )
    const { status, statusText, headers } = response
    return new Response(body, { status, statusText, headers })
  }
  return { fetch: async (input, init) => counted(await inner(input, init)), overflow }
}
