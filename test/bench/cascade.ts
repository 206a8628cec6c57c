import { serverChange } from '../../core/cascade/changes.js'
import { applyServerChange } from '../../core/cascade/apply.js'
import type { BenchContext, Row } from './types.js'

/** Deletes the 10,000-tool server's children the way the stream handler does. */
export const benchCascade = async (ctx: BenchContext): Promise<Row[]> => {
  const page = await ctx.deps.registry.list(ctx.organizationId, { limit: 100 })
  const server = page.items.find((s) => s.name === 'bench-10000')
  if (!server) throw new Error('the sync bench must run first')
  const n = (await ctx.deps.tools.listAll(ctx.organizationId, server.id)).length
  await ctx.deps.registry.remove(ctx.organizationId, server.id)
  const change = serverChange({
    eventName: 'REMOVE',
    dynamodb: {
      OldImage: {
        type: { S: 'server' },
        organization_id: { S: ctx.organizationId },
        id: { S: server.id },
      },
    },
  })
  ctx.counter.reset()
  const began = performance.now()
  await applyServerChange({ children: ctx.deps.children, log: ctx.deps.log }, change)
  const ms = performance.now() - began
  const counts = ctx.counter.snapshot()
  const left = (await ctx.deps.tools.listAll(ctx.organizationId, server.id)).length
  const deletes = counts.BatchWriteItem ?? 0
  const pages = counts.Query ?? 0
  const limit = Math.ceil(n / 25)
  return [
    {
      name: `cascade ${n} tools: wall time`,
      value: Math.round(ms),
      unit: 'ms',
      target: '< 10000 ms',
      ok: ms < 10_000,
    },
    {
      name: `cascade ${n} tools: delete requests`,
      value: deletes,
      unit: 'req',
      target: `<= ${limit}`,
      ok: deletes <= limit,
    },
    { name: `cascade ${n} tools: query pages`, value: pages, unit: 'req' },
    {
      name: `cascade ${n} tools: items left`,
      value: left,
      unit: 'items',
      target: '= 0',
      ok: left === 0,
    },
  ]
}
