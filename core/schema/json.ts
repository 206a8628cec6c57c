export type Json = null | boolean | number | string | Json[] | JsonObject
export type JsonObject = { [key: string]: Json }

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export const has = (node: JsonObject, key: string): boolean => Object.hasOwn(node, key)

/** Python truthiness, which Letta's checks (`if not node_type`, `if not required`) rely on. */
export const pyFalsy = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  value === false ||
  value === 0 ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (isObject(value) && Object.keys(value).length === 0)

/** Copy-on-write helpers: they return the input itself when nothing changed. */
export const withKey = (node: JsonObject, key: string, value: Json): JsonObject =>
  node[key] === value && has(node, key) ? node : { ...node, [key]: value }

export const mapValues = (node: JsonObject, fn: (value: Json, key: string) => Json): JsonObject => {
  const entries = Object.entries(node).map(([key, value]) => [key, fn(value, key)] as const)
  return entries.every(([key, value]) => value === node[key]) ? node : Object.fromEntries(entries)
}

export const mapArray = (items: Json[], fn: (value: Json) => Json): Json[] => {
  const mapped = items.map(fn)
  return mapped.every((value, i) => value === items[i]) ? items : mapped
}
