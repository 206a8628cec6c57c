import type { Ajv, Format } from 'ajv'
import addFormats from 'ajv-formats'

/** Longer strings skip `format` checks: the format regexes are fixed but not all are linear. */
export const MAX_FORMAT_INPUT = 8_192

const checkOf = (format: Format): ((value: string) => boolean) | undefined => {
  if (format instanceof RegExp) return (value) => format.test(value)
  if (typeof format === 'function') return format as (value: string) => boolean
  if (typeof format === 'object' && !format.async && (format.type ?? 'string') === 'string') {
    const inner = format.validate
    if (inner instanceof RegExp) return (value) => inner.test(value)
    return inner as (value: string) => boolean
  }
  return undefined
}

/** ajv-formats' formats, each string check bounded by the length of its input. */
export const addBoundedFormats = <T extends Ajv>(ajv: T): T => {
  addFormats(ajv)
  for (const [name, format] of Object.entries(ajv.formats)) {
    const check = format && checkOf(format)
    if (!check) continue
    const compare = typeof format === 'object' && 'compare' in format ? format.compare : undefined
    ajv.addFormat(name, {
      type: 'string',
      validate: (value: string) => value.length > MAX_FORMAT_INPUT || check(value),
      ...(compare ? { compare: compare as (a: string, b: string) => number } : {}),
    })
  }
  return ajv
}
