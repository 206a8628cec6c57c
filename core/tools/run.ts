import { AppError } from '../errors.js'
import type {
  CallExtras,
  McpCallResult,
  McpConnector,
  McpLimits,
  StdioGateway,
  ToolStore,
} from '../ports.js'
import type { Secrets, ServerRecord } from '../registry/types.js'
import { redactSecrets } from '../redact.js'
import { secretValues } from '../registry/secrets.js'
import type { CallContext } from '../templates/context.js'
import type { OAuthDeps } from '../oauth/deps.js'
import { isReauth } from '../oauth/errors.js'
import { executionResult } from './result.js'
import { authorizedTarget } from './target.js'

export interface RunDeps {
  tools: ToolStore
  connector: McpConnector
  stdio?: StdioGateway
  secrets(server: ServerRecord): Promise<Secrets>
  /** The caller's template variables and agent id (core/templates); absent = defaults only. */
  call?: CallContext
  /** OAuth grants (core/oauth); absent where OAuth is not wired. */
  oauth?: OAuthDeps
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

/** Calls a tool on its server (HTTP, SSE or the stdio runner) and returns its result as is. */
export const callUpstream = async (
  deps: RunDeps,
  server: ServerRecord,
  name: string,
  args: Record<string, unknown>,
  extras: CallExtras = {},
  principal?: string,
): Promise<McpCallResult> => {
  if (server.type === 'stdio' && deps.stdio)
    return deps.stdio.callTool(server, name, args, deps.runTimeoutMs, extras)
  const target = await authorizedTarget(deps, server, principal)
  if (!target) throw new AppError('upstream.failed', 'the server has no URL')
  return deps.connector.callTool(target, name, args, {
    ...deps.limits,
    timeoutMs: deps.runTimeoutMs,
    ...extras,
  })
}

/** Runs one of a server's tools after checking the arguments against the tool's own schema. */
export const runTool = async (
  deps: RunDeps,
  server: ServerRecord,
  toolId: string,
  body: unknown,
  principal?: string,
) => {
  const args = parseArgs(body)
  const tool = await deps.tools.get(server.organizationId, toolId)
  if (!tool || tool.serverId !== server.id)
    throw new AppError('tool.notFound', `Tool ${toolId} not found`)
  // Loaded on first run: the schema engines are cold-start weight the CRUD routes never need.
  const { validatorFor } = await import('../schema/compile.js')
  const validator = tool.inputSchema ? validatorFor(tool.inputSchema) : undefined
  if (validator?.ok) {
    const checked = validator.validate(args)
    if (!checked.valid) throw new AppError('request.invalid', `args: ${checked.errors.join('; ')}`)
  }
  const gateway = server.type === 'stdio' ? deps.stdio : deps.connector
  if (!gateway)
    throw new AppError(
      'upstream.failed',
      'stdio servers run through the stdio runner, which is not enabled here',
    )
  try {
    return executionResult(await callUpstream(deps, server, tool.name, args, {}, principal))
  } catch (error) {
    const failure = gateway.classify(error)
    // A grant only a person can renew: say so at once, as a tool error the agent can read.
    if (isReauth(error))
      return { status: 'error' as const, func_return: failure.message, stdout: null, stderr: null }
    if (failure.code === 'timeout') {
      // A connect or start deadline names its own number; only the call itself had runTimeoutMs.
      const own = /^Timed out after \d+ ms while /.test(failure.message)
      return {
        status: 'error' as const,
        func_return: own
          ? `Tool ${tool.name} did not run: ${failure.message}`
          : `Tool ${tool.name} did not finish within ${deps.runTimeoutMs} ms`,
        stdout: null,
        stderr: null,
      }
    }
    const secrets = secretValues(await deps.secrets(server))
    throw new AppError('upstream.failed', redactSecrets(failure.message, secrets), { cause: error })
  }
}
