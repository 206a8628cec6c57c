import { has, isObject, type Json, type JsonObject } from './json.js'

export type Resolved = { pointer: string; target: JsonObject }

const decodeToken = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~')

const fragmentOf = (ref: string): string | undefined => {
  if (!ref.startsWith('#')) return undefined
  try {
    return decodeURIComponent(ref.slice(1))
  } catch {
    return undefined
  }
}

/**
 * The schema a same-document `$ref` (`#`, `#/$defs/Node`, `#/definitions/A/properties/b`)
 * points at, by RFC 6901 JSON pointer. Anchors, other documents and pointers that lead nowhere
 * or to a non-schema give `undefined`.
 */
export const resolveLocalRef = (root: JsonObject, ref: Json | undefined): Resolved | undefined => {
  if (typeof ref !== 'string') return undefined
  const pointer = fragmentOf(ref)
  if (pointer === undefined || (pointer !== '' && !pointer.startsWith('/'))) return undefined
  let node: Json = root
  for (const token of pointer === '' ? [] : pointer.slice(1).split('/').map(decodeToken)) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(token) && Number(token) < node.length) {
      node = node[Number(token)]!
    } else if (isObject(node) && has(node, token)) {
      node = node[token]!
    } else {
      return undefined
    }
  }
  return isObject(node) ? { pointer, target: node } : undefined
}

/** A pointer as a reason path: `/$defs/Node` → `root.$defs.Node`. */
export const pointerPath = (pointer: string): string =>
  pointer === '' ? 'root' : `root${pointer.split('/').map(decodeToken).join('.')}`
