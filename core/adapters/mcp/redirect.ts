const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

export interface HopRequest {
  method: string
  headers: Headers
  body?: string | Uint8Array | null
  signal?: AbortSignal
}

export const redirectTarget = (
  response: { status: number; headers: { get(name: string): string | null } },
  from: URL,
): URL | undefined => {
  const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null
  if (!location) return undefined
  try {
    return new URL(location, from)
  } catch {
    return undefined
  }
}

/** The request for the next hop, as fetch would make it; secrets stay with the original origin. */
export const redirectedRequest = (
  request: HopRequest,
  status: number,
  from: URL,
  to: URL,
  secretHeaders: string[],
): HopRequest => {
  const headers = new Headers(request.headers)
  if (from.origin !== to.origin) {
    for (const name of [...secretHeaders, 'authorization', 'cookie']) headers.delete(name)
  }
  const toGet =
    (status === 303 && request.method !== 'HEAD') ||
    ((status === 301 || status === 302) && request.method === 'POST')
  if (!toGet) return { ...request, headers }
  for (const name of ['content-type', 'content-length', 'content-encoding']) headers.delete(name)
  return { ...request, method: 'GET', headers, body: null }
}
