import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js'
import { rpcFailure } from './rpc-error.js'
import type { ServerRecord } from '../registry/types.js'
import type { RunDeps } from '../tools/run.js'

/** JSON-RPC codes an upstream answers with itself (not transport faults the SDK reports). */
const PASSED_ON = new Set<number>([
  ErrorCode.InvalidParams,
  ErrorCode.MethodNotFound,
  ErrorCode.InvalidRequest,
  ErrorCode.InternalError,
])

/**
 * An upstream failure as an MCP error naming the server and the kind of fault. The message comes
 * from the gateway's classifier, which cuts the server's secrets out of it.
 */
export const upstreamError = (
  deps: Pick<RunDeps, 'connector' | 'stdio'>,
  server: ServerRecord,
  error: unknown,
): Error => {
  const gateway = server.type === 'stdio' ? deps.stdio : deps.connector
  const failure = gateway?.classify(error) ?? { code: 'other', message: 'no stdio runner here' }
  if (error instanceof McpError && PASSED_ON.has(error.code)) {
    // The upstream's own JSON-RPC error (an unknown tool there, bad arguments): same code.
    const message = failure.message.replace(/^MCP request failed: (MCP error -?\d+: )?/, '')
    return rpcFailure(error.code, message)
  }
  if (failure.code === 'timeout') {
    return rpcFailure(
      ErrorCode.RequestTimeout,
      `MCP server "${server.name}" did not answer in time: ${failure.message}`,
    )
  }
  return rpcFailure(
    ErrorCode.InternalError,
    `MCP server "${server.name}" failed (${failure.code}): ${failure.message}`,
  )
}
