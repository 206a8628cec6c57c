/**
 * One sync in a process of its own, as a worker Lambda runs it, so its peak memory is the worker's
 * alone. Reads BENCH_INPUT (JSON) and prints one JSON line with its figures.
 */
import { syncServer } from '../../core/tools/sync.js'
import { buildDeps } from '../../functions/deps.js'
import { clientsFor } from '../support/aws.js'
import { countRequests, peakMemory } from './measure.js'

const input = JSON.parse(process.env.BENCH_INPUT ?? '{}')
const silent = { debug() {}, info() {}, warn() {}, error() {} }
const clients = clientsFor(input.endpoints)
const counter = countRequests(clients.dynamodb)
const deps = buildDeps(input.config, clients, silent)
const run = await peakMemory(() => syncServer(deps.sync, input.message))
process.stdout.write(
  `${JSON.stringify({ outcome: run.result.outcome, ms: run.ms, peakRssMb: run.peakRssMb, peakHeapMb: run.peakHeapMb, counts: counter.snapshot() })}\n`,
)
process.exit(0)
