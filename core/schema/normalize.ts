import { closeObjects } from './close-objects.js'
import { tooDeep } from './depth.js'
import { appendHeartbeat } from './heartbeat.js'
import { inlineRefs } from './inline-refs.js'
import { isWorse, type Health } from './health.js'
import { isObject, type JsonObject } from './json.js'
import type { Pass } from './pass.js'
import { defaultRequired, fillRootDefaults } from './root-defaults.js'
import { settle, type Normalized } from './run-passes.js'
import { validateSchema } from './validate.js'

export type NormalizeOptions = { heartbeat?: boolean }

/**
 * The stored schema's health. Letta inlines a recursive definition ten levels deep and cuts it
 * off there; Hangar keeps it a `$ref` (its exact meaning, which strict-mode tool schemas accept),
 * which Letta's rules can only judge as an opaque object. Following the `$ref`s judges what they
 * point at: that verdict counts where it is the better one, so a recursive definition that is
 * itself strict makes a strict tool, and a `$ref` never judges lower than Letta would.
 */
export const storedHealth = (schema: JsonObject): Health => {
  const opaque = validateSchema(schema)
  const followed = validateSchema(schema, { followRefs: true })
  return isWorse(opaque.status, followed.status) ? followed : opaque
}

/** The list-time pass (Letta's `normalize_mcp_schema`, §3.2). */
export const LIST_TIME_PASSES: Pass[] = [closeObjects]

/** List-time normalisation followed by Letta's persisted-schema generation (§3.3). */
const storedPasses = (heartbeat: boolean): Pass[] => [
  closeObjects,
  fillRootDefaults,
  closeObjects,
  defaultRequired,
  inlineRefs,
  closeObjects,
  ...(heartbeat ? [appendHeartbeat] : []),
]

/**
 * The schema Hangar stores as `json_schema.parameters`, with its health. Never throws, never
 * lowers health, idempotent; `heartbeat: false` leaves out Letta's `request_heartbeat` flag.
 */
export const normalizeSchema = (input: unknown, options: NormalizeOptions = {}): Normalized => {
  const passes = storedPasses(options.heartbeat ?? true)
  if (!isObject(input)) {
    return settle({}, passes, storedHealth, [
      'input is not a JSON object; an empty object schema is used',
    ])
  }
  if (tooDeep(input)) {
    return { schema: input, ...validateSchema(input), warnings: ['input is nested too deeply'] }
  }
  return settle(input, passes, storedHealth)
}
