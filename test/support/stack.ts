import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../infra/local/ports.js'
import { commandOf, processTree, stillRunning, waitUntil } from './processes.js'

/** Process ids of DynamoDB Local instances started on `port`. */
export const javaPids = (port: number) =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal.jar') && line.includes(`-port ${port}`))
    .map((line) => Number(line.trim().split(/\s+/)[0]))

/** The stdio runner's temp folder (its TMPDIR), read from the environment of the runner in `tree`. */
export const runnerTemp = (tree: number[]) => {
  for (const pid of tree) {
    if (!commandOf(pid).includes('functions/runner/main.ts')) continue
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
    return env.find((entry) => entry.startsWith('TMPDIR='))?.slice('TMPDIR='.length)
  }
  return undefined
}

export const stackPorts = async () => ({
  PORT: await freePort(),
  DYNAMODB_PORT: await freePort(),
  SQS_PORT: await freePort(),
  KMS_PORT: await freePort(),
  RUNNER_PORT: await freePort(),
})

/**
 * `npm start`'s program on free ports with a throwaway state folder; `stop()` sends SIGTERM.
 * With `via: 'npm'` it runs `npm start` itself, in a process group of its own as a terminal's
 * foreground job would be (so a test can send that group a Ctrl-C). With `stateDir` it runs on
 * that folder (a restart) and leaves it in place; the caller removes it.
 */
export const startStack = async (
  extraEnv: Record<string, string> = {},
  options: {
    via?: 'node' | 'npm'
    ports?: Awaited<ReturnType<typeof stackPorts>>
    stateDir?: string
  } = {},
) => {
  const ports = options.ports ?? (await stackPorts())
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'hangar-stack-'))
  const env = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    HANGAR_STATE_DIR: stateDir,
    HANGAR_API_KEY: '',
    ...extraEnv,
  }
  const child =
    options.via === 'npm'
      ? spawn('npm', ['start', '--silent'], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        })
      : spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const deadline = Date.now() + 90_000
  while (!output.includes('Ctrl-C stops everything') && Date.now() < deadline) {
    if (child.exitCode !== null) break
    await new Promise((r) => setTimeout(r, 200))
  }
  const baseURL = `http://127.0.0.1:${ports.PORT}`
  const key = /API key \(org "local"\): (\S+)/.exec(output)?.[1] ?? ''
  return {
    ports,
    baseURL,
    key,
    stateDir,
    pid: child.pid ?? 0,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      const code = await exited
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true })
      return code
    },
    /**
     * A crash: SIGKILL to every process of the stack at once (node, DynamoDB Local's java, the
     * runner and its children), so nothing stops in order. Waits until they are all gone and
     * removes the runner's temp folder, which nothing else would. Returns the pids it killed.
     */
    crash: async () => {
      const tree = processTree(child.pid ?? 0)
      const temp = runnerTemp(tree)
      for (const pid of tree) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      await exited
      await waitUntil(() => stillRunning(tree).length === 0, 10_000)
      if (temp) rmSync(temp, { recursive: true, force: true })
      return tree
    },
  }
}
