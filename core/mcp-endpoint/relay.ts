import type { ServerNotification } from '@modelcontextprotocol/sdk/types.js'

type Progress = { progress: number; total?: number; message?: string }

/**
 * Passes notifications on in order and lets the handler wait for them before it returns its
 * result, so a client never sees the result before the progress that came ahead of it (a client
 * stops listening for a request's progress once the request is answered).
 */
export const notificationRelay = (send: (notification: ServerNotification) => Promise<void>) => {
  let chain = Promise.resolve()
  const relay = (notification: ServerNotification) => {
    chain = chain.then(() => send(notification)).catch(() => undefined)
  }
  return {
    relay,
    /** An `onprogress` for the upstream request, or none when the caller asked for no progress. */
    progress: (token: string | number | undefined) =>
      token === undefined
        ? undefined
        : (progress: Progress) =>
            relay({
              method: 'notifications/progress',
              params: { ...progress, progressToken: token },
            }),
    flushed: () => chain,
  }
}
