import { has } from './json.js'
import type { Pass } from './pass.js'

/** Spec §3.3 step 1: a root without `type` / `properties` gets `"object"` / `{}`. */
export const fillRootDefaults: Pass = {
  name: 'fillRootDefaults',
  apply(schema) {
    const typed = has(schema, 'type') ? schema : { ...schema, type: 'object' }
    return has(typed, 'properties') ? typed : { ...typed, properties: {} }
  },
}

/** Spec §3.3 step 3: zero-argument tools often omit `required`. */
export const defaultRequired: Pass = {
  name: 'defaultRequired',
  apply: (schema) => (has(schema, 'required') ? schema : { ...schema, required: [] }),
}
