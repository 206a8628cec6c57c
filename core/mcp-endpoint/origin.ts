/**
 * DNS-rebinding guard: a browser page may only reach the endpoint from its own origin. Requests
 * without an Origin header (every non-browser MCP client) pass; a page whose origin names another
 * host than the one it is talking to (a rebound name, or a cross-site page) is refused.
 */
export const originAllowed = (origin: string | undefined, host: string | undefined): boolean => {
  if (origin === undefined) return true
  if (host === undefined) return false
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase()
  } catch {
    return false
  }
}
