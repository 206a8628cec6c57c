import type { OAuthView } from '../oauth/view.js'
import type { ServerRecord } from './types.js'

/**
 * The Letta server object (secrets masked) plus Hangar's `sync` status and timestamps, and for HTTP
 * servers the caller's OAuth state when given.
 */
export const serverView = (server: ServerRecord, oauth?: OAuthView) => {
  const common = {
    id: server.id,
    server_name: server.name,
    mcp_server_type: server.type,
  }
  const tail = { sync: server.sync, created_at: server.createdAt, updated_at: server.updatedAt }
  if (server.type === 'stdio') {
    return {
      ...common,
      command: server.command ?? '',
      args: server.args ?? [],
      env: server.masks.env ?? null,
      ...tail,
    }
  }
  return {
    ...common,
    server_url: server.serverUrl ?? '',
    auth_header: server.authHeader ?? null,
    auth_token: server.masks.authToken ?? null,
    custom_headers: server.masks.customHeaders ?? null,
    ...(oauth ? { oauth } : {}),
    ...tail,
  }
}

export type ServerView = ReturnType<typeof serverView>
