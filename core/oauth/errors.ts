/** The grant cannot be used or refreshed: a person must reconnect the server. */
export class OAuthReauthRequired extends Error {
  constructor(serverName: string, serverId: string) {
    super(
      `OAuth authorization required for MCP server '${serverName}'. Reconnect it (GET /v1/mcp-servers/connect/${serverId}).`,
    )
    this.name = 'OAuthReauthRequired'
  }
}

/** The authorization server failed for a reason that may pass (5xx, network); the grant is kept. */
export class OAuthTransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OAuthTransientError'
  }
}

/** A connect-time OAuth problem whose message is safe to show (no secret in it). */
export class OAuthSetupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OAuthSetupError'
  }
}

export const isReauth = (error: unknown): error is OAuthReauthRequired => {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (e instanceof OAuthReauthRequired) return true
  }
  return false
}
