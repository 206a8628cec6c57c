import { has, isObject, pyFalsy, type Json, type JsonObject } from './json.js'
import { pyStr } from './python.js'
import type { Reasons } from './reasons.js'

const allowsEmptyObject = (node: JsonObject): boolean =>
  node.type === 'object' &&
  pyFalsy(node.required) &&
  (has(node, 'additionalProperties') ? node.additionalProperties : true) === false

/** `undefined` where Python's `minItems > 0` raises a TypeError (a non-numeric `minItems`). */
const allowsEmptyArray = (node: JsonObject): boolean | undefined => {
  if (node.type !== 'array') return false
  const minItems = has(node, 'minItems') ? node.minItems : 0
  if (typeof minItems !== 'number' && typeof minItems !== 'boolean') return undefined
  return !(Number(minItems) > 0) && (node.items === undefined || node.items === null)
}

const isHashable = (key: Json): boolean => !Array.isArray(key) && !isObject(key)

/**
 * Letta checks `required` entries only when `properties` is a non-empty object. `view` gives
 * the schema a property stands for (a followed `$ref`); by default the property itself.
 */
export const checkRequired = (
  required: Json[],
  props: JsonObject,
  path: string,
  marks: Reasons,
  view: (prop: JsonObject) => JsonObject = (prop) => prop,
): void => {
  if (Object.keys(props).length === 0) return
  for (const key of required) {
    if (!isHashable(key)) {
      marks.invalid(`${path}: required contains a non-string entry ${JSON.stringify(key)}`)
    } else if (typeof key !== 'string' || !has(props, key)) {
      marks.invalid(`${path}: required contains '${pyStr(key)}' not found in properties`)
    } else {
      const listed = props[key]
      if (!isObject(listed)) continue
      const prop = view(listed)
      if (allowsEmptyObject(prop)) {
        marks.invalid(
          `${path}: required property '${key}' allows empty object (OpenAI will reject)`,
        )
      }
      const emptyArray = allowsEmptyArray(prop)
      if (emptyArray === undefined) {
        marks.invalid(`${path}: required property '${key}' has a non-numeric 'minItems'`)
      } else if (emptyArray) {
        marks.invalid(`${path}: required property '${key}' allows empty array (OpenAI will reject)`)
      }
    }
  }
}
