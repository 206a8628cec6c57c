import { dedupeAnyOf } from './dedupe-any-of.js'
import { declaresIdentifier, defFor, defName, defsOf } from './defs.js'
import { has, isObject, mapArray, mapValues, withKey, type Json, type JsonObject } from './json.js'
import type { Pass } from './pass.js'
import { recursiveDefs } from './recursive-defs.js'

/** Letta's limit, counted here in nesting levels only, so that a second run inlines nothing. */
const MAX_DEPTH = 10
const MAX_EXPANSIONS = 1000
/** JSON values copied out of definitions: a definition of thousands of values costs per copy. */
const MAX_COPIED = 50_000

type Context = {
  defs: JsonObject
  recursive: Set<string>
  /** Definitions that declare an identifier, found once rather than per `$ref`. */
  identified: Set<string>
  sizes: Map<string, number>
  left: number
  copyable: number
  warnings: Set<string>
}

/** The JSON values in a definition: what each copy adds to the schema the later passes walk. */
const sizeOf = (value: Json): number => {
  let count = 0
  const todo: Json[] = [value]
  while (todo.length > 0) {
    const item = todo.pop()!
    count += 1
    if (Array.isArray(item) || isObject(item))
      for (const child of Object.values(item)) todo.push(child)
  }
  return count
}

const expand = (node: JsonObject, ctx: Context): JsonObject => {
  const def = defFor(node.$ref, ctx.defs)
  const name = defName(node.$ref)
  if (!def || name === undefined) return node
  if (ctx.recursive.has(name)) {
    ctx.warnings.add(`'$ref' to recursive definition '${name}' left in place`)
    return node
  }
  if (ctx.identified.has(name)) {
    ctx.warnings.add(`'$ref' to definition '${name}' left in place: it declares an identifier`)
    return node
  }
  ctx.left -= 1
  if (ctx.left < 0 || ctx.copyable < 0) return node
  if (!ctx.sizes.has(name)) ctx.sizes.set(name, sizeOf(def))
  ctx.copyable -= ctx.sizes.get(name)!
  if (ctx.copyable < 0) return node
  const { $ref: _ref, ...own } = node
  const inherited = Object.entries(def).filter(([key]) => !has(own, key))
  return Object.fromEntries([...Object.entries(own), ...inherited])
}

const inline = (node: Json, depth: number, ctx: Context): Json => {
  if (depth > MAX_DEPTH || !isObject(node)) return node
  const expanded = expand(node, ctx)
  if (expanded !== node) return inline(expanded, depth, ctx)
  let out = node
  if (Array.isArray(out.anyOf)) {
    const options = mapArray(out.anyOf, (option) => inline(option, depth + 1, ctx))
    out = withKey(out, 'anyOf', dedupeAnyOf(options))
  }
  if (isObject(out.properties)) {
    out = withKey(
      out,
      'properties',
      mapValues(out.properties, (p) => inline(p, depth + 1, ctx)),
    )
  }
  if (has(out, 'items')) out = withKey(out, 'items', inline(out.items!, depth + 1, ctx))
  return out
}

/** Spec §3.3 step 4: `$defs` references inlined into each property, `anyOf` de-duplicated. */
export const inlineRefs: Pass = {
  name: 'inlineRefs',
  apply(schema, warn) {
    if (!isObject(schema.properties)) return schema
    const defs = defsOf(schema)
    const ctx = {
      defs,
      recursive: recursiveDefs(defs),
      identified: new Set(Object.keys(defs).filter((name) => declaresIdentifier(defs[name]!))),
      left: MAX_EXPANSIONS,
      copyable: MAX_COPIED,
      sizes: new Map<string, number>(),
      warnings: new Set<string>(),
    }
    const properties = mapValues(schema.properties, (prop) => inline(prop, 0, ctx))
    if (ctx.left < 0) {
      warn(`'$ref's left in place: inlining would take more than ${MAX_EXPANSIONS} expansions`)
      return schema
    }
    if (ctx.copyable < 0) {
      warn(`'$ref's left in place: inlining would copy more than ${MAX_COPIED} values`)
      return schema
    }
    ctx.warnings.forEach(warn)
    return withKey(schema, 'properties', properties)
  },
}
