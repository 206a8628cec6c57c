import type { McpTarget } from '../ports.js'
import type { OAuthDeps } from '../oauth/deps.js'
import type { Secrets, ServerRecord } from '../registry/types.js'
import { AGENT_ID_HEADER, type CallContext } from '../templates/context.js'
import { resolveHeaders } from '../templates/headers.js'

const without = (headers: Record<string, string>, name: string) => {
  for (const key of Object.keys(headers))
    if (key.toLowerCase() === name.toLowerCase()) delete headers[key]
}

/**
 * Custom headers first, then the stored auth header with its token (which wins a clash), then
 * `X-Agent-Id` when the call names an agent. Templates resolve from the call's variables.
 */
export const targetFor = (
  server: ServerRecord,
  secrets: Secrets,
  context?: CallContext,
): McpTarget | undefined => {
  if (server.type === 'stdio' || !server.serverUrl) return undefined
  const headers = resolveHeaders(secrets.customHeaders ?? {}, context)
  if (secrets.authToken !== undefined) {
    const auth = resolveHeaders(
      { [server.authHeader ?? 'Authorization']: secrets.authToken },
      context,
    )
    for (const name of Object.keys(auth)) without(headers, name)
    Object.assign(headers, auth)
  }
  if (context?.agentId) {
    without(headers, AGENT_ID_HEADER)
    headers[AGENT_ID_HEADER] = context.agentId
  }
  return { type: server.type, url: server.serverUrl, headers }
}

/**
 * `targetFor` plus the server's OAuth grant for `principal` (the organization's when absent), when
 * it has one. Loaded on first use: most servers have no grant and the CRUD routes need none of it.
 */
export const authorizedTarget = async (
  deps: { secrets(server: ServerRecord): Promise<Secrets>; oauth?: OAuthDeps; call?: CallContext },
  server: ServerRecord,
  principal?: string,
): Promise<McpTarget | undefined> => {
  const target = targetFor(server, await deps.secrets(server), deps.call)
  if (!target || !deps.oauth) return target
  const { grantAuth } = await import('../oauth/target-auth.js')
  const auth = await grantAuth(deps.oauth, server, principal)
  return auth ? { ...target, auth } : target
}
