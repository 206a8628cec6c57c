import { tooDeep } from './depth.js'
import type { Health } from './health.js'
import { isObject } from './json.js'
import { LIST_TIME_PASSES } from './normalize.js'
import { runPasses } from './run-passes.js'
import { validateSchema } from './validate.js'

/** Letta computes no health for a missing or empty `{}` input schema, so it is never rejected. */
export const hasHealth = (inputSchema: unknown): boolean =>
  inputSchema !== undefined &&
  inputSchema !== null &&
  !(isObject(inputSchema) && Object.keys(inputSchema).length === 0)

/**
 * A listed tool's input schema after list-time normalisation, with the verdict it is listed with
 * (spec §3.4, §4.1 step 4): INVALID means rejected; no health for a missing or `{}` schema.
 */
export const listTime = (inputSchema: unknown): { schema: unknown; health: Health | null } => {
  if (!hasHealth(inputSchema)) return { schema: inputSchema, health: null }
  if (!isObject(inputSchema) || tooDeep(inputSchema))
    return { schema: inputSchema, health: validateSchema(inputSchema) }
  const { schema, status, reasons } = runPasses(inputSchema, LIST_TIME_PASSES)
  return { schema, health: { status, reasons } }
}

/** The verdict a tool is listed with: INVALID means rejected. */
export const listTimeHealth = (inputSchema: unknown): Health | null => listTime(inputSchema).health
