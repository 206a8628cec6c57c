import { Hono } from 'hono'
import { AppError } from '../../../core/errors.js'
import { jsonBody } from '../body.js'
import type { Env } from '../env.js'

/** `POST /v1/schemas/validate`: lint a tool's input schema before registering its server. */
export const schemaRoutes = () => {
  const app = new Hono<Env>()
  app.post('/validate', async (c) => {
    const body = await jsonBody(c)
    if (
      typeof body !== 'object' ||
      body === null ||
      Array.isArray(body) ||
      !('input_schema' in body)
    ) {
      throw new AppError('request.invalid', 'input_schema: field required')
    }
    const extra = Object.keys(body).find((key) => key !== 'input_schema')
    if (extra) throw new AppError('request.invalid', `${extra}: unknown field`)
    const input = (body as { input_schema: unknown }).input_schema
    const { normalizeSchema, validateSchema } = await import('../../../core/schema/index.js')
    const { MAX_NESTING, tooDeep } = await import('../../../core/schema/depth.js')
    if (tooDeep(input))
      throw new AppError(
        'request.invalid',
        `input_schema: nested deeper than ${MAX_NESTING} levels`,
      )
    const normalized = normalizeSchema(input)
    return c.json(
      {
        raw: validateSchema(input),
        normalized: {
          schema: normalized.schema,
          status: normalized.status,
          reasons: normalized.reasons,
        },
      },
      200,
    )
  })
  return app
}
