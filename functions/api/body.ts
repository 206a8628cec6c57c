import type { Context } from 'hono'
import { AppError } from '../../core/errors.js'
import { MAX_ID_BYTES, tooLong } from './ids.js'

/** The JSON body, or a 422 naming the problem; an empty body reads as `emptyAs`. */
export const jsonBody = async (c: Context, emptyAs?: unknown): Promise<unknown> => {
  const text = await c.req.text()
  if (text.trim() === '' && emptyAs !== undefined) return emptyAs
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new AppError('request.badJson', 'body: not valid JSON')
  }
}

/** Optional `limit`/`after` paging parameters. */
export const paging = (c: Context, max = 1000, fallback = 200) => {
  const raw = c.req.query('limit')
  const limit = raw === undefined ? fallback : Number(raw)
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new AppError('request.invalid', `limit: must be an integer from 1 to ${max}`)
  }
  const after = c.req.query('after') || undefined
  if (after !== undefined && tooLong(after))
    throw new AppError('request.invalid', `after: must be an id of at most ${MAX_ID_BYTES} bytes`)
  return { limit, after }
}
