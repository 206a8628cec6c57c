import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { apiKeyKey, orgPk } from '../../keys.js'
import type { ApiKeyStore } from '../../ports.js'

/** API keys stored only as SHA-256 hashes, each bound to one organization. */
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
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...apiKeyKey(keyHash, organizationId),
          type: 'api_key',
          organization_id: organizationId,
          label,
          created_at: now,
        },
      }),
    )
    await this.db
      .send(
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
      )
      .catch((error: Error) => {
        if (error.name !== 'ConditionalCheckFailedException') throw error
      })
  }
}
