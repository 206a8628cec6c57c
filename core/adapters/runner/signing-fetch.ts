import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import { signRequest } from '../../runner/signing.js'

export interface SigningOptions {
  now?: () => number
  /** The fetch that sends; the global one by default (the runner is a trusted internal address). */
  fetch?: FetchLike
}

/** A fetch that signs every request to the runner over its method, path and body. */
export const signingFetch =
  (secret: string, options: SigningOptions = {}): FetchLike =>
  async (input, init) => {
    const url = new URL(input)
    const body = init?.body ?? ''
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
      throw new TypeError('Requests to the runner must have a string or byte body')
    }
    const method = init?.method ?? 'GET'
    const now = options.now ?? Date.now
    const headers = new Headers(init?.headers)
    const signature = signRequest(
      secret,
      { method, path: `${url.pathname}${url.search}`, body },
      now(),
    )
    for (const [name, value] of Object.entries(signature)) headers.set(name, value)
    return (options.fetch ?? fetch)(url, { ...init, method, headers })
  }
