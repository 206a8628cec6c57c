import { schemas } from './components.js'
import { agentId, legacyPaths, legacySchemas } from './legacy.js'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: object, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
})
const error = (description: string) => json(ref('Error'), description)
const body = (name: string, required = true, examples?: Record<string, object>) => ({
  required,
  content: {
    'application/json': {
      schema: ref(name),
      ...(examples && {
        examples: Object.fromEntries(
          Object.entries(examples).map(([key, value]) => [key, { value }]),
        ),
      }),
    },
  },
})

/** Request bodies as a user would send them; shown by /docs. */
const EXAMPLES = {
  create: {
    stdio: {
      server_name: 'memory',
      config: {
        mcp_server_type: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory'],
        env: { MEMORY_FILE_PATH: '/tmp/memory.json' },
      },
    },
    streamable_http: {
      server_name: 'docs',
      config: {
        mcp_server_type: 'streamable_http',
        server_url: 'https://mcp.example.com/mcp',
        auth_token: 'secret-token',
      },
    },
    sse: {
      server_name: 'legacy',
      config: {
        mcp_server_type: 'sse',
        server_url: 'https://mcp.example.com/sse',
        custom_headers: { 'X-Team': 'alpha' },
      },
    },
  },
  update: { rename: { server_name: 'docs-v2' }, token: { auth_token: 'new-token' } },
  run: { echo: { args: { message: 'hello' } } },
  validate: {
    tool: {
      input_schema: {
        type: 'object',
        properties: { query: { type: 'string', description: 'What to look for' } },
        required: ['query'],
        additionalProperties: false,
      },
    },
  },
}
const id = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } })
const paging = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
  {
    name: 'after',
    in: 'query',
    schema: { type: 'string' },
    description: 'Last id of the previous page.',
  },
]
const common = {
  '401': error('Missing or unknown API key'),
  '422': error('Invalid input; the detail names the field'),
}
const server = id('mcp_server_id')
const tool = id('tool_id')
const notFound = { '404': error('Unknown id, or another organization’s') }
const sse = { 'text/event-stream': { schema: { type: 'string' } } }
const html = { 'text/html': { schema: { type: 'string' } } }

const rpc = { 'application/json': { schema: { type: 'object' } }, ...sse }
const mcpEndpoint = (operationId: string, description: string, parameters: object[]) => ({
  parameters,
  post: {
    operationId,
    description: `${description} Stateless MCP Streamable HTTP: one JSON-RPC message (or batch) per POST. See README "Use Hangar from any MCP client".`,
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { type: 'object' } } },
    },
    responses: {
      '200': {
        description: 'JSON-RPC answer (JSON, or SSE when progress was asked for)',
        content: rpc,
      },
      '202': { description: 'Notifications only: accepted' },
      '400': { description: 'Not JSON, or an unknown server in ?servers=', content: rpc },
      '403': { description: 'Origin of another host (DNS-rebinding guard)', content: rpc },
      ...common,
    },
  },
  get: {
    operationId: `${operationId}_get`,
    responses: { '405': { description: 'Stateless: no session stream' } },
  },
  delete: {
    operationId: `${operationId}_delete`,
    responses: { '405': { description: 'Stateless: no session to end' } },
  },
})

