import { handle } from 'hono/aws-lambda'
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { newOrg, testApp } from '../../support/deps.js'

const event = (overrides: Partial<APIGatewayProxyEventV2>): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: '/',
  rawQueryString: '',
  headers: {},
  isBase64Encoded: false,
  requestContext: {
    accountId: '000000000000',
    apiId: 'url',
    domainName: 'abc.lambda-url.us-east-1.on.aws',
    domainPrefix: 'abc',
    http: {
      method: 'GET',
      path: '/',
      protocol: 'HTTP/1.1',
      sourceIp: '203.0.113.9',
      userAgent: 'test',
    },
    requestId: 'req-1',
    routeKey: '$default',
    stage: '$default',
    time: '24/Nov/2026:05:00:00 +0000',
    timeEpoch: 1795410000000,
  },
  ...overrides,
})

describe('Lambda adapter (Function URL payload v2)', () => {
  it('Should create a server from a Function URL event', async () => {
    const { app, deps } = testApp()
    const org = await newOrg(deps)
    const handler = handle(app)
    const body = JSON.stringify({
      server_name: 'via-lambda',
      config: { mcp_server_type: 'sse', server_url: 'https://e.com/sse' },
    })
    const base = event({})
    const result = await handler(
      event({
        rawPath: '/v1/mcp-servers/',
        headers: { authorization: `Bearer ${org.key}`, 'content-type': 'application/json' },
        body,
        requestContext: {
          ...base.requestContext,
          http: { ...base.requestContext.http, method: 'POST', path: '/v1/mcp-servers/' },
        },
      }) as unknown as Parameters<typeof handler>[0],
      {} as Context,
    )
    expect(result.statusCode).toBe(200)
    expect(result.headers?.['content-type']).toBe('application/json')
    expect(JSON.parse(result.body ?? '')).toMatchObject({
      server_name: 'via-lambda',
      mcp_server_type: 'sse',
    })
  })
})
