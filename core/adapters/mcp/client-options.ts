/** How Hangar introduces itself to MCP servers and closes its connections. */
export const CLIENT_INFO = { name: 'hangar', version: '0.1.0' }
export const CLOSE_TIMEOUT_MS = 2_000
/** A sync or run is one request: a dropped stream is an error, not something to reconnect. */
export const noReconnect = {
  initialReconnectionDelay: 1_000,
  maxReconnectionDelay: 1_000,
  reconnectionDelayGrowFactor: 1,
  maxRetries: 0,
}
