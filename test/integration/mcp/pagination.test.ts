import { afterEach, describe, expect, it } from 'vitest'
import { classifyError, listTools, type McpTarget } from '../../../core/adapters/mcp/index.js'
import type { HttpFixture } from '../../fixtures/mcp/http-fixture.js'
import { startPagedServer, toolName, type PagedOptions } from '../../fixtures/mcp/paged-server.js'

const options = { allowPrivate: true, connectTimeoutMs: 2_000, listTimeoutMs: 2_000 }
const fixtures: HttpFixture[] = []

const serve = async (paged: PagedOptions, headers: Record<string, string> = {}) => {
  const fixture = await startPagedServer(paged)
  fixtures.push(fixture)
  return { type: 'streamable_http', url: fixture.url(), headers } satisfies McpTarget
}

const failure = (run: Promise<unknown>) => run.then(() => undefined, classifyError)

afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()))
})

describe('listTools paging', () => {
  it('follows cursors to the last page', async () => {
    const target = await serve({ tools: 250, pageSize: 100 })

    const tools = await listTools(target, options)

    expect(tools.map((t) => t.name)).toEqual(Array.from({ length: 250 }, (_, i) => toolName(i)))
    expect(tools[249]).toEqual({
      name: 'tool-00249',
      description: 'Tool number 249',
      inputSchema: { type: 'object', properties: { n: { type: 'number' } } },
    })
  })

  it('stops on a repeated cursor', async () => {
    const target = await serve({ tools: 250, pageSize: 100, loop: true })

    expect(await failure(listTools(target, options))).toEqual({
      code: 'invalid_response',
      message:
        'The server is not returning valid MCP (JSON-RPC) responses: tools/list repeated the cursor "again"',
    })
  })

  it('refuses more tools than the limit', async () => {
    const target = await serve({ tools: 250, pageSize: 100 })

    expect(await failure(listTools(target, { ...options, maxTools: 150 }))).toEqual({
      code: 'invalid_response',
      message:
        'The server is not returning valid MCP (JSON-RPC) responses: Server lists more than 150 tools',
    })
  })

  it('bounds each tools/list call', async () => {
    const target = await serve({ tools: 5, pageSize: 5, hangList: true })

    expect(await failure(listTools(target, { ...options, listTimeoutMs: 200 }))).toEqual({
      code: 'timeout',
      message: 'The MCP server did not answer in time (MCP error -32001: Request timed out)',
    })
  })
})

describe('listTools headers', () => {
  const require = { header: 'X-Api-Key', value: 'k-123456' }

  it('sends the target headers', async () => {
    const target = await serve({ tools: 3, pageSize: 10, require }, { 'X-Api-Key': 'k-123456' })

    expect((await listTools(target, options)).length).toEqual(3)
  })

  it('reports a refused credential as unauthorized, without its value', async () => {
    const target = await serve({ tools: 3, pageSize: 10, require }, { 'X-Api-Key': 'wrong-key' })

    expect(await failure(listTools(target, options))).toEqual({
      code: 'unauthorized',
      message: 'The MCP server refused the credentials (HTTP 401)',
    })
  })

  it('keeps header values out of the message when the server echoes them', async () => {
    const target = await serve(
      { tools: 3, pageSize: 10, echoHeader: 'x-api-key' },
      {
        'X-Api-Key': 'k-123456',
      },
    )

    expect(await failure(listTools(target, options))).toEqual({
      code: 'other',
      message: 'MCP request failed: MCP error -32603: bad key ****',
    })
  })
})