const paths = {
  '/v1/mcp': mcpEndpoint(
    'mcp_endpoint',
    'The organization’s synced tools as one MCP server, named <server>__<tool>.',
    [
      {
        name: 'servers',
        in: 'query',
        schema: { type: 'string' },
        description: 'Comma-separated server names or ids to expose.',
      },
    ],
  ),
  '/v1/mcp-servers/{mcp_server_id}/mcp': mcpEndpoint(
    'mcp_server_endpoint',
    'One server as an MCP server (original tool names), proxied with its stored credentials.',
    [server],
  ),
  '/v1/health/': {
    get: { operationId: 'health', security: [], responses: { '200': json(ref('Health')) } },
  },
  '/v1/mcp-servers/': {
    post: {
      operationId: 'mcp_create_mcp_server',
      requestBody: body('CreateMCPServerRequest', true, EXAMPLES.create),
      responses: { '200': json(ref('MCPServer')), '409': error('Duplicate name'), ...common },
    },
    get: {
      operationId: 'mcp_list_mcp_servers',
      parameters: paging,
      responses: { '200': json({ type: 'array', items: ref('MCPServer') }), ...common },
    },
  },
  '/v1/mcp-servers/{mcp_server_id}': {
    parameters: [server],
    get: {
      operationId: 'mcp_retrieve_mcp_server',
      responses: { '200': json(ref('MCPServer')), ...notFound, ...common },
    },
    patch: {
      operationId: 'mcp_update_mcp_server',
      requestBody: body('UpdateMCPServerRequest', true, EXAMPLES.update),
      responses: {
        '200': json(ref('MCPServer')),
        ...notFound,
        '409': error('Name taken'),
        ...common,
      },
    },
    delete: {
      operationId: 'mcp_delete_mcp_server',
      responses: {
        '204': { description: 'Deleted; its tools follow shortly' },
        ...notFound,
        ...common,
      },
    },
  },
  '/v1/mcp-servers/{mcp_server_id}/tools': {
    parameters: [server],
    get: {
      operationId: 'mcp_list_tools_for_mcp_server',
      parameters: paging,
      responses: { '200': json({ type: 'array', items: ref('Tool') }), ...notFound, ...common },
    },
  },
  '/v1/mcp-servers/{mcp_server_id}/tools/{tool_id}': {
    parameters: [server, tool],
    get: {
      operationId: 'mcp_retrieve_mcp_tool',
      responses: { '200': json(ref('Tool')), ...notFound, ...common },
    },
  },
  '/v1/mcp-servers/{mcp_server_id}/tools/{tool_id}/run': {
    parameters: [server, tool],
    post: {
      operationId: 'mcp_run_tool',
      parameters: [agentId],
      requestBody: body('ToolExecuteRequest', false, EXAMPLES.run),
      responses: {
        '200': json(ref('ToolExecutionResult')),
        ...notFound,
        '502': json(ref('ConnectionError'), 'MCP server unreachable'),
        ...common,
      },
    },
  },
  '/v1/mcp-servers/{mcp_server_id}/refresh': {
    parameters: [server],
    patch: {
      operationId: 'mcp_refresh_mcp_server_tools',
      parameters: [agentId],
      requestBody: body('CallVariables', false),
      responses: {
        '200': json(ref('MCPServerResyncResult')),
        '404': error('Unknown server, or unreachable (MCPServerUnavailable)'),
        '409': error('Another sync is running'),
        ...common,
      },
    },
  },
  '/v1/mcp-servers/connect/{mcp_server_id}': {
    parameters: [server],
    get: {
      operationId: 'mcp_connect_mcp_server',
      responses: {
        '200': {
          description:
            'connection_attempt, then success or error; on a 401: oauth_required, authorization_url, waiting_for_auth first',
          content: sse,
        },
        ...notFound,
        ...common,
      },
    },
  },
  '/v1/mcp-servers/{mcp_server_id}/oauth': {
    parameters: [server],
    put: {
      operationId: 'mcp_set_oauth_settings',
      description: 'Hangar-only: a pre-registered OAuth client and authorize options.',
      requestBody: body('OAuthSettings'),
      responses: { '204': { description: 'Stored' }, ...notFound, ...common },
    },
    delete: {
      operationId: 'mcp_revoke_oauth',
      description: 'Hangar-only: revokes the grant upstream (when offered) and forgets it.',
      responses: { '200': json(ref('OAuthRevokeResult')), ...notFound, ...common },
    },
  },
  '/v1/tools/mcp/oauth/callback': {
    get: {
      operationId: 'mcp_oauth_callback',
      security: [],
      parameters: ['code', 'state', 'iss', 'error', 'error_description'].map((name) => ({
        name,
        in: 'query',
        schema: { type: 'string' },
      })),
      responses: { '200': json(ref('OAuthCallbackResult')) },
    },
  },
  '/v1/tools/{tool_id}': {
    parameters: [tool],
    get: {
      operationId: 'retrieve_tool',
      responses: { '200': json(ref('Tool')), ...notFound, ...common },
    },
  },
  '/v1/schemas/validate': {
    post: {
      operationId: 'validate_schema',
      requestBody: body('SchemaValidateRequest', true, EXAMPLES.validate),
      responses: { '200': json(ref('SchemaValidateResult')), ...common },
    },
  },
  '/openapi.json': {
    get: { operationId: 'openapi', security: [], responses: { '200': json({ type: 'object' }) } },
  },
  '/docs': {
    get: {
      operationId: 'docs',
      security: [],
      responses: { '200': { description: 'HTML API reference', content: html } },
    },
  },
  '/docs/assets/{file}': {
    get: {
      operationId: 'docs_asset',
      security: [],
      parameters: [id('file')],
      responses: {
        '200': { description: "The reference's script and styles (Swagger UI, served locally)" },
        '404': error('Not one of the reference’s files'),
      },
    },
  },
}

/** The OpenAPI 3.1 description of every route, from the JSON Schemas the routes validate with. */
export const openApiDocument = (version: string) => ({
  openapi: '3.1.0',
  info: {
    title: 'Hangar',
    version,
    description: "MCP servers for AI agents, serverless. Letta's /v1/mcp-servers API.",
  },
  security: [{ bearer: [] }],
  paths: { ...paths, ...legacyPaths },
  components: {
    schemas: { ...schemas, ...legacySchemas },
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
  },
})

export type OpenApiDocument = ReturnType<typeof openApiDocument>
