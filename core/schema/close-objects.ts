import { defsOf, typeRef } from './defs.js'
import {
  has,
  isObject,
  mapArray,
  mapValues,
  pyFalsy,
  withKey,
  type Json,
  type JsonObject,
} from './json.js'
import type { Pass } from './pass.js'

type Context = { defs: JsonObject; warn: (warning: string) => void }

/** A set, so that closing a schema with thousands of properties stays linear. */
const requiredNames = (node: JsonObject): Set<Json> =>
  new Set(Array.isArray(node.required) ? node.required : [])

const closeNode = (node: JsonObject, ctx: Context, closeSelf = true): JsonObject => {
  let out = node
  if (closeSelf && out.type === 'object' && !has(out, 'additionalProperties')) {
    out = { ...out, additionalProperties: false }
  }
  if (isObject(out.properties)) {
    const required = requiredNames(out)
    const props = mapValues(out.properties, (prop, name) =>
      closeProperty(prop, name, required.has(name), ctx),
    )
    out = withKey(out, 'properties', props)
  }
  if (isObject(out.items) && out.items.type === 'object') {
    out = withKey(out, 'items', closeNode(out.items, ctx))
  }
  return out
}

/** `$ref` items and `anyOf` options are typed, then closed when they are objects. */
const typeAndClose = (node: Json, ctx: Context): Json => {
  if (!isObject(node)) return node
  const typed = has(node, '$ref') ? typeRef(node, ctx.defs) : node
  return typed.type === 'object' ? closeNode(typed, ctx) : typed
}

/**
 * Closing a required object that has no `required` of its own makes it "allow an empty
 * object", which turns the tool INVALID (Letta's defect, vectors v06 and v40): it stays open.
 */
const closeProperty = (prop: Json, name: string, isRequired: boolean, ctx: Context): Json => {
  if (!isObject(prop)) return prop
  if (has(prop, '$ref')) return typeRef(prop, ctx.defs)
  let out = prop
  if (out.type === 'object') {
    const keepOpen = isRequired && pyFalsy(out.required)
    if (keepOpen && !has(out, 'additionalProperties')) {
      ctx.warn(`kept required object '${name}' open: it has no 'required' list`)
    }
    out = closeNode(out, ctx, !keepOpen)
  }
  if (out.type === 'array' && isObject(out.items)) {
    out = withKey(out, 'items', typeAndClose(out.items, ctx))
  }
  if (Array.isArray(out.anyOf)) {
    out = withKey(
      out,
      'anyOf',
      mapArray(out.anyOf, (option) => typeAndClose(option, ctx)),
    )
  }
  return out
}

/** Letta's `normalize_mcp_schema` (spec §3.2): `additionalProperties: false` and `$ref` types. */
export const closeObjects: Pass = {
  name: 'closeObjects',
  apply(schema, warn) {
    const defs = defsOf(schema)
    const ctx = { defs, warn }
    const closedDefs = mapValues(defs, (def) => (isObject(def) ? closeNode(def, ctx) : def))
    const root = Object.keys(defs).length > 0 ? withKey(schema, '$defs', closedDefs) : schema
    return closeNode(root, ctx)
  },
}
