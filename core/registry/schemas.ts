/** JSON Schemas of the request bodies; the same objects feed validation and the OpenAPI document. */
const headerName = {
  type: 'string',
  minLength: 1,
  maxLength: 256,
  pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
}
// Latin-1 without control characters (tab aside): what an HTTP header value can carry as is.
const headerValue = { type: 'string', maxLength: 8192, pattern: '^[\\t\\x20-\\x7e\\xa0-\\xff]*$' }
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] })

const headers = {
  type: 'object',
  maxProperties: 64,
  propertyNames: headerName,
  additionalProperties: headerValue,
}
const env = {
  type: 'object',
  maxProperties: 128,
  propertyNames: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 256 },
  additionalProperties: { type: 'string', maxLength: 32768 },
}
const serverName = { type: 'string', minLength: 1, maxLength: 128 }
const serverUrl = { type: 'string', maxLength: 2048 }
const command = { type: 'string', minLength: 1, maxLength: 1024 }
const args = { type: 'array', maxItems: 256, items: { type: 'string', maxLength: 8192 } }

const tag = (value: string) => ({ const: value })

const httpFields = (type: string, update: boolean) => ({
  type: 'object',
  additionalProperties: false,
  required: update ? ['mcp_server_type'] : ['mcp_server_type', 'server_url'],
  properties: {
    mcp_server_type: tag(type),
    server_url: update ? nullable(serverUrl) : serverUrl,
    auth_header: nullable(headerName),
    auth_token: nullable(headerValue),
    custom_headers: nullable(headers),
  },
})

const stdioFields = (update: boolean) => ({
  type: 'object',
  additionalProperties: false,
  required: update ? ['mcp_server_type'] : ['mcp_server_type', 'command', 'args'],
  properties: {
    mcp_server_type: tag('stdio'),
    command: update ? nullable(command) : command,
    args: update ? nullable(args) : args,
    env: nullable(env),
  },
})

const config = (update: boolean) => ({
  type: 'object',
  required: ['mcp_server_type'],
  discriminator: { propertyName: 'mcp_server_type' },
  oneOf: [stdioFields(update), httpFields('sse', update), httpFields('streamable_http', update)],
})

export const createServerBody = {
  $id: 'CreateMCPServerRequest',
  type: 'object',
  additionalProperties: false,
  required: ['server_name', 'config'],
  properties: { server_name: serverName, config: config(false) },
} as const

export const updateServerBody = {
  $id: 'UpdateMCPServerRequest',
  type: 'object',
  additionalProperties: false,
  required: ['config'],
  properties: { server_name: nullable(serverName), config: config(true) },
} as const

export interface HttpConfigInput {
  mcp_server_type: 'sse' | 'streamable_http'
  server_url?: string | null
  auth_header?: string | null
  auth_token?: string | null
  custom_headers?: Record<string, string> | null
}

export interface StdioConfigInput {
  mcp_server_type: 'stdio'
  command?: string | null
  args?: string[] | null
  env?: Record<string, string> | null
}

export type ConfigInput = HttpConfigInput | StdioConfigInput

export interface CreateServerInput {
  server_name: string
  config: ConfigInput
}

export interface UpdateServerInput {
  server_name?: string | null
  config: ConfigInput
}
