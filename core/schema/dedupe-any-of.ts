import { canonicalJson } from './canonical.js'
import type { Json } from './json.js'

/**
 * Removes options deep-equal to an earlier one. Unlike Letta, distinct variants of the same
 * `type` are never merged (vector v45), whatever their `format` or key count.
 */
export const dedupeAnyOf = (options: Json[]): Json[] => {
  const seen = new Set<string>()
  const kept = options.filter((option) => {
    const key = canonicalJson(option)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return kept.length === options.length ? options : kept
}
