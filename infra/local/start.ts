import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { KMSClient } from '@aws-sdk/client-kms'
import { SQSClient } from '@aws-sdk/client-sqs'
import { hashKey, newApiKey } from '../../core/auth.js'
import { createApp } from '../../functions/api/app.js'
import { deps as buildDeps } from '../../functions/deps.js'
import { sqsOptions } from '../../functions/lazy-adapters.js'
import { changesHandler } from '../../functions/stream/changes-handler.js'
import { syncHandler } from '../../functions/worker/sync-handler.js'
import { killProcesses, processesUsing, trackGroup } from './children.js'
import { sweepStaleSyncs } from '../../core/tools/sweep.js'
import { startEmulators } from './emulators.js'
import { createLifecycle } from './lifecycle.js'
import { startSqsPoller } from './pollers/sqs.js'
import { startStreamPoller } from './pollers/stream.js'
import { waitForPort } from './ports.js'
import { checkJava, checkPorts, portInUseMessage, StartError } from './preflight.js'
import { provision } from './provision.js'
import { stackFile, tryExample } from './stack-info.js'

const env = process.env
// The SDK's notice that its 2027 releases need Node 22 (README: which Node to use); read when the
// first client is made, so the runner and everything below inherit the setting.
env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
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
const stateDir = resolve(env.HANGAR_STATE_DIR || '.hangar')
const port = (name: string, fallback: number) => Number(env[name] || fallback)
const ports = {
  PORT: port('PORT', 8283),
  DYNAMODB_PORT: port('DYNAMODB_PORT', 8000),
  SQS_PORT: port('SQS_PORT', 4566),
  KMS_PORT: port('KMS_PORT', 4599),
  RUNNER_PORT: port('RUNNER_PORT', 8100),
}
const write = (stream: NodeJS.WriteStream) => (text: string) => {
  try {
    stream.write(text)
  } catch {
    // the terminal is gone (SIGHUP): keep stopping quietly
  }
}
const out = write(process.stdout)
const err = write(process.stderr)
process.stdout.on('error', () => undefined)
process.stderr.on('error', () => undefined)

const lifecycle = createLifecycle({
  out: (line) => out(`${line}\n`),
  boundMs: 12_000,
  graceMs: 3_000,
})

