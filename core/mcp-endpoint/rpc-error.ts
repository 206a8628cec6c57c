/**
 * An error the SDK's Protocol turns into a JSON-RPC error with this exact code and message. (An
 * McpError would do, but its message already carries an `MCP error <code>:` prefix, which clients
 * then add a second time.)
 */
export const rpcFailure = (code: number, message: string): Error & { code: number } =>
  Object.assign(new Error(message), { code })

/** A JSON-RPC error body for answers given before any MCP server is involved. */
export const rpcError = (code: number, message: string) => ({
  jsonrpc: '2.0' as const,
  id: null,
  error: { code, message },
})
