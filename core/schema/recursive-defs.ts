import { defName } from './defs.js'
import { isObject, type Json, type JsonObject } from './json.js'

const refsIn = (value: Json, found: Set<string>): Set<string> => {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found))
  if (!isObject(value)) return found
  const name = defName(value.$ref)
  if (name !== undefined) found.add(name)
  Object.values(value).forEach((item) => refsIn(item, found))
  return found
}

const reachable = (start: string, edges: Map<string, Set<string>>): Set<string> => {
  const seen = new Set<string>()
  const stack = [...(edges.get(start) ?? [])]
  while (stack.length > 0) {
    const name = stack.pop()!
    if (seen.has(name)) continue
    seen.add(name)
    stack.push(...(edges.get(name) ?? []))
  }
  return seen
}

/** Definitions that reach themselves through `$ref`s: inlining them would never end. */
export const recursiveDefs = (defs: JsonObject): Set<string> => {
  const edges = new Map(Object.entries(defs).map(([name, def]) => [name, refsIn(def, new Set())]))
  return new Set([...edges.keys()].filter((name) => reachable(name, edges).has(name)))
}
