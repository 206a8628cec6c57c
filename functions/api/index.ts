import { handle, streamHandle } from 'hono/aws-lambda'
import { deps } from '../deps.js'
import { createApp } from './app.js'

declare const awslambda: unknown

const app = createApp(deps('hangar-api'))

// The Function URL streams (invoke mode RESPONSE_STREAM, infra/api.ts), so the connect route's
// events and keep-alive comments reach the client as they are written. Lambda's Node runtime
// provides `awslambda`; elsewhere (benchmarks import this file) the buffered adapter stands in.
export const handler = typeof awslambda === 'undefined' ? handle(app) : streamHandle(app)