try {
  checkJava()
  await checkPorts(ports)
  mkdirSync(stateDir, { recursive: true })
  chmodSync(stateDir, 0o700) // key material and table data: not for the stdio children's uids

  const emulators = await startEmulators({
    ports: { dynamodb: ports.DYNAMODB_PORT, sqs: ports.SQS_PORT, kms: ports.KMS_PORT },
    stateDir: inMemory ? undefined : stateDir,
  })
  lifecycle.add({ name: 'emulators', stop: () => emulators.stop() })
  void emulators.exited.then(() => lifecycle.stop(1, 'DynamoDB Local exited'))

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
  const runnerPort = ports.RUNNER_PORT
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
  // Every folder the runner's children get (HOME, TMPDIR, package downloads) lives in here, so
  // the stop can remove all of it and find any process still using it.
  const runnerTemp = mkdtempSync(join(tmpdir(), 'hangar-runner-'))
  chmodSync(runnerTemp, 0o711) // the sandbox's per-uid folders inside must be reachable
  const clearRunnerTemp = () => {
    killProcesses(processesUsing(runnerTemp))
    rmSync(runnerTemp, { recursive: true, force: true })
  }
  // A forced stop exits before the runner's stop below has run: the folder goes on the way out.
  process.once('exit', clearRunnerTemp)
  const runner = spawn(process.execPath, ['--import', 'tsx', 'functions/runner/main.ts'], {
    env: {
      ...Object.fromEntries(runnerEnv),
      RUNNER_HOST: '127.0.0.1',
      RUNNER_PORT: String(runnerPort),
      ...(isolated ? {} : { HANGAR_RUNNER_ALLOW_UNISOLATED: 'true' }),
      TMPDIR: runnerTemp,
      HANGAR_RUNNER_DRAIN_MS: env.HANGAR_RUNNER_DRAIN_MS || '2000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
    // Its own process group: a Ctrl-C reaches this process, which stops the runner in order.
    detached: true,
  })
  trackGroup(runner, 'SIGTERM')
  const runnerExited = new Promise<void>((resolve) => runner.once('exit', () => resolve()))
  let runnerAlive = true
  let runnerStopping = false
  void runnerExited.then(() => {
    runnerAlive = false
    if (!runnerStopping) void lifecycle.stop(1, 'the stdio runner exited')
  })
  const within = (ms: number) =>
    Promise.race([runnerExited.then(() => true), new Promise((r) => setTimeout(r, ms, false))])
  lifecycle.add({
    name: 'stdio runner',
    // SIGTERM drains it; a second SIGTERM makes it kill its children at once; SIGKILL last.
    stop: async () => {
      runnerStopping = true
      if (runnerAlive) runner.kill('SIGTERM')
      if (!(await within(5_000))) runner.kill('SIGTERM')
      if (!(await within(2_000))) runner.kill('SIGKILL')
      await runnerExited
      clearRunnerTemp()
    },
    force: () => {
      runnerStopping = true
      if (runnerAlive) runner.kill('SIGTERM')
    },
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
  lifecycle.add({ name: 'sync queue poller', stop: () => sqsPoller.stop() })
  // Queued messages do not outlive a restart: syncs left pending or running are queued again.
  await sweepStaleSyncs(deps.sweep, { graceMs: 0, afterRestart: true })
  const streamPoller = startStreamPoller({
    streams: new DynamoDBStreamsClient({}),
    streamArn: provisioned.streamArn,
    handler: changesHandler(deps),
    checkpointFile: inMemory ? undefined : join(stateDir, 'stream-checkpoint.json'),
    onError: (error) => deps.log.warn('stream poller error', { error: String(error) }),
  })
  lifecycle.add({ name: 'stream poller', stop: () => streamPoller.stop() })

  const host = env.HOST ?? '127.0.0.1'
  const server = serve({ fetch: createApp(deps).fetch, port: ports.PORT, hostname: host })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' ? new StartError(portInUseMessage('PORT', ports.PORT)) : error,
      ),
    )
  })
  lifecycle.add({
    name: 'API',
    stop: () => new Promise((r) => server.close(r)),
    force: () => ('closeAllConnections' in server ? server.closeAllConnections() : undefined),
  })

  // Lets `npm run keys` find this stack without any variables; removed at stop.
  const info = stackFile(stateDir)
  writeFileSync(
    info,
    `${JSON.stringify({ pid: process.pid, dynamodb: emulators.endpoints.dynamodb, region: env.AWS_REGION, table: provisioned.tableName }, null, 2)}\n`,
  )
  lifecycle.add({ name: 'stack file', stop: async () => rmSync(info, { force: true }) })

  const base = `http://${host}:${ports.PORT}`
  out(
    [
      '',
      `Hangar is running at ${base}  (${inMemory ? 'in-memory data' : `data in ${stateDir}`})`,
      `API key (org "local"): ${apiKey}`,
      `DynamoDB ${emulators.endpoints.dynamodb}   SQS ${emulators.endpoints.sqs}   KMS ${emulators.endpoints.kms}   stdio runner ${env.HANGAR_RUNNER_URL}`,
      `API reference: ${base}/docs`,
      '',
      'Try (registers server-everything, run over stdio by the runner with node):',
      tryExample(
        base,
        apiKey,
        resolve('node_modules/@modelcontextprotocol/server-everything/dist/index.js'),
      ),
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  )
} catch (error) {
  if (error instanceof StartError) err(`Hangar cannot start:\n${error.message}\n`)
  else err(`Hangar failed to start: ${(error as Error).stack ?? String(error)}\n`)
  await lifecycle.stop(1, 'start failed')
}
