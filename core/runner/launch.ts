import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js'
import type { Cell, Sandbox } from '../sandbox/sandbox.js'
import { childEnv } from './child-env.js'
import { ChildTransport } from './child-transport.js'
import type { LaunchSpec } from './policy.js'
import { killGroup } from './process-group.js'
import { StderrTail } from './stderr-tail.js'
import type { Launched, LaunchResult } from './types.js'

export interface LaunchOptions {
  /** How long the child may take to answer `initialize`. */
  startTimeoutMs: number
  /** How long the group has between SIGTERM and SIGKILL. */
  graceMs: number
  /** Gives each child its identity, private folder and limits. */
  sandbox: Sandbox
  nodeDir?: string
}

const CLIENT_INFO = { name: 'hangar-runner', version: '0.1.0' }

const sleep = (ms: number) =>
  new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())

export const describeExit = (code: number | null, signal: string | null) =>
  code !== null ? `code ${code}` : `signal ${signal ?? 'unknown'}`

const withStderr = (message: string, stderr: string) =>
  stderr ? `${message}; stderr: ${stderr}` : message

const spawned = (child: ChildProcessWithoutNullStreams) =>
  new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined))
    child.once('error', resolve)
  })

/**
 * Starts one stdio server in a sandbox cell (its own uid, private folder as cwd/HOME, limits), no
 * shell, its own process group, and only `childEnv`. Resolves once it answered `initialize`; any
 * failure comes back as a message with the end of its stderr, from which every env value has been
 * cut. Stopping it, or its exit, ends every process of its uid.
 */
export const launchProcess = async (
  spec: LaunchSpec,
  organizationId: string,
  options: LaunchOptions,
): Promise<LaunchResult> => {
  let cell: Cell
  try {
    cell = await options.sandbox.open(organizationId)
  } catch (error) {
    return { ok: false, message: `could not prepare a sandbox: ${(error as Error).message}` }
  }
  const home = cell.home
  const secrets = Object.values(spec.env)
  const tail = new StderrTail()
  const closeCell = () => cell.close()
  let child: ChildProcessWithoutNullStreams
  try {
    const env = childEnv(spec.env, { home, nodeDir: options.nodeDir, sandbox: cell.env })
    child = cell.spawn(spec.command, spec.args, env)
  } catch (error) {
    await closeCell()
    return { ok: false, message: `could not start "${spec.command}": ${(error as Error).message}` }
  }
  child.stderr.on('data', (chunk: Buffer) => tail.push(chunk))
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  const spawnError = await spawned(child)
  if (spawnError) {
    await closeCell()
    const missing = (spawnError as NodeJS.ErrnoException).code === 'ENOENT'
    const path = childEnv({}, { home, nodeDir: options.nodeDir }).PATH
    return {
      ok: false,
      message: missing
        ? `"${spec.command}" was not found on the runner (searched ${path}); install it there`
        : `could not start "${spec.command}": ${spawnError.message}`,
    }
  }
  const pid = child.pid!
  let ending: Promise<void> | undefined
  const stop = () =>
    (ending ??= (async () => {
      child.stdin.destroy()
      await killGroup(pid, options.graceMs)
      await Promise.race([exit, sleep(2_000)])
      await closeCell()
    })())
  // The leader going away (crash or stop) ends every process of its uid, wherever they went.
  const exited = exit.then(async (info) => {
    await stop()
    return {
      ...info,
      description: describeExit(info.code, info.signal),
      stderr: tail.text(secrets),
    }
  })

  const client = new Client(CLIENT_INFO)
  client.onerror = () => undefined // stray stdout lines; requests still fail on their own
  try {
    await client.connect(new ChildTransport(child, stop), { timeout: options.startTimeoutMs })
  } catch (error) {
    const ended = await Promise.race([exit, sleep(200)])
    await stop()
    // A timeout first: the SDK closes the transport on it, which ends the child meanwhile.
    const why =
      error instanceof McpError && error.code === ErrorCode.RequestTimeout
        ? `stdio server did not finish starting within ${options.startTimeoutMs} ms`
        : ended !== undefined
          ? `stdio server exited with ${describeExit(ended.code, ended.signal)} before it finished starting`
          : `stdio server failed to start: ${(error as Error).message}`
    // Started through a uid switcher (setpriv), a missing program is its exit code 127.
    if (ended?.code === 127 && /No such file or directory/.test(tail.text(secrets))) {
      const path = childEnv(spec.env, { home, nodeDir: options.nodeDir, sandbox: cell.env }).PATH
      return {
        ok: false,
        message: `"${spec.command}" was not found on the runner (searched ${path}); install it there`,
      }
    }
    return { ok: false, message: withStderr(why, tail.text(secrets)) }
  }
  const launched: Launched<Client> = { pid, client, exited, stderr: () => tail.text(secrets), stop }
  return { ok: true, process: launched }
}
