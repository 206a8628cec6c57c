import type { McpTarget } from '../ports.js'
import type { Secrets, ServerRecord } from '../registry/types.js'

/** Custom headers first, then the stored auth header with its token (which wins a clash). */
export const targetFor = (server: ServerRecord, secrets: Secrets): McpTarget | undefined => {
  if (server.type === 'stdio' || !server.serverUrl) return undefined
  const headers: Record<string, string> = { ...(secrets.customHeaders ?? {}) }
  if (secrets.authToken !== undefined) {
    const name = server.authHeader ?? 'Authorization'
    for (const key of Object.keys(headers))
      if (key.toLowerCase() === name.toLowerCase()) delete headers[key]
    headers[name] = secrets.authToken
  }
  return { type: server.type, url: server.serverUrl, headers }
}
