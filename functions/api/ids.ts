import type { MiddlewareHandler } from 'hono'

/**
 * Far longer than any id Hangar issues (`mcp_server-<uuid4>` is 47 bytes) and far below what a
 * DynamoDB key may hold, so a longer id is answered here and never reaches storage.
 */
export const MAX_ID_BYTES = 256

export const tooLong = (value: string) => Buffer.byteLength(value) > MAX_ID_BYTES

const decoded = (segment: string) => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** No resource has a path segment (an id) longer than MAX_ID_BYTES: 404 before any lookup. */
export const longIdsNotFound: MiddlewareHandler = async (c, next) => {
  if (c.req.path.split('/').some((segment) => tooLong(decoded(segment))))
    return c.json({ detail: `Not Found (ids are at most ${MAX_ID_BYTES} bytes)` }, 404)
  await next()
}
