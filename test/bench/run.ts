import { mkdirSync, writeFileSync } from 'node:fs'
import { startEmulators } from '../../infra/local/emulators.js'
import { freePort } from '../../infra/local/ports.js'
import { provision } from '../../infra/local/provision.js'
import { startPagedServer } from '../fixtures/mcp/paged-server.js'
import { clientsFor } from '../support/aws.js'
import { benchCascade } from './cascade.js'
import { benchSchemas } from './schemas.js'
import { benchSync } from './sync.js'
import { benchLoad } from './load.js'
import { benchMcpEndpoint } from './mcp-endpoint.js'
import { benchColdInit } from './cold-init.js'
import type { BenchContext, Row } from './types.js'
import { buildDeps } from '../../functions/deps.js'
import { createApiKey } from '../../core/auth.js'
import { countRequests } from './measure.js'
import { batchWrite } from '../../core/adapters/dynamo/batch-write.js'

const silent = { debug() {}, info() {}, warn() {}, error() {} }

// The AWS SDK's notice that its 2027 releases need Node 22 (README: which Node to use); read when
// the first client is made, as in `npm start` and the tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

/**
 * DynamoDB Local runs on the JVM, whose first few thousand writes are slow while the JIT
 * compiles (AWS has no such phase). Write and delete scratch items first, so the figures
 * measure Hangar, not the emulator's warm-up.
 */
const warmUp = async (deps: ReturnType<typeof buildDeps>) => {
  for (let round = 0; round < 4; round++) {
    const keys = Array.from({ length: 1000 }, (_, i) => ({ pk: 'WARMUP', sk: `${round}#${i}` }))
    await batchWrite(
      deps.db,
      deps.config.tableName,
      keys.map((Item) => ({ PutRequest: { Item: { ...Item, pad: 'x'.repeat(300) } } })),
    )
    await batchWrite(
      deps.db,
      deps.config.tableName,
      keys.map((Key) => ({ DeleteRequest: { Key } })),
    )
  }
}

/** `npm run bench -- load sync` runs only those; no names runs all and writes bench.json. */
const only = process.argv.slice(2)
const wanted = (name: string) => only.length === 0 || only.includes(name)

/** Benchmarks of pure CPU work run first, on a quiet machine (no emulator, no JVM running yet). */
const quiet: [string, () => Promise<Row[]>][] = [
  ['schemas', () => benchSchemas()],
  ['cold-init', () => benchColdInit()],
]

const main = async () => {
  const rows: Row[] = []
  for (const [name, bench] of quiet) if (wanted(name)) rows.push(...(await bench()))
  if (['sync', 'cascade', 'load', 'mcp'].some(wanted)) rows.push(...(await onTheLocalStack()))
  report(rows, only.length === 0)
}

/** Benchmarks that need the emulators, started here and stopped afterwards. */
const onTheLocalStack = async (): Promise<Row[]> => {
  const ports = { dynamodb: await freePort(), sqs: await freePort(), kms: await freePort() }
  const emulators = await startEmulators({ ports })
  const fixtures = await Promise.all([
    startPagedServer({ tools: 1000, pageSize: 500 }),
    startPagedServer({ tools: 10_000, pageSize: 500 }),
  ])
  try {
    const clients = clientsFor(emulators.endpoints)
    const provisioned = await provision(clients)
    const counter = countRequests(clients.dynamodb)
    const deps = buildDeps(
      {
        tableName: provisioned.tableName,
        syncQueueUrl: provisioned.queueUrl,
        kmsKeyId: provisioned.keyAlias,
        allowPrivateUrls: true,
        version: 'bench',
        connectTimeoutMs: 10_000,
        listTimeoutMs: 30_000,
        refreshTimeoutMs: 60_000,
        runTimeoutMs: 10_000,
      },
      clients,
      silent,
    )
    await createApiKey(deps.apiKeys, 'bench')
    await warmUp(deps)
    const ctx: BenchContext = {
      deps,
      clients,
      counter,
      organizationId: 'bench',
      fixtures,
      endpoints: emulators.endpoints,
    }
    const benches: [string, () => Promise<Row[]>][] = [
      ['sync', () => benchSync(ctx)],
      ['cascade', () => benchCascade(ctx)],
      ['load', () => benchLoad(ctx, provisioned.streamArn)],
      ['mcp', () => benchMcpEndpoint(ctx)],
    ]
    const rows: Row[] = []
    for (const [name, bench] of benches) if (wanted(name)) rows.push(...(await bench()))
    return rows
  } finally {
    await Promise.all(fixtures.map((f) => f.close()))
    await emulators.stop()
  }
}

/** Prints the table and, for a full run, writes the same figures to .hangar/bench.json. */
const report = (rows: Row[], write: boolean) => {
  const width = Math.max(...rows.map((r) => r.name.length))
  process.stdout.write('\nbenchmark'.padEnd(width + 2) + 'value        target       ok\n')
  for (const row of rows) {
    const value = `${row.value} ${row.unit}`.padEnd(13)
    const target = (row.target ?? '').padEnd(13)
    const ok = row.ok === undefined ? '' : row.ok ? 'yes' : 'NO'
    process.stdout.write(`${row.name.padEnd(width + 1)} ${value}${target}${ok}\n`)
  }
  if (!write) return
  mkdirSync('.hangar', { recursive: true })
  const file = '.hangar/bench.json'
  const figures = Object.fromEntries(
    rows.map((r) => [r.name, { value: r.value, unit: r.unit, target: r.target, ok: r.ok }]),
  )
  writeFileSync(
    file,
    `${JSON.stringify({ ...figures, measured_at: new Date().toISOString() }, null, 2)}\n`,
  )
  process.stdout.write(`\nwritten to ${file}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`)
  process.exit(1)
})
