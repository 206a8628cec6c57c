export { contentHash, validatorFor, type Validation, type Validator } from './compile.js'
export type { Health, SchemaStatus } from './health.js'
export { REQUEST_HEARTBEAT_DESCRIPTION, REQUEST_HEARTBEAT_PARAM } from './heartbeat.js'
export type { Json, JsonObject } from './json.js'
export { hasHealth, listTime, listTimeHealth } from './list-time.js'
export { normalizeSchema, storedHealth, type NormalizeOptions } from './normalize.js'
export type { Normalized } from './run-passes.js'
export {
  toolJsonSchema,
  type ToolDefinition,
  type ToolJsonSchema,
  type ToolSchemaRecord,
} from './tool-json-schema.js'
export { validateSchema } from './validate.js'
