import type { ListedTool, McpTool } from './types.js'

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const text = (value: unknown) => (typeof value === 'string' ? value : undefined)

/**
 * One `tools/list` entry, read on its own: any JSON `inputSchema` is kept as served (the schema
 * validator judges it later), text fields of the wrong type are left out, and an entry without a
 * string name becomes an {@link UnnamedTool} with the reason. Nothing here affects another entry.
 */
export const readTool = (entry: unknown, position: number): ListedTool => {
  if (!isRecord(entry)) return { position, reason: 'tools/list entry is not a JSON object' }
  const name = entry.name
  if (typeof name !== 'string') {
    const found = name === undefined ? 'none' : `a ${name === null ? 'null' : typeof name}`
    return { position, reason: `tool has no string 'name' (found ${found})` }
  }
  if (name.trim() === '') return { position, reason: "tool 'name' is empty" }
  const tool: McpTool = { name, inputSchema: entry.inputSchema }
  const title = text(entry.title)
  const description = text(entry.description)
  if (title !== undefined) tool.title = title
  if (description !== undefined) tool.description = description
  for (const key of ['outputSchema', 'annotations', '_meta'] as const) {
    if (entry[key] !== undefined) tool[key] = entry[key]
  }
  return tool
}

/** The entries of one `tools/list` page; a page without a `tools` array is not MCP. */
export const readPage = (
  result: Record<string, unknown>,
  offset: number,
): ListedTool[] | undefined =>
  Array.isArray(result.tools)
    ? result.tools.map((entry, i) => readTool(entry, offset + i))
    : undefined
