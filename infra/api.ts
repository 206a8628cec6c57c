import { runnerClientEnvironment, runtime } from './function-defaults'
import { keyUse } from './kms'
import { syncQueue } from './queue'
import { vpc } from './sidecar'
import { table } from './table'

// Front door: a Function URL, not an HTTP API. An HTTP API cuts every request at 30 s and cannot
// stream; a Function URL lasts as long as the function (up to 15 min), streams responses (the
// connect route's event stream, and its OAuth wait of up to 300 s), and costs nothing on top of
// Lambda (an HTTP API adds $1.00 per million requests). Authentication is Hangar's own API keys.
export const api = new sst.aws.Function('Api', {
  ...runtime,
  handler: 'functions/api/index.handler',
  url: { cors: false },
  // Response streaming (invoke mode RESPONSE_STREAM; functions/api/index.ts uses Hono's
  // streamHandle): the connect route's events and its keep-alive comments leave as written.
  streaming: true,
  // 360 s: the OAuth connect stream waits up to 300 s for the callback (HANGAR_OAUTH_WAIT_MS, as
  // Letta), then connects. Other routes keep their own budgets (25 s each, core/config.ts).
  timeout: '360 seconds',
  // 1024 MB: Lambda's CPU grows with memory, and cold init (module load, Ajv compiles) is CPU-bound.
  memory: '1024 MB',
  vpc,
  link: [table, syncQueue],
  permissions: [keyUse],
  environment: runnerClientEnvironment,
  // /docs serves Swagger UI's files from this package (functions/api/openapi/docs-page.ts).
  nodejs: { install: ['swagger-ui-dist'] },
})
