import { isObject } from './json.js'

const quote = (text: string): string => {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
  if (escaped.includes("'") && !escaped.includes('"')) return `"${escaped}"`
  return `'${escaped.replace(/'/g, "\\'")}'`
}

/** Python's `repr()` of a JSON value, as it appears inside Letta's f-strings. */
export const pyRepr = (value: unknown): string => {
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'string') return quote(value)
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`
  if (isObject(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${quote(key)}: ${pyRepr(item)}`)
      .join(', ')}}`
  }
  return String(value)
}

/** Python's `str()`: strings are inserted as they are, everything else as its repr. */
export const pyStr = (value: unknown): string => (typeof value === 'string' ? value : pyRepr(value))
