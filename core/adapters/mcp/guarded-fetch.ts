import { Agent, fetch as undiciFetch, type RequestInit as UndiciInit } from 'undici'
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import { createAddressGuard } from './address-guard.js'
import { InvalidResponseError } from './errors.js'
import { redirectedRequest, redirectTarget, type HopRequest } from './redirect.js'
import type { GuardOptions } from './types.js'

const MAX_REDIRECTS = 5

type Redirect = 'follow' | 'manual' | 'error'

export interface GuardedFetch {
  fetch: FetchLike
  /** The last error a request failed with; SSE's EventSource reports only its text. */
  lastError(): unknown
  close(): Promise<void>
}

/**
 * A fetch for the MCP transports that checks every hop: the URL (static rules), the addresses the
 * host resolves to (at connect time, so the socket goes to exactly the checked address) and each
 * redirect target. `secretHeaders` are dropped when a redirect leaves the origin.
 */
export const createGuardedFetch = (
  options: GuardOptions & { connectTimeoutMs: number; secretHeaders: string[] },
): GuardedFetch => {
  const guard = createAddressGuard(options)
  const agent = new Agent({
    connect: { lookup: guard.lookup, timeout: options.connectTimeoutMs },
    headersTimeout: 0,
    bodyTimeout: 0,
  })
  let failure: unknown

  const send = async (url: URL, request: HopRequest, mode: Redirect) => {
    for (let hop = 0; ; hop++) {
      guard.checkUrl(url)
      const headers = Object.fromEntries(request.headers)
      const init: UndiciInit = { ...request, headers, redirect: 'manual', dispatcher: agent }
      const response = await undiciFetch(url, init)
      const next = redirectTarget(response, url)
      if (!next || mode === 'manual') return response
      await response.body?.cancel()
      if (mode === 'error') throw new TypeError(`Redirect to ${next.origin} refused`)
      if (hop === MAX_REDIRECTS) throw new InvalidResponseError('Too many redirects (more than 5)')
      request = redirectedRequest(request, response.status, url, next, options.secretHeaders)
      url = next
    }
  }

  const fetch: FetchLike = async (input, init) => {
    try {
      const request: HopRequest = {
        method: init?.method ?? 'GET',
        headers: new Headers(init?.headers),
        body: init?.body as HopRequest['body'],
        signal: init?.signal ?? undefined,
      }
      const response = await send(new URL(input), request, init?.redirect ?? 'follow')
      return response as unknown as Response
    } catch (error) {
      failure = error
      throw error
    }
  }

  return { fetch, lastError: () => failure, close: () => agent.destroy() }
}
