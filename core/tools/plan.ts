import { servedName } from '../mcp-endpoint/names.js'
import type { SyncReport } from '../registry/types.js'
import type { ListedTool, McpTool, StoredTool, ToolWrite } from './types.js'

/** What one listed tool becomes: a stored shape, or a rejection with reasons. */
export type Prepared =
  | { ok: true; jsonSchema: Record<string, unknown>; contentHash: string }
  | { ok: false; reasons: string[] }

export interface PlanInput {
  listed: ListedTool[]
  stored: StoredTool[]
  server: { organizationId: string; id: string; name: string }
  now: string
  newId(name: string): string
  prepare(tool: McpTool): Prepared
}

export interface Plan {
  write: ToolWrite
  report: SyncReport
  toolCount: number
}

/**
 * Diffs a server's listed tools against its stored ones by name. Unchanged tools (same content
 * hash, same server name) are not written; stored ids are kept; a stored tool that turns invalid
 * is deleted and reported as rejected, as is an entry with no name (under its position).
 */
export const planSync = (input: PlanInput): Plan => {
  const stored = new Map(input.stored.map((t) => [t.name, t]))
  const seen = new Set<string>()
  const write: ToolWrite = { puts: [], deletes: [] }
  const report: SyncReport = { added: [], updated: [], deleted: [], rejected: [] }
  let toolCount = 0
  for (const tool of input.listed) {
    if (tool.name === undefined) {
      report.rejected.push({ name: `tools[${tool.position}]`, reasons: [tool.reason] })
      continue
    }
    if (seen.has(tool.name)) {
      report.rejected.push({ name: tool.name, reasons: ['duplicate tool name in the listing'] })
      continue
    }
    seen.add(tool.name)
    const prepared = input.prepare(tool)
    const previous = stored.get(tool.name)
    if (!prepared.ok) {
      report.rejected.push({ name: tool.name, reasons: prepared.reasons })
      if (previous) write.deletes.push(tool.name)
      continue
    }
    toolCount++
    const served = servedName(input.server.name, tool.name)
    const unchanged =
      previous?.contentHash === prepared.contentHash &&
      previous.serverName === input.server.name &&
      previous.servedName === served
    if (unchanged) continue
    write.puts.push({
      organizationId: input.server.organizationId,
      serverId: input.server.id,
      id: previous?.id ?? input.newId(tool.name),
      name: tool.name,
      description: tool.description ?? null,
      tags: [`mcp:${input.server.name}`],
      jsonSchema: prepared.jsonSchema,
      inputSchema: tool.inputSchema ?? null,
      annotations: tool.annotations,
      title: tool.title,
      outputSchema: tool.outputSchema,
      servedName: served,
      contentHash: prepared.contentHash,
      serverName: input.server.name,
      createdAt: previous?.createdAt ?? input.now,
      updatedAt: input.now,
    })
    if (!previous) report.added.push(tool.name)
    else if (previous.contentHash !== prepared.contentHash) report.updated.push(tool.name)
  }
  for (const name of stored.keys()) {
    if (!seen.has(name)) {
      write.deletes.push(name)
      report.deleted.push(name)
    }
  }
  return { write, report, toolCount }
}
