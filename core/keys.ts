/**
 * Single-table key layout (see README "Data model"). Every key starts with its organization.
 *
 *   API key        pk APIKEY#<sha256>            sk ORG#<org>
 *   key listing    pk ORG#<org>                  sk APIKEY#<sha256>
 *   server         pk ORG#<org>                  sk SERVER#<server id>
 *   name claim     pk ORG#<org>                  sk SERVERNAME#<server name>
 *   tool           pk ORG#<org>#SERVER#<id>      sk TOOL#<tool name>     gsi1 ORG#<org> / TOOL#<tool id>
 *   OAuth session  pk ORG#<org>#SERVER#<id>      sk OAUTH#<session id>
 *   served name    pk ORG#<org>#SERVER#<id>      sk SERVED#<tool name>   gsi1 ORG#<org> / SERVED#<served name>
 *
 * A tool item lives in its server's partition, so the item itself is the server↔tool mapping and
 * deleting a server's children is one partition's worth of deletes.
 */
export const apiKeyKey = (keyHash: string, organizationId: string) => ({
  pk: `APIKEY#${keyHash}`,
  sk: `ORG#${organizationId}`,
})

/** The organization's own record of a key, so its keys can be listed and revoked. */
export const orgApiKeyKey = (organizationId: string, keyHash: string) => ({
  pk: orgPk(organizationId),
  sk: `${APIKEY_PREFIX}${keyHash}`,
})

export const APIKEY_PREFIX = 'APIKEY#'

export const orgPk = (organizationId: string) => `ORG#${organizationId}`

export const serverKey = (organizationId: string, serverId: string) => ({
  pk: orgPk(organizationId),
  sk: `SERVER#${serverId}`,
})

export const nameClaimKey = (organizationId: string, name: string) => ({
  pk: orgPk(organizationId),
  sk: `SERVERNAME#${name}`,
})

export const serverChildrenPk = (organizationId: string, serverId: string) =>
  `ORG#${organizationId}#SERVER#${serverId}`

export const toolKey = (organizationId: string, serverId: string, toolName: string) => ({
  pk: serverChildrenPk(organizationId, serverId),
  sk: `TOOL#${toolName}`,
})

export const toolIdIndexKey = (organizationId: string, toolId: string) => ({
  gsi1pk: orgPk(organizationId),
  gsi1sk: `TOOL#${toolId}`,
})

/** A tool's served-name pointer: beside the tool, found by served name through gsi1. */
export const servedNameKey = (organizationId: string, serverId: string, toolName: string) => ({
  pk: serverChildrenPk(organizationId, serverId),
  sk: `${SERVED_PREFIX}${toolName}`,
})

export const servedNameIndexKey = (organizationId: string, served: string) => ({
  gsi1pk: orgPk(organizationId),
  gsi1sk: `${SERVED_PREFIX}${served}`,
})

export const oauthSessionKey = (organizationId: string, serverId: string, sessionId: string) => ({
  pk: serverChildrenPk(organizationId, serverId),
  sk: `OAUTH#${sessionId}`,
})

export const SERVER_PREFIX = 'SERVER#'
export const TOOL_PREFIX = 'TOOL#'
export const SERVED_PREFIX = 'SERVED#'
