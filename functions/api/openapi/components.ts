import { createServerBody, updateServerBody } from '../../../core/registry/schemas.js'

const nullableString = { type: ['string', 'null'] }
const strings = { type: 'array', items: { type: 'string' } }
const secretMap = {
  type: ['object', 'null'],
  additionalProperties: { type: 'string' },
  description: 'Values are masked: at most the last four characters are shown.',
}
const errorCodes = [
  'connection_refused',
  'dns',
  'timeout',
  'unauthorized',
  'not_found',
  'invalid_response',
  'blocked_url',
  'unavailable',
  'other',
]

const sync = {
  type: 'object',
  required: ['status', 'tool_count', 'last_synced_at', 'error'],
  properties: {
    status: { enum: ['pending', 'syncing', 'ok', 'failed'] },
    tool_count: { type: 'integer' },
    last_synced_at: nullableString,
    error: {
      type: ['object', 'null'],
      properties: { code: { enum: errorCodes }, message: { type: 'string' } },
    },
    report: {
      type: 'object',
      properties: {
        added: strings,
        updated: strings,
        deleted: strings,
        rejected: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' }, reasons: strings } },
        },
      },
    },
    next_retry_at: {
      type: 'string',
      format: 'date-time',
      description: 'When a failed sync with a passing cause is tried again on its own',
    },
    message: {
      type: 'string',
      description:
        'What a running sync waits for, such as "installing package <name> (first start may take a while)"',
    },
  },
}

const common = {
  id: { type: 'string', pattern: '^mcp_server-' },
  server_name: { type: 'string' },
  sync: { $ref: '#/components/schemas/SyncState' },
  created_at: { type: 'string', format: 'date-time' },
  updated_at: { type: 'string', format: 'date-time' },
}

function withoutId<T extends { $id: string }>(schema: T): Omit<T, '$id'> {
  const { $id: _id, ...rest } = schema
  return rest
}

/** The schemas behind the routes: request bodies are the very objects the routes validate with. */
export const schemas = {
  CreateMCPServerRequest: withoutId(createServerBody),
  UpdateMCPServerRequest: withoutId(updateServerBody),
  SyncState: sync,
  HttpMCPServer: {
    type: 'object',
    required: ['id', 'server_name', 'mcp_server_type', 'server_url', 'sync'],
    properties: {
      ...common,
      mcp_server_type: { enum: ['sse', 'streamable_http'] },
      server_url: { type: 'string' },
      auth_header: nullableString,
      auth_token: { ...nullableString, description: 'Masked, e.g. "Bearer ****abcd".' },
      custom_headers: secretMap,
      oauth: {
        type: 'object',
        required: ['status', 'expires_at', 'scopes', 'last_error'],
        properties: {
          status: { enum: ['none', 'pending', 'authorized', 'needs_reauth', 'error'] },
          expires_at: nullableString,
          scopes: strings,
          last_error: { type: ['object', 'null'] },
        },
      },
    },
  },
  StdioMCPServer: {
    type: 'object',
    required: ['id', 'server_name', 'mcp_server_type', 'command', 'args', 'sync'],
    properties: {
      ...common,
      mcp_server_type: { const: 'stdio' },
      command: { type: 'string' },
      args: strings,
      env: secretMap,
    },
  },
  MCPServer: {
    oneOf: [
      { $ref: '#/components/schemas/HttpMCPServer' },
      { $ref: '#/components/schemas/StdioMCPServer' },
    ],
  },
  OAuthSettings: {
    type: 'object',
    additionalProperties: false,
    properties: {
      client_id: { type: 'string' },
      client_secret: { type: 'string', writeOnly: true },
      scopes: strings,
      extra_authorize_params: { type: 'object', additionalProperties: { type: 'string' } },
      allow_missing_pkce_metadata: { type: 'boolean' },
      omit_resource: { type: 'boolean' },
    },
  },
  OAuthRevokeResult: {
    type: 'object',
    required: ['revoked', 'forgotten'],
    properties: { revoked: { type: 'boolean' }, forgotten: { type: 'boolean' } },
  },
  OAuthCallbackResult: {
    type: 'object',
    required: ['status', 'message'],
    properties: {
      status: { enum: ['success', 'error'] },
      message: { type: 'string' },
      server_url: { type: 'string' },
    },
  },
  Tool: {
    type: 'object',
    required: ['id', 'name', 'tool_type'],
    properties: {
      id: { type: 'string', pattern: '^tool-' },
      name: { type: 'string' },
      description: nullableString,
      tool_type: { const: 'external_mcp' },
      tags: strings,
      json_schema: { type: 'object' },
      metadata_: { type: 'object' },
      return_char_limit: { type: 'integer' },
    },
  },
  ToolExecuteRequest: {
    type: 'object',
    additionalProperties: false,
    properties: {
      args: { type: 'object', default: {} },
      variables: {
        type: 'object',
        description: 'Header template variables for this call only; never stored.',
        additionalProperties: { type: 'string' },
      },
    },
  },
  ToolExecutionResult: {
    type: 'object',
    required: ['status'],
    properties: {
      status: { enum: ['success', 'error'] },
      func_return: {},
      stdout: { type: ['array', 'null'], items: { type: 'string' } },
      stderr: { type: ['array', 'null'], items: { type: 'string' } },
    },
  },
  MCPServerResyncResult: {
    type: 'object',
    required: ['added', 'updated', 'deleted'],
    properties: { added: strings, updated: strings, deleted: strings },
  },
  SchemaValidateRequest: {
    type: 'object',
    required: ['input_schema'],
    additionalProperties: false,
    properties: {
      input_schema: { description: 'A tool input schema, as an MCP server lists it.' },
    },
  },
  SchemaHealth: {
    type: 'object',
    properties: {
      status: { enum: ['STRICT_COMPLIANT', 'NON_STRICT_ONLY', 'INVALID'] },
      reasons: strings,
    },
  },
  SchemaValidateResult: {
    type: 'object',
    properties: {
      raw: { $ref: '#/components/schemas/SchemaHealth' },
      normalized: {
        type: 'object',
        properties: { schema: { type: 'object' }, status: { type: 'string' }, reasons: strings },
      },
    },
  },
  Error: {
    type: 'object',
    required: ['detail'],
    properties: {
      detail: {
        description: 'A message (a 422 names the field), or an MCPServerUnavailable object.',
      },
    },
  },
  ConnectionError: {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          message: { type: 'string' },
          detail: { type: 'string' },
        },
      },
    },
  },
  Health: { type: 'object', properties: { status: { const: 'ok' }, version: { type: 'string' } } },
}
