import type { McpCallResult } from '../ports.js'

const EMPTY = 'Empty response from tool'

const describe = (part: unknown): string => {
  if (typeof part !== 'object' || part === null) return String(part)
  const p = part as Record<string, unknown>
  if (p.type === 'text' && typeof p.text === 'string') return p.text
  if ((p.type === 'image' || p.type === 'audio') && typeof p.data === 'string') {
    return `[${p.type}: ${String(p.mimeType ?? 'unknown type')}, ${p.data.length} base64 characters]`
  }
  if (p.type === 'resource_link') return `[resource link: ${String(p.uri ?? '')}]`
  if (p.type === 'resource' && typeof p.resource === 'object' && p.resource !== null) {
    const r = p.resource as Record<string, unknown>
    return typeof r.text === 'string' ? r.text : `[resource: ${String(r.uri ?? '')}]`
  }
  return JSON.stringify(part)
}

/**
 * Letta's `ToolExecutionResult` for an MCP result: the content parts as text joined by one space
 * (non-text parts described), `Empty response from tool` when there are none.
 */
export const executionResult = (result: McpCallResult) => {
  const parts = (result.content ?? []).map(describe)
  return {
    status: result.isError ? ('error' as const) : ('success' as const),
    func_return: parts.length ? parts.join(' ') : EMPTY,
    stdout: null,
    stderr: null,
  }
}
