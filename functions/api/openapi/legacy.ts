/** OpenAPI for Letta's legacy name-based routes (`/v1/tools/mcp/servers`, routes/legacy.ts). */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: object, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
})
const error = (description: string) => json(ref('Error'), description)
const body = (schema: object, required = true) => ({
  required,
  content: { 'application/json': { schema } },
})
const path = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
})
const serverName = path('mcp_server_name', 'The server’s name (percent-encoded).')
const toolName = path('mcp_tool_name', 'The tool’s name as the MCP server lists it.')
export const agentId = {
  name: 'agent_id',
  in: 'query',
  description: 'Sent to HTTP MCP servers as `X-Agent-Id`; `agent-<uuid4>`.',
  schema: { type: 'string', pattern: '^agent-[0-9a-fA-F-]{36}$' },
}
const common = {
  '401': error('Missing or unknown API key'),
  '422': error('Invalid input; the detail names the field'),
}
const notFound = { '404': error('No server of this name in the organization') }
const unreachable = { '502': json(ref('ConnectionError'), 'MCP server unreachable or refusing') }
const configs = json({ type: 'array', items: ref('LegacyServerConfig') }, 'Every server’s config')
const sse = { 'text/event-stream': { schema: { type: 'string' } } }

export const legacyPaths = {
  '/v1/tools/mcp/servers': {
    get: {
      operationId: 'list_mcp_servers',
      summary: 'Every server as `{name: config}`; secrets masked.',
      responses: {
        '200': json({ type: 'object', additionalProperties: ref('LegacyServerConfig') }),
        ...common,
      },
    },
    put: {
      operationId: 'add_mcp_server',
      summary: 'Register a server from a flat config; its tools sync in the background.',
      requestBody: body(ref('LegacyServerConfig')),
      responses: { '200': configs, '409': error('Duplicate name'), ...common },
    },
  },
  '/v1/tools/mcp/servers/connect': {
    post: {
      operationId: 'connect_mcp_server',
      summary: 'Connect to an unsaved config: the connect stream of /v1/mcp-servers/connect.',
      requestBody: body(ref('LegacyServerConfig')),
      responses: {
        '200': { description: 'connection_attempt, then success or error', content: sse },
        ...common,
      },
    },
  },
  '/v1/tools/mcp/servers/test': {
    post: {
      operationId: 'test_mcp_server',
      summary: 'List an unsaved config’s tools (raw); stdio servers must be registered first.',
      requestBody: body(ref('LegacyServerConfig')),
      responses: {
        '200': json({
          type: 'object',
          properties: { status: { const: 'success' }, tools: { type: 'array' } },
        }),
        ...unreachable,
        ...common,
      },
    },
  },
  '/v1/tools/mcp/servers/{mcp_server_name}': {
    parameters: [serverName],
    patch: {
      operationId: 'update_mcp_server',
      summary: 'Update by name: `stdio_config` for stdio; URL, token and headers for HTTP.',
      requestBody: body(ref('LegacyServerUpdate')),
      responses: {
        '200': json(ref('LegacyServerConfig')),
        '404': error('MCPServerNotFoundError object'),
        '409': error('Name taken'),
        ...common,
      },
    },
    delete: {
      operationId: 'delete_mcp_server',
      summary: 'Delete by name; answers the remaining servers’ configs.',
      responses: { '200': configs, ...notFound, ...common },
    },
  },
  '/v1/tools/mcp/servers/{mcp_server_name}/tools': {
    parameters: [serverName],
    get: {
      operationId: 'list_mcp_tools_by_server',
      summary: 'The tools the server lists now (live), each with its list-time health.',
      responses: {
        '200': json({ type: 'array', items: ref('MCPTool') }),
        ...notFound,
        ...unreachable,
        ...common,
      },
    },
  },
  '/v1/tools/mcp/servers/{mcp_server_name}/resync': {
    parameters: [serverName],
    post: {
      operationId: 'resync_mcp_server_tools',
      summary: 'Sync now (as PATCH /v1/mcp-servers/{id}/refresh).',
      parameters: [agentId],
      requestBody: body(ref('CallVariables'), false),
      responses: {
        '200': json(ref('MCPServerResyncResult')),
        '404': error('Unknown name, or unreachable (MCPServerUnavailable)'),
        '409': error('Another sync is running'),
        ...common,
      },
    },
  },
  '/v1/tools/mcp/servers/{mcp_server_name}/{mcp_tool_name}': {
    parameters: [serverName, toolName],
    post: {
      operationId: 'add_mcp_tool',
      summary: 'The stored tool; syncs the server first if the tool is not stored yet.',
      responses: {
        '200': json(ref('Tool')),
        '404': error('Unknown server, or a tool it does not offer'),
        ...unreachable,
        ...common,
      },
    },
  },
  '/v1/tools/mcp/servers/{mcp_server_name}/tools/{mcp_tool_name}/execute': {
    parameters: [serverName, toolName],
    post: {
      operationId: 'execute_mcp_tool',
      summary: 'Run a tool by name (registering it first if needed).',
      parameters: [agentId],
      requestBody: body(ref('ToolExecuteRequest')),
      responses: {
        '200': json({
          type: 'object',
          properties: { result: { type: 'string' }, success: { type: 'boolean' } },
        }),
        ...notFound,
        ...unreachable,
        ...common,
      },
    },
  },
}

const headers = { type: ['object', 'null'], additionalProperties: { type: 'string' } }
const templated =
  'May hold templates `{{ NAME }}` / `{{ NAME | default }}`, resolved per call from `variables`. Shown masked.'

export const legacySchemas = {
  LegacyServerConfig: {
    type: 'object',
    required: ['server_name'],
    description:
      'Flat config. `type` selects the variant; without it, `command` means stdio, else sse.',
    properties: {
      server_name: { type: 'string' },
      type: { enum: ['stdio', 'sse', 'streamable_http'] },
      server_url: { type: 'string' },
      auth_header: { type: ['string', 'null'] },
      auth_token: { type: ['string', 'null'], description: templated },
      custom_headers: { ...headers, description: templated },
      command: { type: 'string' },
      args: { type: 'array', items: { type: 'string' } },
      env: headers,
    },
  },
  LegacyServerUpdate: {
    type: 'object',
    properties: {
      server_name: { type: ['string', 'null'] },
      stdio_config: { type: ['object', 'null'], description: 'stdio: command, args, env.' },
      server_url: { type: ['string', 'null'] },
      auth_header: { type: ['string', 'null'] },
      auth_token: { type: ['string', 'null'] },
      token: { type: ['string', 'null'], description: 'sse: the same as auth_token.' },
      custom_headers: { ...headers, description: '`null` clears the headers.' },
    },
  },
  MCPTool: {
    type: 'object',
    required: ['name', 'inputSchema', 'health'],
    properties: {
      name: { type: 'string' },
      title: { type: 'string' },
      description: { type: 'string' },
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object' },
      annotations: { type: 'object' },
      _meta: { type: 'object' },
      health: { anyOf: [{ $ref: '#/components/schemas/SchemaHealth' }, { type: 'null' }] },
    },
  },
  CallVariables: {
    type: 'object',
    additionalProperties: false,
    properties: {
      variables: {
        type: 'object',
        description: 'Template variables for this call only; never stored.',
        additionalProperties: { type: 'string' },
      },
    },
  },
}
