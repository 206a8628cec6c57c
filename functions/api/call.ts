import type { Context } from 'hono'
import { AppError } from '../../core/errors.js'
import type { Log } from '../../core/ports.js'
import { parseAgentId, parseVariables, type CallContext } from '../../core/templates/context.js'
import { jsonBody } from './body.js'

/** `?agent_id=` and the body's `variables`: what this call brings to the MCP server. */
export const callContext = (c: Context, log: Log, variables?: unknown): CallContext => ({
  agentId: parseAgentId(c.req.query('agent_id')),
  variables: parseVariables(variables),
  log,
})

/** An optional JSON object body; `variables` is taken out, the rest is returned. */
export const splitVariables = async (c: Context) => {
  const body = await jsonBody(c, {})
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('request.invalid', 'body: must be object')
  }
  const { variables, ...rest } = body as Record<string, unknown>
  return { variables, rest }
}

/** A refresh's optional body, which may only carry `variables`. */
export const refreshContext = async (c: Context, log: Log): Promise<CallContext> => {
  const { variables, rest } = await splitVariables(c)
  const extra = Object.keys(rest)[0]
  if (extra) throw new AppError('request.invalid', `${extra}: unknown field`)
  return callContext(c, log, variables)
}
