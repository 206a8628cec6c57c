import type { Context, Next } from 'hono'
import type { ReplayCache } from '../../core/runner/replay-cache.js'
import type { LaunchBinding } from '../../core/runner/sealed-launch.js'
import { SIGNATURE_HEADERS, verifySignature } from '../../core/runner/signing.js'

/** The verified body, and the nonce and path it was signed with (a sealed launch is bound to them). */
export type RunnerEnv = { Variables: { body: Uint8Array; signed: LaunchBinding } }

const refusals = {
  missing: 'Missing request signature',
  stale: 'Request timestamp is outside the allowed window',
  invalid: 'Invalid request signature',
  replayed: 'Request already seen',
} as const

/** Only requests signed with the shared secret, fresh and never seen before, get past here. */
export const signedRequests = (options: {
  secret: string
  replay: ReplayCache
  now?: () => number
}) =>
  async function verifySigned(c: Context<RunnerEnv>, next: Next) {
    const now = options.now ?? Date.now
    const body = new Uint8Array(await c.req.arrayBuffer())
    const url = new URL(c.req.url)
    const parts = { method: c.req.method, path: `${url.pathname}${url.search}`, body }
    const check = verifySignature(options.secret, parts, c.req.raw.headers, now())
    if (!check.ok) return c.json({ detail: refusals[check.reason] }, 401)
    if (!options.replay.admit(check.signature, check.expiresAt, now())) {
      return c.json({ detail: refusals.replayed }, 401)
    }
    c.set('body', body)
    c.set('signed', { nonce: c.req.header(SIGNATURE_HEADERS.nonce) ?? '', path: parts.path })
    await next()
  }
