import type { CallContext } from './context.js'
import { resolveTemplates, sanitizeKey, sanitizeValue } from './resolve.js'

/**
 * The headers as sent: names and values sanitised, templates in values resolved from the call's
 * variables. A value left unresolved is sent as stored and reported by header name only.
 */
export const resolveHeaders = (
  headers: Record<string, string>,
  context: CallContext = {},
): Record<string, string> => {
  const variables = context.variables ?? {}
  const out: Record<string, string> = {}
  for (const [rawKey, rawValue] of Object.entries(headers)) {
    const key = sanitizeKey(rawKey)
    const { value, unresolved } = resolveTemplates(sanitizeValue(rawValue), variables)
    if (unresolved.length) {
      context.log?.warn('header template unresolved; value sent unchanged', {
        header: key,
        variables: unresolved,
      })
    }
    out[key] = value
  }
  return out
}
