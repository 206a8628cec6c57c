import { createHash } from 'node:crypto'
import { isObject } from './json.js'

const RAW = Symbol('raw')
type Raw = { [RAW]: string }
const raw = (text: string): Raw => ({ [RAW]: text })
const isRaw = (item: unknown): item is Raw =>
  typeof item === 'object' && item !== null && RAW in item

const tokens = (value: unknown): unknown[] => {
  if (Array.isArray(value)) {
    return [raw('['), ...value.flatMap((item, i) => (i > 0 ? [raw(','), item] : [item])), raw(']')]
  }
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
    const members = keys.flatMap((key, i) => [
      raw(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`),
      value[key],
    ])
    return [raw('{'), ...members, raw('}')]
  }
  return [raw(JSON.stringify(value) ?? 'null')]
}

/** Slow but iterative: for values nested deeper than JSON.stringify's recursion allows. */
const canonicalDeep = (value: unknown): string => {
  const out: string[] = []
  const todo: unknown[] = [value]
  while (todo.length > 0) {
    const item = todo.pop()
    if (isRaw(item)) out.push(item[RAW])
    else todo.push(...tokens(item).reverse())
  }
  return out.join('')
}

export const deepEqual = (a: unknown, b: unknown): boolean =>
  a === b || canonicalJson(a) === canonicalJson(b)

export const contentHash = (value: unknown): string =>
  createHash('sha256').update(canonicalJson(value)).digest('hex')

const inOrder = (keys: string[]) => keys.every((key, i) => i === 0 || keys[i - 1]! < key)

/** JSON.stringify's replacer: each object with its keys sorted (copied only when out of order). */
const sortKeys = (_key: string, value: unknown) => {
  if (!isObject(value)) return value
  const keys = Object.keys(value)
  if (inOrder(keys)) return value
  // fromEntries defines own keys: assigning `__proto__` would set the prototype and drop the key.
  return Object.fromEntries(keys.sort().map((key) => [key, value[key]]))
}

/**
 * JSON with object keys sorted, so key order never changes a hash. Native JSON.stringify for speed
 * (the sync hashes every listed tool); an iterative walk where nesting is too deep for it.
 */
export const canonicalJson = (value: unknown): string => {
  try {
    return JSON.stringify(value, sortKeys) ?? 'null'
  } catch (error) {
    if (error instanceof RangeError) return canonicalDeep(value)
    throw error
  }
}
