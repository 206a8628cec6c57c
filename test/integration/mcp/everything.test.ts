import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callTool, classifyError, listTools, withClient } from '../../../core/adapters/mcp/index.js'
import type { McpTarget } from '../../../core/adapters/mcp/index.js'
import {
  EVERYTHING_TOOLS,
  startEverything,
  type Everything,
} from '../../fixtures/mcp/everything.js'

const TOOLS = EVERYTHING_TOOLS

const options = { allowPrivate: true, connectTimeoutMs: 5_000, listTimeoutMs: 5_000 }

describe.each([
  { mode: 'streamableHttp', type: 'streamable_http', path: '/mcp' },
  { mode: 'sse', type: 'sse', path: '/sse' },
] as const)('server-everything over $type', ({ mode, type, path }) => {
  let server: Everything
  let target: McpTarget

  beforeAll(async () => {
    server = await startEverything(mode)
    target = { type, url: `http://127.0.0.1:${server.port}${path}`, headers: { 'X-Test': 'v' } }
  })
  afterAll(() => server.stop())

  it('lists the 13 tools by name', async () => {
    const tools = await listTools(target, options)

    expect(tools.map((t) => t.name).sort()).toEqual([...TOOLS].sort())
    expect(tools.find((t) => t.name === 'echo')).toHaveProperty('inputSchema', {
      type: 'object',
      properties: { message: { type: 'string', description: 'Message to echo' } },
      required: ['message'],
      $schema: 'http://json-schema.org/draft-07/schema#',
    })
  })

  it('runs echo', async () => {
    const result = await callTool(
      target,
      'echo',
      { message: 'hi' },
      { ...options, timeoutMs: 5_000 },
    )

    expect(result.content).toEqual([{ type: 'text', text: 'Echo: hi' }])
    expect(result.isError).toBeUndefined()
  })

  it('lists and calls on one connection', async () => {
    const [count, text] = await withClient(target, options, async (client) => {
      const { tools } = await client.listTools()
      const result = await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } })
      return [tools.length, result.content]
    })

    expect([count, text]).toEqual([13, [{ type: 'text', text: 'The sum of 2 and 3 is 5.' }]])
  })

  it('gives up on a tool that outlasts its time limit', async () => {
    const args = { duration: 5, steps: 5 }
    const run = callTool(target, 'trigger-long-running-operation', args, {
      ...options,
      timeoutMs: 300,
    })

    const error = await run.catch((e: unknown) => e)
    expect(classifyError(error)).toEqual({
      code: 'timeout',
      message: 'The MCP server did not answer in time (MCP error -32001: Request timed out)',
    })
  })

  it('stops when the caller aborts', async () => {
    const args = { duration: 5, steps: 5 }
    const signal = AbortSignal.timeout(300)
    const run = callTool(target, 'trigger-long-running-operation', args, {
      ...options,
      timeoutMs: 20_000,
      signal,
    })

    const error = await run.catch((e: unknown) => e)
    expect(classifyError(error)).toEqual({
      code: 'timeout',
      message:
        'The MCP server did not answer in time (MCP error -32001: TimeoutError: The operation was aborted due to timeout)',
    })
  })
})

describe('server-everything session', () => {
  let server: Everything
  beforeAll(async () => {
    server = await startEverything('streamableHttp')
  })
  afterAll(() => server.stop())

  const listWith = async (url: string, sessionId: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    })
    await response.body?.cancel()
    return response.status
  }

  it('ends the streamable session when done', async () => {
    const url = `http://127.0.0.1:${server.port}/mcp`
    const target: McpTarget = { type: 'streamable_http', url, headers: {} }

    const [sessionId, during] = await withClient(target, options, async (client) => {
      const id = client.transport?.sessionId ?? ''
      return [id, await listWith(url, id)] as const
    })

    expect([sessionId.length > 0, during, await listWith(url, sessionId)]).toEqual([true, 200, 400])
  })
})
