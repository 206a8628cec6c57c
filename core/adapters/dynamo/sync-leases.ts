import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { serverKey } from '../../keys.js'
import type { Claim, SyncLeases } from '../../ports.js'
import type { ServerRecord, SyncState } from '../../registry/types.js'
import { fromServerItem } from './server-item.js'
import { landed } from './conditional.js'

const exists = 'attribute_exists(pk)'
const sameConfig = 'config_version = :version'
const leaseFree = '(attribute_not_exists(sync_lease_until) OR sync_lease_until < :now)'
const holdsLease = 'sync_generation = :generation'

/** The item of a failed condition comes back unconverted (`{ N: "2" }`), not as the document client's numbers. */
const storedNumber = (value: unknown): number =>
  Number(typeof value === 'object' && value !== null && 'N' in value ? value.N : value)

/** Sync leases and results on the server item, guarded by conditional writes. */
export class DynamoSyncLeases implements SyncLeases {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now = () => Date.now(),
  ) {}

  async claim(
    organizationId: string,
    serverId: string,
    configVersion: number,
    leaseMs: number,
    options: { takeOver?: boolean } = {},
  ): Promise<Claim> {
    const now = this.now()
    const free = options.takeOver ? '' : ` AND ${leaseFree}`
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: serverKey(organizationId, serverId),
          UpdateExpression:
            'SET sync_lease_until = :until, sync_generation = if_not_exists(sync_generation, :zero) + :one, #sync.#status = :syncing REMOVE #sync.#retry, #sync.#message',
          ConditionExpression: `${exists} AND ${sameConfig}${free}`,
          ExpressionAttributeNames: {
            '#sync': 'sync',
            '#status': 'status',
            '#retry': 'next_retry_at',
            '#message': 'message',
          },
          ExpressionAttributeValues: {
            ':until': now + leaseMs,
            ...(options.takeOver ? {} : { ':now': now }),
            ':zero': 0,
            ':one': 1,
            ':syncing': 'syncing',
            ':version': configVersion,
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      const item = out.Attributes ?? {}
      return { ok: true, generation: Number(item.sync_generation), server: fromServerItem(item) }
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error
      const old = (error as { Item?: Record<string, unknown> }).Item
      if (!old) return { ok: false, why: 'gone' }
      const stored = storedNumber(old.config_version)
      if (stored !== configVersion) return { ok: false, why: 'stale', configVersion: stored }
      return { ok: false, why: 'busy', configVersion: stored }
    }
  }

  async renew(server: ServerRecord, generation: number, leaseMs: number): Promise<boolean> {
    return this.whileHeld(server, generation, {
      UpdateExpression: 'SET sync_lease_until = :until',
      ConditionExpression: `${exists} AND ${sameConfig} AND ${holdsLease}`,
      ExpressionAttributeValues: { ':until': this.now() + leaseMs },
    })
  }

  async progress(server: ServerRecord, generation: number, message: string): Promise<boolean> {
    // Only while the lease is held: `finish` and `release` remove it.
    return this.whileHeld(server, generation, {
      UpdateExpression: 'SET #sync.#message = :message',
      ConditionExpression: `${exists} AND ${sameConfig} AND ${holdsLease} AND attribute_exists(sync_lease_until)`,
      ExpressionAttributeNames: { '#sync': 'sync', '#message': 'message' },
      ExpressionAttributeValues: { ':message': message },
    })
  }

  async finish(server: ServerRecord, generation: number, state: SyncState): Promise<boolean> {
    return this.whileHeld(server, generation, {
      UpdateExpression: 'SET #sync = :state REMOVE sync_lease_until',
      ConditionExpression: `${exists} AND ${sameConfig} AND ${holdsLease}`,
      ExpressionAttributeNames: { '#sync': 'sync' },
      ExpressionAttributeValues: { ':state': state },
    })
  }

  /** An update of the server's sync by the holder of its lease: false once another holds it. */
  private async whileHeld(
    server: ServerRecord,
    generation: number,
    update: {
      UpdateExpression: string
      ConditionExpression: string
      ExpressionAttributeNames?: Record<string, string>
      ExpressionAttributeValues: Record<string, unknown>
    },
  ): Promise<boolean> {
    return landed(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: serverKey(server.organizationId, server.id),
          ...update,
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ':version': server.configVersion,
            ':generation': generation,
          },
        }),
      ),
    )
  }

  async release(server: ServerRecord, generation: number): Promise<void> {
    await landed(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: serverKey(server.organizationId, server.id),
          UpdateExpression: 'REMOVE sync_lease_until',
          ConditionExpression: `${exists} AND ${holdsLease}`,
          ExpressionAttributeValues: { ':generation': generation },
        }),
      ),
    )
  }
}
