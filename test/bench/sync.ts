import { execFile } from 'node:child_process'
import { bundle } from '../../infra/build.mjs'
import { promisify } from 'node:util'
import { mb } from './measure.js'
import type { BenchContext, Row } from './types.js'

const run = promisify(execFile)

const writes = (counts: Record<string, number>) =>
  (counts.BatchWriteItem ?? 0) +
  (counts.UpdateItem ?? 0) +
  (counts.PutItem ?? 0) +
  (counts.TransactWriteItems ?? 0)

interface WorkerResult {
  outcome: string
  ms: number
  peakRssMb: number
  peakHeapMb: number
  counts: Record<string, number>
}

/** Syncs the 1,000- and 10,000-tool fixtures through the worker's code, in a process of its own. */
export const benchSync = async (ctx: BenchContext): Promise<Row[]> => {
  const rows: Row[] = []
  // The worker runs bundled, as on Lambda (no TypeScript loader in the measured process).
  const worker = await bundle('bench-sync-worker', 'test/bench/sync-worker.ts')
  for (const [fixture, n, targetMs] of [
    [ctx.fixtures[0], 1000, 2000],
    [ctx.fixtures[1], 10_000, 10_000],
  ] as const) {
    const server = await ctx.deps.registry.create(ctx.organizationId, {
      server_name: `bench-${n}`,
      config: { mcp_server_type: 'streamable_http', server_url: fixture?.url() },
    })
    const input = {
      endpoints: ctx.endpoints,
      config: ctx.deps.config,
      message: {
        organization_id: ctx.organizationId,
        server_id: server.id,
        config_version: 1,
        reason: 'created',
      },
    }
    const { stdout } = await run(process.execPath, [worker.outfile], {
      env: { ...process.env, BENCH_INPUT: JSON.stringify(input) },
      maxBuffer: 1 << 20,
    })
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as WorkerResult
    const stored = (await ctx.deps.tools.listAll(ctx.organizationId, server.id)).length
    const writeLimit = Math.ceil(n / 25) + 5
    const all = Object.values(result.counts).reduce((a, b) => a + b, 0)
    rows.push(
      {
        name: `sync ${n} tools: wall time`,
        value: Math.round(result.ms),
        unit: 'ms',
        target: `< ${targetMs} ms`,
        ok: result.ms < targetMs,
      },
      {
        name: `sync ${n} tools: write requests`,
        value: writes(result.counts),
        unit: 'req',
        target: `<= ${writeLimit}`,
        ok: writes(result.counts) <= writeLimit,
      },
      { name: `sync ${n} tools: all DynamoDB requests`, value: all, unit: 'req' },
      {
        name: `sync ${n} tools: stored`,
        value: stored,
        unit: 'tools',
        target: `= ${n}`,
        ok: stored === n && result.outcome === 'ok',
      },
      {
        name: `sync ${n} tools: worker peak RSS`,
        value: mb(result.peakRssMb),
        unit: 'MB',
        target: '< 256 MB',
        ok: result.peakRssMb < 256,
      },
      { name: `sync ${n} tools: worker peak heap`, value: mb(result.peakHeapMb), unit: 'MB' },
    )
  }
  return rows
}
