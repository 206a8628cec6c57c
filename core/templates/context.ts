import { AppError } from '../errors.js'
import type { Log } from '../ports.js'

/**
 * What one API call brings to the MCP servers it reaches: the caller's template variables (never
 * stored) and the agent it acts for, sent as `X-Agent-Id`. Queued syncs carry neither.
 */
export interface CallContext {
  variables?: Record<string, string>
  agentId?: string
  /** Where a header template that could not be resolved is reported (names only, no values). */
  log?: Pick<Log, 'warn'>
}

export const AGENT_ID_HEADER = 'X-Agent-Id'

const AGENT_ID = /^agent-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i

/** Letta's `agent-<uuid4>`, or a 422 naming the parameter. */
export const parseAgentId = (raw: string | undefined): string | undefined => {
  if (raw === undefined || raw === '') return undefined
  if (!AGENT_ID.test(raw)) {
    throw new AppError('request.invalid', 'agent_id: must be an agent id (agent-<uuid4>)')
  }
  return raw
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/
const MAX_VARIABLES = 64
const MAX_VALUE = 8192
// Resolved values become header values: no line breaks or NULs.
const HEADER_SAFE = /^[^\r\n\0]*$/

/** The optional `variables` map of a run or refresh body, or a 422 naming the field. */
export const parseVariables = (raw: unknown): Record<string, string> | undefined => {
  if (raw === undefined || raw === null) return undefined
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AppError('request.invalid', 'variables: must be object')
  }
  const entries = Object.entries(raw)
  if (entries.length > MAX_VARIABLES) {
    throw new AppError('request.invalid', `variables: at most ${MAX_VARIABLES} entries`)
  }
  for (const [name, value] of entries) {
    if (!NAME.test(name)) {
      throw new AppError('request.invalid', `variables: key "${name}" is not allowed`)
    }
    if (typeof value !== 'string') {
      throw new AppError('request.invalid', `variables.${name}: must be string`)
    }
    if (value.length > MAX_VALUE || !HEADER_SAFE.test(value)) {
      throw new AppError(
        'request.invalid',
        `variables.${name}: must be at most ${MAX_VALUE} characters without line breaks`,
      )
    }
  }
  return Object.fromEntries(entries) as Record<string, string>
}
