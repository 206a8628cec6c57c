import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../../../infra/local/ports.js'

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const javaPids = async (port: number) => {
  const { execFileSync } = await import('node:child_process')
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
  return out
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal.jar') && line.includes(`-port ${port}`))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
}

const stateDir = mkdtempSync(join(tmpdir(), 'hangar-start-'))
afterAll(() => rmSync(stateDir, { recursive: true, force: true }))

describe('npm start (infra/local/start.ts)', () => {
  it('Should serve the API with a working key and stop every child on SIGTERM', async () => {
    const ports = { PORT: await freePort(), DYNAMODB_PORT: await freePort(), SQS_PORT: await freePort(), KMS_PORT: await freePort(), RUNNER_PORT: await freePort() }
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), HANGAR_STATE_DIR: stateDir, HANGAR_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      const deadline = Date.now() + 60_000
      while (!output.includes('Ctrl-C stops everything') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200))
      }
      const base = `http://127.0.0.1:${ports.PORT}`
      expect(output).toContain(`Hangar is running at ${base}`)
      const key = /API key \(org "local"\): (\S+)/.exec(output)?.[1] ?? ''
      expect(key).toMatch(/^hgr_[A-Za-z0-9_-]{43}$/)
      const health = await fetch(`${base}/v1/health/`)
      expect(await health.json()).toEqual({ status: 'ok', version: '0.1.0' })
      const list = await fetch(`${base}/v1/mcp-servers/`, { headers: { authorization: `Bearer ${key}` } })
      expect(list.status).toBe(200)
      expect(await list.json()).toEqual([])
      expect(await javaPids(ports.DYNAMODB_PORT)).toHaveLength(1)
    } finally {
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    }
    expect(alive(child.pid ?? 0)).toBe(false)
    expect(await javaPids(ports.DYNAMODB_PORT)).toEqual([])
  }, 90_000)
})
