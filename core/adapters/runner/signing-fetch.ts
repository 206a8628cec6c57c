import { randomUUID } from 'node:crypto'
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { LaunchSpec } from '../../runner/policy.js'
import { sealLaunch } from '../../runner/sealed-launch.js'
import { signRequest } from '../../runner/signing.js'

export interface SigningOptions {
  now?: () => number
  /** The fetch that sends; the global one by default (the runner is a trusted internal address). */
  fetch?: FetchLike
}

/**
 * The body the runner reads: `{"launch": <sealed spec>, "message": <JSON-RPC>}`. The spec is sealed
 * for this request's nonce and path, so it opens only inside the request it was signed with.
 */
const withLaunch = (
  secret: string,
  launch: LaunchSpec,
  body: string | Uint8Array,
  binding: { nonce: string; path: string },
) => {
  const message = typeof body === 'string' ? body : new TextDecoder().decode(body)
  const sealed = JSON.stringify(sealLaunch(secret, launch, binding))
  return `{"launch":${sealed},"message":${message}}`
}

/**
 * A fetch that signs every request to the runner over its method, path and body. With `launch`,
 * each POST carries the server's launch spec, sealed, around the MCP message it sends.
 */
export const signingFetch =
  (secret: string, options: SigningOptions & { launch?: LaunchSpec } = {}): FetchLike =>
  async (input, init) => {
    const url = new URL(input)
    const path = `${url.pathname}${url.search}`
    const original = init?.body ?? ''
    if (typeof original !== 'string' && !(original instanceof Uint8Array)) {
      throw new TypeError('Requests to the runner must have a string or byte body')
    }
    const method = init?.method ?? 'GET'
    const now = options.now ?? Date.now
    const nonce = randomUUID()
    const body =
      options.launch && method.toUpperCase() === 'POST'
        ? withLaunch(secret, options.launch, original, { nonce, path })
        : original
    const headers = new Headers(init?.headers)
    const signature = signRequest(secret, { method, path, body }, now(), nonce)
    for (const [name, value] of Object.entries(signature)) headers.set(name, value)
    const sent = body === original ? init?.body : body
    return (options.fetch ?? fetch)(url, { ...init, method, headers, body: sent })
  }
