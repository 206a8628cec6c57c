import { McpTimeoutError } from './errors.js'

const abortError = () => new DOMException('The operation was aborted', 'AbortError')

/** Settles with `work`, or rejects once `ms` pass (McpTimeoutError) or `signal` aborts (AbortError). */
export const withDeadline = <T>(
  work: Promise<T>,
  ms: number,
  what: string,
  signal?: AbortSignal,
): Promise<T> => {
  let timer: NodeJS.Timeout | undefined
  let onAbort = () => {}
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new McpTimeoutError(`Timed out after ${ms} ms while ${what}`)),
      ms,
    )
    onAbort = () => reject(abortError())
    if (signal?.aborted) onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
  })
  return Promise.race([work, stop]).finally(() => {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  })
}
