import type { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'

type Message = Record<string, unknown>

const messagesOf = (body: unknown): Message[] =>
  (Array.isArray(body) ? body : [body]).filter(
    (m): m is Message => typeof m === 'object' && m !== null,
  )

const isRequest = (m: Message) => typeof m.method === 'string' && 'id' in m
const isResponse = (m: JSONRPCMessage) => 'id' in m && ('result' in m || 'error' in m)

/** Whether the body holds a request the server must answer (not only notifications). */
export const hasRequests = (body: unknown) => messagesOf(body).some(isRequest)

/** Whether the body holds a request for `method`. */
export const hasMethod = (body: unknown, method: string) =>
  messagesOf(body).some((m) => isRequest(m) && m.method === method)

/** Whether any request asked for progress, so the answer streams (SSE) instead of one JSON body. */
export const wantsProgress = (body: unknown) =>
  messagesOf(body).some((m) => {
    const meta = (m.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta
    return isRequest(m) && meta?.progressToken !== undefined
  })

/**
 * Answers one MCP POST with `server` over a fresh stateless transport: one JSON body, or an SSE
 * stream when a request asked for progress. `finished` settles once every request in the body has
 * been answered (a response to a caller who went away counts: its send fails), after which the
 * server and its upstream may close. Handlers are bounded by their timeouts, so it always settles.
 */
export const answer = async (
  server: Server,
  request: Request,
  body: unknown,
  stream = wantsProgress(body),
) => {
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: !stream,
  })
  let expected = messagesOf(body).filter(isRequest).length
  let settle = () => {}
  const finished = new Promise<void>((resolve) => (settle = resolve))
  const send = transport.send.bind(transport)
  transport.send = async (message, options) => {
    try {
      await send(message, options)
    } finally {
      if (isResponse(message) && --expected <= 0) settle()
    }
  }
  await server.connect(transport)
  const response = await transport.handleRequest(request, { parsedBody: body })
  if (response.status !== 200) settle()
  return { response, finished }
}
