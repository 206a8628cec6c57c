import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { processesUsing } from '../../../infra/local/children.js'
import { startEmulators } from '../../../infra/local/emulators.js'
import { boundPorts, commandOf } from '../../support/processes.js'
import { javaPids, stackPorts } from '../../support/stack.js'

const state = mkdtempSync(join(tmpdir(), 'hangar-preflight-'))
afterAll(() => rmSync(state, { recursive: true, force: true }))

/** Runs start.ts to its end; it must exit by itself (within the timeout) in these tests. */
const runStart = (env: Record<string, string>) =>
  new Promise<{ code: number | null; output: string; pid: number }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      env: { ...process.env, HANGAR_STATE_DIR: state, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output, pid: child.pid ?? 0 })
    })
  })

/** Processes started by a run: each inherits HANGAR_STATE_DIR, so its environment names `state`. */
const leftovers = () => processesUsing(state).map(commandOf)

const listen = (server: Server, port: number) =>
  new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))

describe('npm start checks before it starts anything', () => {
  it.each(['PORT', 'DYNAMODB_PORT', 'SQS_PORT', 'KMS_PORT', 'RUNNER_PORT'] as const)(
    'Should stop with the port, its owner and %s when that port is taken, leaving nothing running',
    async (variable) => {
      const ports = await stackPorts()
      const blocker = createServer()
      await listen(blocker, ports[variable])
      try {
        const run = await runStart(
          Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
        )
        expect(run.code).toBe(1)
        const port = ports[variable]
        expect(run.output).toContain(
          `Hangar cannot start:\nPort ${port} (${variable}) is already in use by pid ${process.pid}: ${commandOf(process.pid).slice(0, 60)}`,
        )
        expect(run.output).toContain(`pick another port: ${variable}=${port + 1} npm start`)
        expect(run.output).not.toMatch(/\n\s+at /) // no stack trace
        expect(leftovers()).toEqual([])
        expect(javaPids(ports.DYNAMODB_PORT)).toEqual([])
        const others = Object.entries(ports)
          .filter(([k]) => k !== variable)
          .map(([, v]) => v)
        expect(await boundPorts(others)).toEqual([])
      } finally {
        await new Promise((r) => blocker.close(r))
      }
    },
    30_000,
  )

  it('Should name a foreign HTTP service on the DynamoDB port instead of a JSON parse error', async () => {
    const ports = await stackPorts()
    const foreign = createHttpServer((_req, res) => res.end('<!DOCTYPE html><html></html>'))
    await new Promise<void>((r) => foreign.listen(ports.DYNAMODB_PORT, '127.0.0.1', () => r()))
    try {
      const run = await runStart(
        Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      )
      expect(run.code).toBe(1)
      expect(run.output).toContain(
        `Port ${ports.DYNAMODB_PORT} (DYNAMODB_PORT) is already in use by pid ${process.pid}`,
      )
      expect(run.output).not.toContain('Unexpected token')
      expect(javaPids(ports.DYNAMODB_PORT)).toEqual([])
      expect(leftovers()).toEqual([])
    } finally {
      await new Promise((r) => foreign.close(r))
    }
  }, 30_000)

  it('Should say how to install Java when java is not on PATH, with exit code 1 and no stack trace', async () => {
    const ports = await stackPorts()
    const run = await runStart({
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      PATH: '/nonexistent',
    })
    expect(run.code).toBe(1)
    expect(run.output).toBe(
      [
        'Hangar cannot start:',
        'DynamoDB Local needs Java 17 or newer, and java was not found on PATH. Install it:',
        '  Debian/Ubuntu:  sudo apt-get install openjdk-17-jre-headless',
        '  Fedora:         sudo dnf install java-17-openjdk-headless',
        "  macOS:          brew install openjdk@17   (then follow brew's note to put it on PATH)",
        'Then run npm start again.',
        'Hangar: stopping… (start failed)',
        'Hangar: stopped',
        '',
      ].join('\n'),
    )
    expect(await boundPorts(Object.values(ports))).toEqual([])
  }, 30_000)

  it('Should stop the emulators that did start when another one cannot (the KMS port taken late)', async () => {
    const ports = await stackPorts()
    const blocker = createServer()
    await listen(blocker, ports.KMS_PORT)
    try {
      await expect(
        startEmulators({
          ports: { dynamodb: ports.DYNAMODB_PORT, sqs: ports.SQS_PORT, kms: ports.KMS_PORT },
        }),
      ).rejects.toThrow(/EADDRINUSE/)
      expect(javaPids(ports.DYNAMODB_PORT)).toEqual([])
      expect(await boundPorts([ports.DYNAMODB_PORT, ports.SQS_PORT])).toEqual([])
    } finally {
      await new Promise((r) => blocker.close(r))
    }
  }, 90_000)
})
