import { deepEqual } from './canonical.js'
import { has, isObject, type JsonObject } from './json.js'
import type { Pass } from './pass.js'

export const REQUEST_HEARTBEAT_PARAM = 'request_heartbeat'

export const REQUEST_HEARTBEAT_DESCRIPTION =
  'Request an immediate heartbeat after function execution. You MUST set this value to `True` if ' +
  'you want to send a follow-up message or run a follow-up tool call (chain multiple tools ' +
  'together). If set to `False` (the default), then the chain of execution will end immediately ' +
  'after this function call.'

const heartbeatParam = (): JsonObject => ({
  type: 'boolean',
  description: REQUEST_HEARTBEAT_DESCRIPTION,
})

/** Spec §3.3 step 5: Letta's own flag, overwriting a server-provided parameter of that name. */
export const appendHeartbeat: Pass = {
  name: 'appendHeartbeat',
  apply(schema, warn) {
    const { properties, required } = schema
    if (!isObject(properties) || !Array.isArray(required)) {
      warn(`'${REQUEST_HEARTBEAT_PARAM}' not added: 'properties' or 'required' is malformed`)
      return schema
    }
    const current = properties[REQUEST_HEARTBEAT_PARAM]
    const present = deepEqual(current, heartbeatParam())
    if (has(properties, REQUEST_HEARTBEAT_PARAM) && !present) {
      warn(`the server's '${REQUEST_HEARTBEAT_PARAM}' parameter is replaced by Letta's flag`)
    }
    const listed = required.includes(REQUEST_HEARTBEAT_PARAM)
    if (present && listed) return schema
    return {
      ...schema,
      properties: present
        ? properties
        : { ...properties, [REQUEST_HEARTBEAT_PARAM]: heartbeatParam() },
      required: listed ? required : [...required, REQUEST_HEARTBEAT_PARAM],
    }
  },
}
