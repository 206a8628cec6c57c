import { handle, streamHandle } from 'hono/aws-lambda'
import { deps } from '../deps.js'
import { createApp } from './app.js'

type Runtime = { awslambda?: { streamifyResponse?: unknown } }

const app = createApp(deps('hangar-api'))

// The Function URL streams (invoke mode RESPONSE_STREAM, infra/api.ts), so the connect route's
// events and keep-alive comments reach the client as they are written. Lambda's Node runtime
// provides `awslambda.streamifyResponse`; elsewhere (benchmarks import this file) the buffered
// adapter stands in. The AWS SDK's invoke store creates a bare `awslambda` object of its own, so
// the function itself is what is checked.
const streaming = typeof (globalThis as Runtime).awslambda?.streamifyResponse === 'function'
export const handler = streaming ? streamHandle(app) : handle(app)
