import { AppError } from '../errors.js'
import type { McpConnector, McpLimits, ToolStore } from '../ports.js'
import type { Secrets, ServerRecord } from '../registry/types.js'
import { validatorFor } from '../schema/index.js'
import { executionResult } from './result.js'
import { targetFor } from './target.js'

export interface RunDeps {
  tools: ToolStore
  connector: McpConnector
  secrets(server: ServerRecord): Promise<Secrets>
  limits: McpLimits
  /** Milliseconds a run may take; kept below the HTTP front door's own limit. */
  runTimeoutMs: number
}

const parseArgs = (body: unknown): Record<string, unknown> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('request.invalid', 'body: must be object')
  }
  const extra = Object.keys(body).find((key) => key !== 'args')
  if (extra) throw new AppError('request.invalid', `${extra}: unknown field`)
  const args = (body as { args?: unknown }).args ?? {}
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new AppError('request.invalid', 'args: must be object')
  }
  return args as Record<string, unknown>
}

/** Runs one of a server's tools after checking the arguments against the tool's own schema. */
export const runTool = async (deps: RunDeps, server: ServerRecord, toolId: string, body: unknown) => {
  const args = parseArgs(body)
  const tool = await deps.tools.get(server.organizationId, toolId)
  if (!tool || tool.serverId !== server.id) throw new AppError('tool.notFound', `Tool ${toolId} not found`)
  const validator = tool.inputSchema ? validatorFor(tool.inputSchema) : undefined
  if (validator?.ok) {
    const checked = validator.validate(args)
    if (!checked.valid) throw new AppError('request.invalid', `args: ${checked.errors.join('; ')}`)
  }
  const target = targetFor(server, await deps.secrets(server))
  if (!target) throw new AppError('upstream.failed', 'stdio servers run through the stdio runner, which is not enabled here')
  try {
    const result = await deps.connector.callTool(target, tool.name, args, { ...deps.limits, timeoutMs: deps.runTimeoutMs })
    return executionResult(result)
  } catch (error) {
    const failure = deps.connector.classify(error)
    if (failure.code === 'timeout') {
      return { status: 'error' as const, func_return: `Tool ${tool.name} did not finish within ${deps.runTimeoutMs} ms`, stdout: null, stderr: null }
    }
    throw new AppError('upstream.failed', failure.message, { cause: error })
  }
}
