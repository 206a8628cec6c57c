import { tooDeep, MAX_NESTING } from './depth.js'
import type { Health } from './health.js'
import { has, isObject, pyFalsy, type Json, type JsonObject } from './json.js'
import { pointerPath, resolveLocalRef } from './pointer.js'
import { pyStr } from './python.js'
import { collectReasons, type Reasons } from './reasons.js'
import { checkRequired } from './required-checks.js'

const SCALAR_TYPES = ['string', 'number', 'integer', 'boolean', 'null']
const TYPE_ARRAY_MEMBERS = [...SCALAR_TYPES, 'array', 'object']
const UNIONS = ['anyOf', 'oneOf', 'allOf']
const MISSING = Symbol('missing type')
/** The keywords Letta's rules read: a `$ref` with any of them beside it is judged merged. */
const READ = [
  'type',
  'properties',
  'additionalProperties',
  'required',
  'items',
  'minItems',
  ...UNIONS,
]

/**
 * Where `$ref`s are followed: the document's root, the nodes already judged (each node once,
 * whether reached by the walk or through a `$ref` to it or to an ancestor, so the walk stays
 * linear and a cycle ends) and how deep the walk is.
 */
type Refs = { root: JsonObject; judged: Set<Json>; depth: number; merged: number }
/**
 * Schema levels the walk goes down, `$ref` targets included: a document alone stays within
 * it (its nesting is below MAX_NESTING), deeper `$ref`s are judged as they stand, and the
 * recursion stays a few thousand frames, far from the stack's end.
 */
const MAX_WALK_DEPTH = MAX_NESTING
/** `$ref`s a merged view goes through (each pointer once). */
const MAX_VIEW_HOPS = 32
/**
 * `required` entries checked again in merged views. Past it the followed verdict is given up
 * (INVALID, so the stored health is Letta's rules alone): a hostile schema with thousands of
 * `$ref`s to a definition with thousands of required names costs milliseconds, not minutes.
 */
const MAX_MERGED = 100_000
type Walk = { marks: Reasons; refs?: Refs }

const effectiveType = (node: JsonObject): Json | undefined | typeof MISSING => {
  if (!pyFalsy(node.type)) return node.type
  if (has(node, 'properties') || has(node, 'additionalProperties')) return 'object'
  if (has(node, 'items')) return 'array'
  return UNIONS.some((kw) => has(node, kw)) ? undefined : MISSING
}

/** Returns false where Letta stops visiting the node (its unions are then not checked). */
const visitObject = (node: JsonObject, path: string, walk: Walk): boolean => {
  const { marks } = walk
  const props = node.properties ?? null
  if (props !== null && !isObject(props)) {
    marks.invalid(`${path}: 'properties' must be a dict for objects`)
    return false
  }
  if (!has(node, 'additionalProperties')) {
    marks.nonStrict(`${path}: 'additionalProperties' not explicitly set`)
  } else if (node.additionalProperties !== false) {
    marks.nonStrict(`${path}: 'additionalProperties' is not false (free-form object)`)
  }
  const required = node.required ?? null
  if (required !== null && !Array.isArray(required)) {
    marks.invalid(`${path}: 'required' must be a list if present`)
  }
  if (props === null) return true
  checkRequired(Array.isArray(required) ? required : [], props, path, marks, (prop) =>
    refView(prop, walk),
  )
  // A merged view shares its target's properties: they are judged once.
  if (walk.refs?.judged.has(props)) return true
  walk.refs?.judged.add(props)
  for (const [name, prop] of Object.entries(props)) {
    if (isObject(prop)) visit(prop, `${path}.properties.${name}`, walk)
    else marks.invalid(`${path}.properties.${name}: Not a valid schema dict`)
  }
  return true
}

const visitArray = (node: JsonObject, path: string, walk: Walk): void => {
  const { marks } = walk
  const items = node.items ?? null
  if (items === null) marks.invalid(`${path}: 'items' must be defined for arrays in strict mode`)
  else if (!isObject(items)) marks.invalid(`${path}: 'items' must be a schema dict for arrays`)
  else visit(items, `${path}.items`, walk)
}

const visitUnions = (node: JsonObject, path: string, walk: Walk): void => {
  const { marks } = walk
  for (const kw of UNIONS.filter((k) => has(node, k))) {
    const members = node[kw]
    if (!Array.isArray(members)) {
      marks.invalid(`${path}: '${kw}' must be a list`)
      continue
    }
    members.forEach((member, i) => {
      if (isObject(member)) visit(member, `${path}.${kw}[${i}]`, walk)
      else marks.invalid(`${path}.${kw}[${i}]: Not a valid schema dict`)
    })
  }
}

