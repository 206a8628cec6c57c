/**
 * Letta's header templates: `{{ NAME }}` or `{{ NAME | default }}` in an `auth_token` or a custom
 * header value. NAME is upper case; the default runs up to the closing braces and cannot hold `}`.
 */
const TEMPLATE = /\{\{\s*([A-Z_][A-Z0-9_]*)\s*(?:\|\s*([^}]+?)\s*)?\}\}/g

export interface Resolved {
  value: string
  /** Variables with neither a value nor a default; when any, `value` is the input unchanged. */
  unresolved: string[]
}

/**
 * Replaces each template with the caller's variable (even an empty one), else its default. If any
 * template is left, the whole input comes back unchanged: there is no partial substitution.
 */
export const resolveTemplates = (input: string, variables: Record<string, string>): Resolved => {
  const unresolved: string[] = []
  const value = input.replace(TEMPLATE, (whole, name: string, fallback?: string) => {
    if (Object.hasOwn(variables, name)) return variables[name] as string
    if (fallback !== undefined) return fallback
    unresolved.push(name)
    return whole
  })
  return unresolved.length ? { value: input, unresolved } : { value, unresolved }
}

const unquote = (text: string) =>
  text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.at(-1) === text[0]
    ? text.slice(1, -1)
    : text

/** A header value as Letta sends it: trimmed, one pair of surrounding quotes removed. */
export const sanitizeValue = (value: string): string => unquote(value.trim())

/** A header name as Letta sends it: trimmed, unquoted, a trailing colon dropped, trimmed again. */
export const sanitizeKey = (key: string): string => {
  const unquoted = unquote(key.trim())
  return (unquoted.endsWith(':') ? unquoted.slice(0, -1) : unquoted).trim()
}
