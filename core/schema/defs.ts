import { has, isObject, type Json, type JsonObject } from './json.js'

const DEFS_PREFIX = '#/$defs/'
const IDENTIFIERS = ['$id', '$anchor', '$dynamicAnchor', '$recursiveAnchor']

export const defsOf = (schema: JsonObject): JsonObject =>
  isObject(schema.$defs) ? schema.$defs : {}

/**
 * The definition name in `#/$defs/<name>`. Letta takes the last `/` segment of any `#/$defs/…`
 * pointer, which picks the wrong definition for deeper pointers; those are left alone here.
 */
export const defName = (ref: Json | undefined): string | undefined => {
  if (typeof ref !== 'string' || !ref.startsWith(DEFS_PREFIX)) return undefined
  const name = ref.slice(DEFS_PREFIX.length)
  return name.includes('/') ? undefined : name.replace(/~1/g, '/').replace(/~0/g, '~')
}

export const defFor = (ref: Json | undefined, defs: JsonObject): JsonObject | undefined => {
  const name = defName(ref)
  const def = name !== undefined && has(defs, name) ? defs[name] : undefined
  return isObject(def) ? def : undefined
}

/** Letta's resolveRefType: the definition's `type`, else `"object"`. */
export const typeRef = (node: JsonObject, defs: JsonObject): JsonObject => {
  if (has(node, 'type')) return node
  const def = defFor(node.$ref, defs)
  return { ...node, type: def && has(def, 'type') ? def.type! : 'object' }
}

/** Copies of a definition that declares an identifier would make ajv see it twice. */
export const declaresIdentifier = (value: Json): boolean => {
  if (Array.isArray(value)) return value.some(declaresIdentifier)
  if (!isObject(value)) return false
  return IDENTIFIERS.some((key) => has(value, key)) || Object.values(value).some(declaresIdentifier)
}