/**
 * A node with followed `$ref`s stands for their targets, through a chain of `$ref`s, its own
 * keywords winning (Letta's inlining); only the keywords the rules read are copied, so a wide
 * target costs nothing.
 */
const refView = (node: JsonObject, walk: Walk): JsonObject => {
  if (!walk.refs) return node
  const view: JsonObject = {}
  const passed = new Set<string>()
  let current: JsonObject | undefined = node
  while (current && passed.size <= MAX_VIEW_HOPS) {
    for (const kw of READ) if (!has(view, kw) && has(current, kw)) view[kw] = current[kw]!
    const resolved = resolveLocalRef(walk.refs.root, current.$ref)
    if (!resolved || passed.has(resolved.pointer)) break
    passed.add(resolved.pointer)
    current = resolved.target
  }
  return passed.size === 0 ? node : view
}

/** Only a `type` beside the `$ref`, the target's own (what list-time typing adds): nothing new. */
const addsNothing = (node: JsonObject, walk: Walk): boolean => {
  const beside = READ.filter((kw) => has(node, kw))
  if (beside.length === 0) return true
  const target = resolveLocalRef(walk.refs!.root, node.$ref)?.target
  return beside.length === 1 && beside[0] === 'type' && target?.type === node.type
}

/** The `$ref` node's own keywords merged over its targets', judged as one schema. */
const visitMerged = (node: JsonObject, path: string, walk: Walk): void => {
  const refs = walk.refs!
  const view = refView(node, walk)
  refs.merged += Array.isArray(view.required) ? view.required.length + 1 : 1
  if (refs.merged > MAX_MERGED) {
    return walk.marks.invalid(`${path}: too many '$ref's with keywords beside them to follow`)
  }
  visit(view, path, walk)
}

/**
 * A `$ref` to a schema in the same document is judged by that schema, once (so a recursive
 * definition ends), plus whatever structure stands beside it. Returns false where the node has no
 * such `$ref`, its `$ref`s lead to no schema, or the walk is too deep to follow it.
 */
const visitRef = (node: JsonObject, walk: Walk): boolean => {
  const refs = walk.refs
  if (!refs || refs.depth >= MAX_WALK_DEPTH) return false
  const resolved = resolveLocalRef(refs.root, node.$ref)
  // A chain of bare `$ref`s that ends in a cycle reaches no schema: the node stands alone.
  if (!resolved || Object.keys(refView(node, walk)).length === 0) return false
  visit(resolved.target, pointerPath(resolved.pointer), walk)
  return true
}

const visit = (node: JsonObject, path: string, walk: Walk): void => {
  const refs = walk.refs
  if (!refs) return visitNode(node, path, walk)
  if (refs.judged.has(node)) return
  refs.judged.add(node)
  refs.depth += 1
  visitNode(node, path, walk)
  refs.depth -= 1
}

const visitNode = (node: JsonObject, path: string, walk: Walk): void => {
  const { marks } = walk
  if (visitRef(node, walk)) {
    if (!addsNothing(node, walk)) visitMerged(node, path, walk)
    return
  }
  const type = effectiveType(node)
  if (type === MISSING) return marks.invalid(`${path}: Missing 'type'`)
  if (type === 'object' && !visitObject(node, path, walk)) return
  if (type === 'array') visitArray(node, path, walk)
  if (Array.isArray(type)) {
    for (const member of type) {
      if (!TYPE_ARRAY_MEMBERS.includes(member as string)) {
        marks.invalid(`${path}: Invalid type '${pyStr(member)}' in type array`)
      }
    }
  }
  visitUnions(node, path, walk)
}

export type ValidateOptions = {
  /**
   * Judge a same-document `$ref` by the schema it points at (the stored schema's health, where
   * recursive definitions stay `$ref`s). Off, it is Letta's validator exactly: a bare `$ref` is
   * "Missing 'type'".
   */
  followRefs?: boolean
}

/** Letta's `validate_complete_json_schema` (spec §3.1), as a result object that never throws. */
export const validateSchema = (schema: unknown, options: ValidateOptions = {}): Health => {
  if (!isObject(schema)) return { status: 'INVALID', reasons: ['Top-level schema must be a dict'] }
  if (tooDeep(schema)) {
    return { status: 'INVALID', reasons: [`Schema nesting exceeds ${MAX_NESTING} levels`] }
  }
  const marks = collectReasons()
  if (schema.type !== 'object') {
    marks.invalid("Top-level schema 'type' must be 'object' for OpenAI tools")
  }
  const refs = options.followRefs
    ? { root: schema, judged: new Set<Json>(), depth: 0, merged: 0 }
    : undefined
  visit(schema, 'root', { marks, refs })
  return marks.result()
}
