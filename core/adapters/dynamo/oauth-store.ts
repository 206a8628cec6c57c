import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb'
import { createHash } from 'node:crypto'
import { decrypt, encrypt } from '../../crypto/envelope.js'
import { serverChildrenPk } from '../../keys.js'
import type {
  Flow,
  Grant,
  GrantSummary,
  LastError,
  OAuthClient,
  OAuthSettings,
  OAuthStore,
  Principal,
  StateRef,
} from '../../oauth/types.js'
import type { DataKeys, KeyContext } from '../../ports.js'
import { failedCondition, landed } from './conditional.js'

/** Flows are kept a day for the record, then expire by TTL. */
const FLOW_TTL_S = 24 * 3600

const issuerHash = (issuer: string) => createHash('sha256').update(issuer).digest('base64url')

const keys = {
  grant: (org: string, srv: string, p: Principal) => ({
    pk: serverChildrenPk(org, srv),
    sk: `OAUTH#GRANT#${p}`,
  }),
  flow: (org: string, srv: string, session: string) => ({
    pk: serverChildrenPk(org, srv),
    sk: `OAUTH#FLOW#${session}`,
  }),
  client: (org: string, srv: string, issuer: string) => ({
    pk: serverChildrenPk(org, srv),
    sk: `OAUTH#CLIENT#${issuerHash(issuer)}`,
  }),
  settings: (org: string, srv: string) => ({
    pk: serverChildrenPk(org, srv),
    sk: 'OAUTH#SETTINGS',
  }),
  state: (hash: string) => ({ pk: `OASTATE#${hash}`, sk: 'OASTATE' }),
}

type Item = Record<string, any>

/**
 * OAuth items in the server's child partition (`ORG#<org>#SERVER#<id>`, sk `OAUTH#…`), so the
 * cascade that deletes a server's tools deletes them too, plus a state index (`OASTATE#<sha256>`)
 * that expires with its TTL. Secret fields are sealed with a data key bound to the organization and
 * server (the same KMS context as the server's own secrets).
 */
