import { describe, expect, it } from 'vitest'
import { javaPids, startStack } from '../../support/stack.js'

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('npm start (infra/local/start.ts)', () => {
  it('Should serve the API with a working key and stop every child on SIGTERM', async () => {
    const stack = await startStack()
    let code: number | null = null
    try {
      expect(stack.output()).toContain(`Hangar is running at ${stack.baseURL}`)
      expect(stack.key).toMatch(/^hgr_[A-Za-z0-9_-]{43}$/)
      const health = await fetch(`${stack.baseURL}/v1/health/`)
      expect(await health.json()).toEqual({ status: 'ok', version: '0.1.0' })
      const list = await fetch(`${stack.baseURL}/v1/mcp-servers/`, {
        headers: { authorization: `Bearer ${stack.key}` },
      })
      expect(list.status).toBe(200)
      expect(await list.json()).toEqual([])
      expect(javaPids(stack.ports.DYNAMODB_PORT)).toHaveLength(1)
      const runner = await fetch(`http://127.0.0.1:${stack.ports.RUNNER_PORT}/health`)
      expect(await runner.json()).toEqual({ status: 'ok', processes: 0 })
    } finally {
      code = await stack.stop()
    }
    expect(code).toBe(0)
    expect(alive(stack.pid)).toBe(false)
    expect(javaPids(stack.ports.DYNAMODB_PORT)).toEqual([])
    await expect(fetch(`http://127.0.0.1:${stack.ports.RUNNER_PORT}/health`)).rejects.toThrow()
  }, 90_000)
})
