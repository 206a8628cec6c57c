import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { inject } from 'vitest'
import { launchSpecOf, runnerGateway, runnerTarget } from '../../../core/adapters/runner/index.js'
import { DEFAULT_ALLOWLIST, type LaunchSpec } from '../../../core/runner/policy.js'
import { ReplayCache } from '../../../core/runner/replay-cache.js'
import { sealLaunch } from '../../../core/runner/sealed-launch.js'
import { signRequest } from '../../../core/runner/signing.js'
import type { ServerRecord } from '../../../core/registry/types.js'
import { createRunnerApp } from '../../../functions/runner/app.js'
import { runnerPool } from '../../../functions/runner/deps.js'
import { startRunner } from '../../../functions/runner/serve.js'
import { clientsFor } from '../../support/aws.js'
import { memoryLog, newOrg, testDeps } from '../../support/deps.js'
import { privateQueue } from '../../support/queue.js'
import { testSandbox } from '../../support/sandbox.js'
import type { SandboxSettings } from '../../../core/sandbox/settings.js'

export const SECRET = 'runner-test-secret-0123456789abcdef'
export const EVERYTHING = resolve(
  'node_modules/@modelcontextprotocol/server-everything/dist/index.js',
)
export const FILESYSTEM = resolve(
  'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js',
)
export const FIXTURE = resolve('test/fixtures/runner/fixture-server.mjs')
export const PRELOAD = resolve('test/fixtures/runner/node-options-preload.cjs')
export const LIMITS = { connectTimeoutMs: 20_000, listTimeoutMs: 10_000, timeoutMs: 10_000 }

export interface RunnerOptions {
  idleMs?: number
  maxProcesses?: number
  cooldownMs?: number
  maxPerOrganization?: number
  maxStartingPerOrganization?: number
  queueMs?: number
  startTimeoutMs?: number
  secret?: string
  sandbox?: Partial<SandboxSettings>
}

/** A request as the runner received it, before anything of the runner read it. */
export interface Received {
  method: string
  url: string
  headers: [string, string][]
  body: string
}

/**
 * The runner app served on a free 127.0.0.1 port. It reads no table and no key: the registry
 * (emulator-backed store and KMS) is the callers' side, which opens a server's env and sends it
 * sealed. Every request the runner gets is kept in `received`.
 */
export const startTestRunner = async (options: RunnerOptions = {}) => {
  const queueUrl = await privateQueue(clientsFor(inject('endpoints')).sqs, 'runner')
  const { deps } = testDeps({ syncQueueUrl: queueUrl })
  const { log, lines } = memoryLog()
  const sandbox = testSandbox(options.sandbox)
  const secret = options.secret ?? SECRET
  const pool = runnerPool(
    {
      idleMs: options.idleMs ?? 60_000,
      maxProcesses: options.maxProcesses ?? 20,
      maxPerOrganization: options.maxPerOrganization ?? 5,
      maxStartingPerOrganization: options.maxStartingPerOrganization ?? 2,
      queueMs: options.queueMs ?? 5_000,
      startTimeoutMs: options.startTimeoutMs ?? 20_000,
      cooldownMs: options.cooldownMs ?? 60_000,
      sandbox: sandbox.settings,
    },
    log,
  )
  const app = createRunnerApp({
    pool,
    allowlist: DEFAULT_ALLOWLIST,
    requestTimeoutMs: 10_000,
    secret,
    replay: new ReplayCache(),
    log,
  })
  const received: Received[] = []
  const fetch = async (request: Request) => {
    received.push({
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      body: await request.clone().text(),
    })
    return app.fetch(request)
  }
  const started = await startRunner(
    { fetch },
    pool,
    { host: '127.0.0.1', port: 0, drainMs: 2_000 },
    log,
  )
  // Stopping the runner also removes its sandbox folder.
  const runner = { ...started, stop: () => started.stop().finally(sandbox.remove) }
  const client = { url: runner.url, secret }
  /** Where the functions reach `server`, its env opened and sealed as the functions do it. */
  const target = async (server: ServerRecord) =>
    runnerTarget(server, client, await launchSpecOf(server, deps.registry.secrets))
  const gateway = runnerGateway(client, LIMITS, deps.registry.secrets)
  return {
    deps,
    pool,
    runner,
    client,
    target,
    gateway,
    received,
    lines,
    newOrg: () => newOrg(deps),
  }
}

export type TestRunner = Awaited<ReturnType<typeof startTestRunner>>

export const stdio = (
  name: string,
  command: string,
  args: string[],
  env?: Record<string, string>,
) => ({
  server_name: name,
  config: { mcp_server_type: 'stdio', command, args, ...(env ? { env } : {}) },
})

interface Row {
  pid: number
  pgid: number
  stat: string
  args: string
}

export const processTable = (): Row[] =>
  execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .flatMap((m) =>
      m ? [{ pid: Number(m[1]), pgid: Number(m[2]), stat: m[3]!, args: m[4]! }] : [],
    )

/**
 * Processes that are, or share the group of, `pid` and still run. A zombie (stat Z) has exited and
 * only waits for init to collect it, so it does not count.
 */
export const leftovers = (pid: number): Row[] =>
  processTable().filter((row) => (row.pid === pid || row.pgid === pid) && !row.stat.startsWith('Z'))

export const waitFor = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 't', version: '1' },
  },
})

export interface RawOptions {
  secret?: string
  now?: number
  /** The launch spec, sealed for this request unless `seal` says otherwise; none when absent. */
  launch?: LaunchSpec
  seal?: { secret?: string; nonce?: string; path?: string }
  /** Sent as the launch verbatim (one sealed for another request). */
  sealedLaunch?: string
  /** Sent in place of the signed body or path, to tamper with the request. */
  sendBody?: string
  sendPath?: string
  headers?: Record<string, string>
}

/**
 * One POST to the runner, built and signed by hand as the functions would, so tests can forge,
 * age or replay it: `{"launch": <sealed spec>, "message": <message>}`.
 */
export const rawPost = async (
  ctx: TestRunner,
  path: string,
  message: string,
  options: RawOptions = {},
) => {
  const nonce = randomUUID()
  const seal = { secret: options.secret ?? SECRET, nonce, path, ...options.seal }
  const launch =
    options.sealedLaunch ?? (options.launch && sealLaunch(seal.secret, options.launch, seal))
  const body = JSON.stringify({ ...(launch ? { launch } : {}), message: JSON.parse(message) })
  const signed = signRequest(
    options.secret ?? SECRET,
    { method: 'POST', path, body },
    options.now ?? Date.now(),
    nonce,
  )
  const headers = {
    ...signed,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...options.headers,
  }
  const response = await fetch(`${ctx.runner.url}${options.sendPath ?? path}`, {
    method: 'POST',
    headers,
    body: options.sendBody ?? body,
  })
  return { status: response.status, json: (await response.json()) as unknown, headers, body }
}