export class DynamoOAuthStore implements OAuthStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly dataKeys: DataKeys,
    private readonly now = () => Date.now(),
  ) {}

  private async seal(context: KeyContext, secrets: Record<string, string | undefined>) {
    const { plaintext, wrapped } = await this.dataKeys.generate(context)
    try {
      const blob = encrypt(plaintext, Buffer.from(JSON.stringify(secrets), 'utf8'), context)
      return { secret_key: wrapped, secret_blob: blob }
    } finally {
      plaintext.fill(0)
    }
  }

  private async open(context: KeyContext, item: Item): Promise<Record<string, string | undefined>> {
    // A finished flow keeps no secret.
    if (!(item.secret_key instanceof Uint8Array)) return {}
    const key = await this.dataKeys.unwrap(item.secret_key, context)
    try {
      return JSON.parse(decrypt(key, item.secret_blob, context).toString('utf8'))
    } finally {
      key.fill(0)
    }
  }

  private context = (org: string, srv: string): KeyContext => ({
    organization_id: org,
    mcp_server_id: srv,
  })

  private async get(key: Record<string, string>) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    )
    return out.Item
  }

  // ---- grants ----

  private async grantItem(org: string, srv: string, grant: Grant): Promise<Item> {
    const sealed = await this.seal(this.context(org, srv), {
      access_token: grant.accessToken,
      refresh_token: grant.refreshToken,
      client_secret: grant.client.clientSecret,
    })
    return {
      ...keys.grant(org, srv, grant.principal),
      type: 'oauth_grant',
      principal: grant.principal,
      status: grant.status,
      discovery: grant.discovery,
      client: { ...grant.client, clientSecret: undefined },
      token_type: grant.tokenType,
      expires_at: grant.expiresAt,
      scope: grant.scope,
      version: grant.version,
      last_error: grant.lastError,
      consecutive_failures: grant.consecutiveFailures,
      updated_at: grant.updatedAt,
      ...sealed,
    }
  }

  private async fromGrantItem(org: string, srv: string, item: Item): Promise<Grant> {
    const secrets = await this.open(this.context(org, srv), item)
    return {
      principal: item.principal,
      status: item.status,
      discovery: item.discovery,
      client: { ...item.client, clientSecret: secrets.client_secret },
      accessToken: secrets.access_token ?? '',
      refreshToken: secrets.refresh_token,
      tokenType: item.token_type,
      expiresAt: item.expires_at ?? null,
      scope: item.scope,
      version: Number(item.version),
      lastError: item.last_error,
      consecutiveFailures: Number(item.consecutive_failures ?? 0),
      updatedAt: item.updated_at,
    }
  }

  async getGrant(org: string, srv: string, principal: Principal) {
    const item = await this.get(keys.grant(org, srv, principal))
    return item ? this.fromGrantItem(org, srv, item) : undefined
  }

  async putGrant(org: string, srv: string, grant: Grant) {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: await this.grantItem(org, srv, grant) }),
    )
  }

  async claimRefresh(
    org: string,
    srv: string,
    principal: Principal,
    version: number,
    owner: string,
    untilMs: number,
  ) {
    return landed(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.grant(org, srv, principal),
          UpdateExpression: 'SET lease_until = :until, lease_owner = :owner',
          ConditionExpression:
            'version = :v AND #status = :authorized AND (attribute_not_exists(lease_until) OR lease_until < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':until': untilMs,
            ':owner': owner,
            ':v': version,
            ':now': this.now(),
            ':authorized': 'authorized',
          },
        }),
      ),
    )
  }

  async saveRefreshed(org: string, srv: string, grant: Grant, owner: string) {
    return landed(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: await this.grantItem(org, srv, grant),
          ConditionExpression: 'lease_owner = :owner AND version = :v',
          ExpressionAttributeValues: { ':owner': owner, ':v': grant.version - 1 },
        }),
      ),
    )
  }

  async markNeedsReauth(
    org: string,
    srv: string,
    principal: Principal,
    version: number,
    error: LastError,
  ) {
    return landed(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.grant(org, srv, principal),
          UpdateExpression:
            'SET #status = :needs, last_error = :error, updated_at = :at REMOVE lease_until, lease_owner',
          ConditionExpression: 'version = :v',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':needs': 'needs_reauth',
            ':error': error,
            ':at': error.at,
            ':v': version,
          },
        }),
      ),
    )
  }

  async releaseRefresh(
    org: string,
    srv: string,
    principal: Principal,
    owner: string,
    error: LastError,
  ) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.grant(org, srv, principal),
          UpdateExpression:
            'SET last_error = :error, consecutive_failures = if_not_exists(consecutive_failures, :zero) + :one REMOVE lease_until, lease_owner',
          ConditionExpression: 'lease_owner = :owner',
          ExpressionAttributeValues: { ':error': error, ':owner': owner, ':zero': 0, ':one': 1 },
        }),
      )
    } catch (e) {
      if (!failedCondition(e)) throw e
    }
  }

  async deleteGrant(org: string, srv: string, principal: Principal) {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.grant(org, srv, principal) }),
    )
  }

  async summaries(org: string, servers: string[], principal: Principal) {
    const found = new Map<string, GrantSummary>()
    for (let i = 0; i < servers.length; i += 100) {
      let request: Record<string, any> | undefined = {
        [this.tableName]: {
          Keys: servers.slice(i, i + 100).map((srv) => keys.grant(org, srv, principal)),
          ProjectionExpression: 'pk, #status, expires_at, #scope, last_error',
          ExpressionAttributeNames: { '#status': 'status', '#scope': 'scope' },
          ConsistentRead: true,
        },
      }
      for (let round = 0; request && round < 10; round++) {
        const out: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, any> } =
          await this.db.send(new BatchGetCommand({ RequestItems: request }))
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const srv = String(item.pk).split('#SERVER#')[1] ?? ''
          found.set(srv, {
            status: item.status,
            expiresAt: item.expires_at ?? null,
            scope: item.scope,
            lastError: item.last_error,
          })
        }
        request = out.UnprocessedKeys?.[this.tableName] ? out.UnprocessedKeys : undefined
      }
    }
    return found
  }

  // ---- flows and state ----

  async putFlow(org: string, srv: string, flow: Flow, stateHash: string) {
    const sealed = await this.seal(this.context(org, srv), {
      code_verifier: flow.codeVerifier,
      client_secret: flow.client.clientSecret,
    })
    const nowS = Math.floor(this.now() / 1000)
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.flow(org, srv, flow.sessionId),
                type: 'oauth_flow',
                session_id: flow.sessionId,
                principal: flow.principal,
                status: flow.status,
                server_url: flow.serverUrl,
                discovery: flow.discovery,
                client: { ...flow.client, clientSecret: undefined },
                scope: flow.scope,
                created_at: flow.createdAt,
                state_expires_at: flow.stateExpiresAt,
                state_key: keys.state(stateHash),
                ttl: nowS + FLOW_TTL_S,
                ...sealed,
              },
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.state(stateHash),
                type: 'oauth_state',
                organization_id: org,
                server_id: srv,
                session_id: flow.sessionId,
                expires_at: flow.stateExpiresAt,
                ttl: Math.ceil(flow.stateExpiresAt / 1000),
              },
            },
          },
        ],
      }),
    )
  }

  async getFlow(org: string, srv: string, sessionId: string): Promise<Flow | undefined> {
    const item = await this.get(keys.flow(org, srv, sessionId))
    if (!item) return undefined
    const secrets = await this.open(this.context(org, srv), item)
    return {
      sessionId: item.session_id,
      principal: item.principal,
      status: item.status,
      error: item.error,
      serverUrl: item.server_url,
      discovery: item.discovery,
      client: { ...item.client, clientSecret: secrets.client_secret },
      codeVerifier: secrets.code_verifier ?? '',
      scope: item.scope,
      createdAt: item.created_at,
      stateExpiresAt: Number(item.state_expires_at),
    }
  }

  async findState(stateHash: string): Promise<StateRef | undefined> {
    const item = await this.get(keys.state(stateHash))
    if (!item || Number(item.expires_at) <= this.now()) return undefined
    return {
      organizationId: item.organization_id,
      serverId: item.server_id,
      sessionId: item.session_id,
      expiresAt: Number(item.expires_at),
    }
  }

  async beginExchange(org: string, srv: string, sessionId: string) {
    return landed(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.flow(org, srv, sessionId),
          UpdateExpression: 'SET #status = :exchanging',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':exchanging': 'exchanging', ':pending': 'pending' },
        }),
      ),
    )
  }

  async finishFlow(
    org: string,
    srv: string,
    sessionId: string,
    stateHash: string,
    outcome: { status: 'authorized' } | { status: 'error'; error: string },
  ) {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: keys.flow(org, srv, sessionId),
              UpdateExpression:
                'SET #status = :status, #error = :error REMOVE secret_key, secret_blob',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
              ExpressionAttributeValues: {
                ':status': outcome.status,
                ':error': outcome.status === 'error' ? outcome.error : null,
              },
            },
          },
          { Delete: { TableName: this.tableName, Key: keys.state(stateHash) } },
        ],
      }),
    )
  }

  // ---- clients and settings ----

  async getClient(org: string, srv: string, issuer: string) {
    const item = await this.get(keys.client(org, srv, issuer))
    if (!item) return undefined
    const secrets = await this.open(this.context(org, srv), item)
    return { ...(item.client as OAuthClient), clientSecret: secrets.client_secret }
  }

  async putClient(org: string, srv: string, client: OAuthClient) {
    const sealed = await this.seal(this.context(org, srv), { client_secret: client.clientSecret })
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.client(org, srv, client.issuer),
          type: 'oauth_client',
          client: { ...client, clientSecret: undefined },
          ...sealed,
        },
      }),
    )
  }

  async deleteClient(org: string, srv: string, issuer: string) {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.client(org, srv, issuer) }),
    )
  }

  async getSettings(org: string, srv: string) {
    const item = await this.get(keys.settings(org, srv))
    if (!item) return undefined
    const secrets = await this.open(this.context(org, srv), item)
    return { ...(item.settings as OAuthSettings), clientSecret: secrets.client_secret }
  }

  async putSettings(org: string, srv: string, settings: OAuthSettings) {
    const sealed = await this.seal(this.context(org, srv), { client_secret: settings.clientSecret })
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.settings(org, srv),
          type: 'oauth_settings',
          settings: { ...settings, clientSecret: undefined },
          ...sealed,
        },
      }),
    )
  }
}
