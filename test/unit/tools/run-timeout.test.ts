import { describe, expect, it } from 'vitest'
import { McpTimeoutError } from '../../../core/adapters/mcp/errors.js'
import { classifyRunnerError } from '../../../core/adapters/runner/index.js'
import type { McpConnector, StdioGateway, ToolStore } from '../../../core/ports.js'
import type { ServerRecord } from '../../../core/registry/types.js'
import { runTool, type RunDeps } from '../../../core/tools/run.js'

const server = { organizationId: 'org-1', id: 'srv-1', type: 'stdio' } as ServerRecord
const tool = { id: 'tool-1', serverId: 'srv-1', name: 'echo' }

const runFailing = (error: unknown) => {
  const stdio = {
    callTool: async () => Promise.reject(error),
    classify: classifyRunnerError,
  } as unknown as StdioGateway
  const deps: RunDeps = {
    tools: { get: async () => tool } as unknown as ToolStore,
    connector: {} as McpConnector,
    stdio,
    secrets: async () => ({}),
    limits: { allowPrivate: false, connectTimeoutMs: 10_000, listTimeoutMs: 15_000 },
    runTimeoutMs: 25_000,
  }
  return runTool(deps, server, 'tool-1', { args: {} })
}

describe('a run that times out', () => {
  it("Should name the start-or-connect deadline that ran out, not the run's", async () => {
    const started = await runFailing(
      new McpTimeoutError(
        'Timed out after 70000 ms while starting the stdio server or connecting to it through the runner',
      ),
    )

    expect(started.func_return).toBe(
      'Tool echo did not run: Timed out after 70000 ms while starting the stdio server or connecting to it through the runner',
    )
  })

  it('Should name the run timeout when the call itself ran out', async () => {
    const { McpError, ErrorCode } = await import('@modelcontextprotocol/sdk/types.js')
    const called = await runFailing(new McpError(ErrorCode.RequestTimeout, 'Request timed out'))

    expect([called.status, called.func_return]).toEqual([
      'error',
      'Tool echo did not finish within 25000 ms',
    ])
  })
})
