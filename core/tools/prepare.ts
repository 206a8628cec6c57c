import { contentHash, toolJsonSchema } from '../schema/index.js'
import type { Prepared } from './plan.js'
import type { McpTool } from './types.js'

/** Letta's MAX_TOOL_NAME_LENGTH. */
export const MAX_TOOL_NAME_LENGTH = 48
/** Leaves room under DynamoDB's 400 KB item limit for the rest of the tool item. */
export const MAX_SCHEMA_BYTES = 160_000

const tooLarge = (size: number): Prepared => ({
  ok: false,
  reasons: [`schema too large to store: ${size} bytes (limit ${MAX_SCHEMA_BYTES})`],
})

/**
 * A listed tool's stored shape, or why it is rejected: a name Letta would refuse, a list-time
 * INVALID schema (as in Letta), or a schema too large to store.
 */
export const prepareTool = (tool: McpTool): Prepared => {
  if (tool.name.length > MAX_TOOL_NAME_LENGTH) {
    return {
      ok: false,
      reasons: [
        `Tool name ${tool.name} is too long. It must be less than ${MAX_TOOL_NAME_LENGTH} characters.`,
      ],
    }
  }
  // Measured before any schema work, which grows with the input's size: a hostile server's
  // megabyte schema costs one serialisation, not a normalisation.
  const inputSize = Buffer.byteLength(JSON.stringify(tool.inputSchema ?? null))
  if (inputSize > MAX_SCHEMA_BYTES) return tooLarge(inputSize)
  const record = toolJsonSchema(tool)
  if (record.listed?.status === 'INVALID') return { ok: false, reasons: record.listed.reasons }
  const size = Buffer.byteLength(JSON.stringify([record.jsonSchema, tool.inputSchema ?? null]))
  if (size > MAX_SCHEMA_BYTES) return tooLarge(size)
  const hash = contentHash({
    name: tool.name,
    title: tool.title ?? null,
    description: tool.description ?? null,
    inputSchema: tool.inputSchema ?? null,
    outputSchema: tool.outputSchema ?? null,
    annotations: tool.annotations ?? null,
  })
  return { ok: true, jsonSchema: record.jsonSchema as Record<string, unknown>, contentHash: hash }
}
