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

/** JSON with object keys sorted, so key order never changes a hash; iterative, for any depth. */
export const canonicalJson = (value: unknown): string => {
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
