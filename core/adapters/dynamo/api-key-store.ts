import {
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb'
import { APIKEY_PREFIX, apiKeyKey, orgApiKeyKey, orgPk } from '../../keys.js'
import type { ApiKeyInfo, ApiKeyStore } from '../../ports.js'
import { landed } from './conditional.js'

/**
 * API keys stored only as SHA-256 hashes, each bound to one organization: the key item (looked up
 * per request) and the organization's record of it (for listing and revoking), written together.
 */
export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async organizationFor(keyHash: string): Promise<string | undefined> {
    const found = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': apiKeyKey(keyHash, '').pk },
        Limit: 1,
        ConsistentRead: true,
      }),
    )
    const item = found.Items?.[0]
    return item ? (item.organization_id as string) : undefined
  }

  async put(keyHash: string, organizationId: string, label: string): Promise<void> {
    const now = new Date().toISOString()
    const fields = { organization_id: organizationId, label, created_at: now }
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...apiKeyKey(keyHash, organizationId), type: 'api_key', ...fields },
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...orgApiKeyKey(organizationId, keyHash),
                type: 'api_key_ref',
                key_hash: keyHash,
                ...fields,
              },
            },
          },
        ],
      }),
    )
    // The organization item is written once; a second key finds it there.
    await landed(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: orgPk(organizationId),
            sk: 'ORG',
            type: 'organization',
            organization_id: organizationId,
            created_at: now,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    )
  }

  async list(organizationId: string): Promise<ApiKeyInfo[]> {
    const keys: ApiKeyInfo[] = []
    let start: Record<string, unknown> | undefined
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': orgPk(organizationId), ':prefix': APIKEY_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      )
      for (const item of page.Items ?? []) {
        keys.push({
          keyHash: item.key_hash as string,
          label: item.label as string,
          createdAt: item.created_at as string,
        })
      }
      start = page.LastEvaluatedKey
    } while (start)
    return keys.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  }

  async revoke(organizationId: string, keyHash: string): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: apiKeyKey(keyHash, organizationId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            { Delete: { TableName: this.tableName, Key: orgApiKeyKey(organizationId, keyHash) } },
          ],
        }),
      )
      return true
    } catch (error) {
      if ((error as Error).name === 'TransactionCanceledException') return false
      throw error
    }
  }
}
