import type { StreamingApi } from 'hono/utils/stream'

export interface ConnectSettings {
  /** The API's public base URL; the request's own origin when absent. */
  publicUrl?: string
  /** How long the stream waits for the OAuth callback, and how often it looks. */
  waitMs: number
  pollMs: number
  /** An SSE comment this often while nothing else is sent (front doors cut idle streams). */
  keepAliveMs: number
}

export const CALLBACK_PATH = '/v1/tools/mcp/oauth/callback'

export const callbackUrl = (publicUrl: string | undefined, requestUrl: string) =>
  `${(publicUrl ?? new URL(requestUrl).origin).replace(/\/+$/, '')}${CALLBACK_PATH}`

const KEEP_ALIVE = Symbol('keep-alive')

/**
 * Letta's frames: `data: <json>` with no `event:` line (the official client drops named events),
 * and a `: keepalive` comment whenever the next event takes longer than `keepAliveMs`.
 */
export const sseFrames = async (
  out: StreamingApi,
  events: AsyncGenerator<Record<string, unknown>>,
  keepAliveMs: number,
) => {
  let next = events.next()
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined
      const tick = new Promise<typeof KEEP_ALIVE>((resolve) => {
        timer = setTimeout(() => resolve(KEEP_ALIVE), keepAliveMs)
      })
      const result = await Promise.race([next, tick]).finally(() => clearTimeout(timer))
      if (out.aborted) return
      if (result === KEEP_ALIVE) {
        await out.write(': keepalive\n\n')
        continue
      }
      if (result.done) return
      await out.write(`data: ${JSON.stringify(result.value)}\n\n`)
      next = events.next()
    }
  } finally {
    await events.return(undefined)
  }
}
