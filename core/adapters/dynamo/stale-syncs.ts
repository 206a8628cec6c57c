import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { serverKey } from '../../keys.js'
import type { StaleSync, StaleSyncs } from '../../ports.js'
import { landed } from './conditional.js'

const PAGE = 500

/**
 * Scans the table for server items whose sync was lost. A scan reads every item, so it is meant
 * for a sweep every few minutes, not for a request path.
 */
export class DynamoStaleSyncs implements StaleSyncs {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async *find(options: { now: Date; before: Date; afterRestart?: boolean }) {
    const leaseOver = options.afterRestart
      ? ''
      : ' AND (attribute_not_exists(sync_lease_until) OR sync_lease_until < :now)'
    const retryLost = options.afterRestart
      ? 'attribute_exists(#sync.#retry)'
      : '#sync.#retry < :before'
    let start: Record<string, unknown> | undefined
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          Limit: PAGE,
          ExclusiveStartKey: start,
          ProjectionExpression:
            'pk, sk, organization_id, id, config_version, sync_lease_until, #sync.#retry',
          FilterExpression:
            'begins_with(sk, :server) AND (' +
            '(#sync.#status = :pending AND updated_at < :before) OR #sync.#status = :syncing OR ' +
            `(#sync.#status = :failed AND ${retryLost}))` +
            leaseOver,
          ExpressionAttributeNames: {
            '#sync': 'sync',
            '#status': 'status',
            '#retry': 'next_retry_at',
          },
          ExpressionAttributeValues: {
            ':server': 'SERVER#',
            ':pending': 'pending',
            ':syncing': 'syncing',
            ':failed': 'failed',
            ':before': options.before.toISOString(),
            ...(options.afterRestart ? {} : { ':now': options.now.getTime() }),
          },
        }),
      )
      for (const item of page.Items ?? []) {
        const retryAt = (item.sync as { next_retry_at?: string } | undefined)?.next_retry_at
        const found: StaleSync = {
          organizationId: String(item.organization_id),
          id: String(item.id),
          configVersion: Number(item.config_version),
          ...(retryAt ? { retryAt } : {}),
        }
        if (options.afterRestart && item.sync_lease_until !== undefined) {
          await this.dropLease(found, item.sync_lease_until as number)
        }
        yield found
      }
      start = page.LastEvaluatedKey
    } while (start)
  }

  /** Only the lease seen: a sync that claimed the server meanwhile keeps its own. */
  private async dropLease(server: StaleSync, until: number) {
    await landed(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: serverKey(server.organizationId, server.id),
          UpdateExpression: 'REMOVE sync_lease_until',
          ConditionExpression: 'sync_lease_until = :until',
          ExpressionAttributeValues: { ':until': until },
        }),
      ),
    )
  }
}
