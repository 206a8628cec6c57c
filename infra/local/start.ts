import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { hashKey, newApiKey } from '../../core/auth.js'
import { createApp } from '../../functions/api/app.js'
import { deps as buildDeps } from '../../functions/deps.js'
import { sqsOptions } from '../../functions/lazy-adapters.js'
import { changesHandler } from '../../functions/stream/changes-handler.js'
import { syncHandler } from '../../functions/worker/sync-handler.js'
import { sweepStaleSyncs } from '../../core/tools/sweep.js'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { KMSClient } from '@aws-sdk/client-kms'
import { SQSClient } from '@aws-sdk/client-sqs'
import { startEmulators } from './emulators.js'
import { startSqsPoller } from './pollers/sqs.js'
import { startStreamPoller } from './pollers/stream.js'
import { waitForPort } from './ports.js'
import { provision } from './provision.js'

const env = process.env
const UNISOLATED_WARNING = [
  '',
  '!!! WARNING: not running as root, so stdio servers are NOT isolated from each other. !!!',
  "!!! They all run as your own user: any of them can read your files, the others' env  !!!",
  "!!! secrets and this stack's keys. Fine for your own servers on your own machine;   !!!",
  '!!! run `npm start` as root (as CI does) to give each one a uid of its own.          !!!',
  '',
  '',
].join('\n')
const inMemory = process.argv.includes('--in-memory')
const stateDir = resolve(env.HANGAR_STATE_DIR ?? '.hangar')
mkdirSync(stateDir, { recursive: true })
chmodSync(stateDir, 0o700) // key material and table data: not for the stdio children's uids
const port = (name: string, fallback: number) => Number(env[name] ?? fallback)
const ports = {
  dynamodb: port('DYNAMODB_PORT', 8000),
  sqs: port('SQS_PORT', 4566),
  kms: port('KMS_PORT', 4599),
}

const emulators = await startEmulators({ ports, stateDir: inMemory ? undefined : stateDir })
const stops: (() => Promise<unknown>)[] = [() => emulators.stop()]
const shutdown = async (code: number) => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined)
  process.exit(code)
}
process.once('SIGINT', () => void shutdown(0))
process.once('SIGTERM', () => void shutdown(0))

try {
  Object.assign(env, {
    AWS_REGION: env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY ?? 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: emulators.endpoints.dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: emulators.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: emulators.endpoints.sqs,
    AWS_ENDPOINT_URL_KMS: emulators.endpoints.kms,
    HANGAR_ALLOW_PRIVATE_URLS: env.HANGAR_ALLOW_PRIVATE_URLS ?? 'true',
  })
  // Endpoints come from AWS_ENDPOINT_URL_* above, which the SDK reads by itself.
  const clients = {
    dynamodb: new DynamoDBClient({}),
    sqs: new SQSClient(sqsOptions),
    kms: new KMSClient({}),
  }
  const provisioned = await provision(clients)
  Object.assign(env, {
    HANGAR_TABLE: provisioned.tableName,
    HANGAR_SYNC_QUEUE_URL: provisioned.queueUrl,
    HANGAR_KMS_KEY_ID: provisioned.keyAlias,
  })
  // The stdio runner, as its own process (a Fargate task on AWS), on loopback only.
  const runnerPort = port('RUNNER_PORT', 8100)
  Object.assign(env, {
    HANGAR_RUNNER_SECRET: env.HANGAR_RUNNER_SECRET || randomBytes(32).toString('hex'),
    HANGAR_RUNNER_URL: `http://127.0.0.1:${runnerPort}`,
  })
  // It gets no AWS settings, table or key: the functions send each launch spec, sealed.
  const runnerEnv = Object.entries(env).filter(
    ([key]) => !/^(AWS_|HANGAR_)/.test(key) || /^HANGAR_(RUNNER_|STDIO_)/.test(key),
  )
  // As root the runner isolates each stdio server as on AWS; as anyone else it cannot switch uid.
  const isolated = process.getuid?.() === 0
  if (!isolated) process.stderr.write(UNISOLATED_WARNING)
  const runner = spawn(process.execPath, ['--import', 'tsx', 'functions/runner/main.ts'], {
    env: {
      ...Object.fromEntries(runnerEnv),
      RUNNER_HOST: '127.0.0.1',
      RUNNER_PORT: String(runnerPort),
      ...(isolated ? {} : { HANGAR_RUNNER_ALLOW_UNISOLATED: 'true' }),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  let runnerAlive = true
  const runnerExited = new Promise<void>((resolve) =>
    runner.once('exit', () => {
      runnerAlive = false
      resolve()
    }),
  )
  stops.push(async () => {
    if (runnerAlive) runner.kill('SIGTERM')
    await runnerExited
  })
  await waitForPort(runnerPort, 30_000, () => runnerAlive)

  const deps = buildDeps('hangar-local')

  // The bootstrap key: HANGAR_API_KEY, else the one kept in .hangar/, else a new one.
  const keyFile = join(stateDir, 'api-key')
  const apiKey =
    env.HANGAR_API_KEY || (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : newApiKey())
  if (!env.HANGAR_API_KEY) writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 })
  await deps.apiKeys.put(hashKey(apiKey), 'local', 'bootstrap')

  const sqsPoller = startSqsPoller({
    sqs: clients.sqs,
    queueUrl: provisioned.queueUrl,
    handler: syncHandler(deps),
    onError: (error) => deps.log.warn('sqs poller error', { error: String(error) }),
  })
  stops.push(() => sqsPoller.stop())
  // Queued messages do not outlive a restart: syncs left pending or running are queued again.
  await sweepStaleSyncs(deps.sweep, { graceMs: 0, afterRestart: true })
  const streamPoller = startStreamPoller({
    streams: new DynamoDBStreamsClient({}),
    streamArn: provisioned.streamArn,
    handler: changesHandler(deps),
    checkpointFile: inMemory ? undefined : join(stateDir, 'stream-checkpoint.json'),
    onError: (error) => deps.log.warn('stream poller error', { error: String(error) }),
  })
  stops.push(() => streamPoller.stop())

  const host = env.HOST ?? '127.0.0.1'
  const server = serve({ fetch: createApp(deps).fetch, port: port('PORT', 8283), hostname: host })
  stops.push(() => new Promise((r) => server.close(r)))
  await new Promise((r) => server.once('listening', r))
  const base = `http://${host}:${port('PORT', 8283)}`
  process.stdout.write(
    [
      '',
      `Hangar is running at ${base}  (${inMemory ? 'in-memory data' : `data in ${stateDir}`})`,
      `API key (org "local"): ${apiKey}`,
      `DynamoDB ${emulators.endpoints.dynamodb}   SQS ${emulators.endpoints.sqs}   KMS ${emulators.endpoints.kms}   stdio runner ${env.HANGAR_RUNNER_URL}`,
      '',
      'Try:',
      `  curl -s ${base}/v1/mcp-servers/ -H 'Authorization: Bearer ${apiKey}' -H 'content-type: application/json' \\`,
      `    -d '{"server_name":"everything","config":{"mcp_server_type":"streamable_http","server_url":"http://127.0.0.1:3001/mcp"}}'`,
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  )
} catch (error) {
  process.stderr.write(`Hangar failed to start: ${(error as Error).stack ?? String(error)}\n`)
  await shutdown(1)
}
