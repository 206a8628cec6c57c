import { defName } from './defs.js'
import { has, isObject, type Json, type JsonObject } from './json.js'

const refsIn = (value: Json, found: Set<string>): Set<string> => {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found))
  if (!isObject(value)) return found
  const name = defName(value.$ref)
  if (name !== undefined) found.add(name)
  Object.values(value).forEach((item) => refsIn(item, found))
  return found
}

/**
 * Definitions that reach themselves through `$ref`s: inlining them would never end. Tarjan's
 * strongly connected components, without recursion: linear in definitions and references, so a
 * hostile schema with thousands of chained definitions costs milliseconds, not minutes.
 */
export const recursiveDefs = (defs: JsonObject): Set<string> => {
  const refs = (name: string) => [...refsIn(defs[name]!, new Set())].filter((to) => has(defs, to))
  const edges = new Map(Object.keys(defs).map((name) => [name, refs(name)]))
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const recursive = new Set<string>()
  for (const start of edges.keys()) {
    if (index.has(start)) continue
    const work: [string, number][] = [[start, 0]]
    while (work.length > 0) {
      const frame = work[work.length - 1]!
      const [name, next] = frame
      if (next === 0) {
        index.set(name, index.size)
        low.set(name, index.get(name)!)
        stack.push(name)
        onStack.add(name)
      }
      const targets = edges.get(name)!
      if (next < targets.length) {
        frame[1] = next + 1
        const target = targets[next]!
        if (!index.has(target)) work.push([target, 0])
        else if (onStack.has(target)) low.set(name, Math.min(low.get(name)!, index.get(target)!))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(name)!))
      if (low.get(name) !== index.get(name)) continue
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== name)
      if (component.length > 1 || edges.get(name)!.includes(name)) {
        component.forEach((m) => recursive.add(m))
      }
    }
  }
  return recursive
}
