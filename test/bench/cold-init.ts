import { execFileSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { bundle } from '../../infra/build.mjs'
import type { Row } from './types.js'

const RUNS = 11

/** The environment a deployed API function has; no request is made while importing. */
const env = {
  ...process.env,
  HANGAR_TABLE: 'hangar',
  HANGAR_SYNC_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/hangar-sync',
  HANGAR_KMS_KEY_ID: 'alias/hangar-secrets',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
  // Lambda runs Node 22, where the SDK prints no Node-version notice.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
}

/**
 * Wall and CPU milliseconds a fresh node process spends importing the bundle (Lambda's init
 * phase). CPU time is the steadier figure on a busy machine; both are reported.
 */
const importMs = (file: string): { wall: number; cpu: number } => {
  const script = [
    'const t = performance.now(); const c = process.cpuUsage()',
    `await import(${JSON.stringify(pathToFileURL(file).href)})`,
    'const u = process.cpuUsage(c)',
    'process.stdout.write(JSON.stringify({ wall: performance.now() - t, cpu: (u.user + u.system) / 1000 }))',
  ].join('\n')
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env,
      encoding: 'utf8',
    }),
  )
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

/** API bundle size and cold init against a bare Hono + DynamoDB-client handler built alongside. */
export const benchColdInit = async (): Promise<Row[]> => {
  const api = await bundle('api', 'functions/api/index.ts')
  const bare = await bundle('bare', 'test/bench/bare-handler.ts')
  const apiRuns: { wall: number; cpu: number }[] = []
  const bareRuns: { wall: number; cpu: number }[] = []
  for (let i = 0; i < RUNS; i++) {
    apiRuns.push(importMs(api.outfile))
    bareRuns.push(importMs(bare.outfile))
  }
  const wall = (runs: typeof apiRuns) => median(runs.map((r) => r.wall))
  const cpu = (runs: typeof apiRuns) => median(runs.map((r) => r.cpu))
  const ratio = wall(apiRuns) / wall(bareRuns)
  const cpuRatio = cpu(apiRuns) / cpu(bareRuns)
  const kb = (bytes: number) => Math.round(bytes / 102.4) / 10
  return [
    { name: 'api bundle size (entry)', value: kb(api.bytes), unit: 'KB' },
    { name: 'api bundle size (entry + lazy chunks)', value: kb(api.total), unit: 'KB' },
    { name: 'api bundle size (gzip)', value: kb(api.gzipped), unit: 'KB' },
    { name: 'bare bundle size', value: kb(bare.bytes), unit: 'KB' },
    {
      name: `api cold init wall (median of ${RUNS})`,
      value: Math.round(wall(apiRuns)),
      unit: 'ms',
    },
    {
      name: `bare cold init wall (median of ${RUNS})`,
      value: Math.round(wall(bareRuns)),
      unit: 'ms',
    },
    { name: `api cold init CPU (median of ${RUNS})`, value: Math.round(cpu(apiRuns)), unit: 'ms' },
    {
      name: `bare cold init CPU (median of ${RUNS})`,
      value: Math.round(cpu(bareRuns)),
      unit: 'ms',
    },
    {
      name: 'cold init ratio api/bare (wall)',
      value: Math.round(ratio * 100) / 100,
      unit: 'x',
      target: '<= 1.5',
      ok: ratio <= 1.5,
    },
    {
      name: 'cold init ratio api/bare (CPU)',
      value: Math.round(cpuRatio * 100) / 100,
      unit: 'x',
      target: '<= 1.5',
      ok: cpuRatio <= 1.5,
    },
  ]
}
