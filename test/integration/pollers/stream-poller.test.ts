import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams'
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import {
  startStreamPoller,
  type StreamPoller,
  type StreamPollerOptions,
} from '../../../infra/local/pollers/stream.js'
import { clientsFor } from '../../support/aws.js'
import { streamTables } from './stream-tables.js'

const { dynamodb, streams } = clientsFor(inject('endpoints'))
const tables = streamTables(dynamodb)
const pollers: StreamPoller[] = []
let dir = ''

const start = (options: Omit<StreamPollerOptions, 'streams'>) => {
  const poller = startStreamPoller({ streams, intervalMs: 50, ...options })
  pollers.push(poller)
  return poller
}

/** Starts a poller that records every event it is given. */
const recording = (options: Omit<StreamPollerOptions, 'streams' | 'handler'>) => {
  const events: DynamoDBStreamEvent[] = []
  const handler = async (event: DynamoDBStreamEvent) => {
    events.push(event)
  }
  return { events, poller: start({ handler, ...options }) }
}

const records = (events: DynamoDBStreamEvent[]) => events.flatMap((e) => e.Records)
const pkOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.pk?.S
const pks = (event: DynamoDBStreamEvent | undefined) => event?.Records.map(pkOf)
const sequence = (record: DynamoDBRecord | undefined) => record?.dynamodb?.SequenceNumber ?? ''

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stream-poller-'))
})

afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()))
  await tables.dropAll()
  await rm(dir, { recursive: true, force: true })
})

describe('startStreamPoller', () => {
  it('Should deliver INSERT, MODIFY and REMOVE as Lambda stream records', async () => {
    // Prepare
    const { name, streamArn } = await tables.create()
    const onError = vi.fn()
    const { events, poller } = recording({ streamArn, onError })
    await poller.idle()
    const before = Math.floor(Date.now() / 1000)
    const key = { pk: { S: 'item#1' }, sk: { S: 'v' } }
    const bytes = (...values: number[]) => new Uint8Array(values)
    const nested = {
      M: { raw: { B: bytes(1, 2, 3) }, list: { L: [{ B: bytes(255) }, { N: '7' }] } },
    }

    // Act
    await dynamodb.send(
      new PutItemCommand({
        TableName: name,
        Item: { ...key, blob: { B: bytes(0xde, 0xad, 0xbe, 0xef) }, nested, n: { S: 'first' } },
      }),
    )
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: name,
        Key: key,
        UpdateExpression: 'SET n = :n, tags = :t',
        ExpressionAttributeValues: { ':n': { S: 'second' }, ':t': { BS: [bytes(1), bytes(2)] } },
      }),
    )
    await dynamodb.send(new DeleteItemCommand({ TableName: name, Key: key }))
    await poller.idle()

    // Assess
    const nestedImage = { M: { raw: { B: 'AQID' }, list: { L: [{ B: '/w==' }, { N: '7' }] } } }
    const first = { ...key, blob: { B: '3q2+7w==' }, nested: nestedImage, n: { S: 'first' } }
    const second = { ...first, n: { S: 'second' }, tags: { BS: ['AQ==', 'Ag=='] } }
    const envelope = {
      eventID: expect.any(String),
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      eventSourceARN: streamArn,
    }
    const stream = {
      ApproximateCreationDateTime: expect.any(Number),
      Keys: key,
      SequenceNumber: expect.any(String),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    }
    const delivered = records(events)
    expect(delivered).toStrictEqual([
      { ...envelope, eventName: 'INSERT', dynamodb: { ...stream, NewImage: first, SizeBytes: 65 } },
      {
        ...envelope,
        eventName: 'MODIFY',
        dynamodb: { ...stream, NewImage: second, OldImage: first, SizeBytes: 126 },
      },
      {
        ...envelope,
        eventName: 'REMOVE',
        dynamodb: { ...stream, OldImage: second, SizeBytes: 72 },
      },
    ])
    const after = Math.ceil(Date.now() / 1000)
    const created = delivered.map((r) => r.dynamodb?.ApproximateCreationDateTime ?? 0)
    expect(created.filter((t) => Number.isInteger(t) && t >= before - 60 && t <= after)).toEqual(
      created,
    )
    const numbers = delivered.map((r) => BigInt(sequence(r)))
    expect(numbers).toEqual([...numbers].sort((a, b) => (a < b ? -1 : 1)))
    expect(new Set(delivered.map((r) => r.eventID)).size).toBe(3)
    expect(onError).not.toHaveBeenCalled()
  })

  it('Should resume after the checkpoint without redelivering', async () => {
    // Prepare
    const { name, streamArn } = await tables.create()
    const checkpointFile = join(dir, 'state', 'checkpoint.json')
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))
    const shardId = described.StreamDescription?.Shards?.[0]?.ShardId ?? ''
    const first = recording({ streamArn, checkpointFile })
    await first.poller.idle()
    await tables.put(name, 'a')
    await first.poller.idle()
    await first.poller.stop()
    const afterFirst = JSON.parse(await readFile(checkpointFile, 'utf8'))

    // Act
    await tables.put(name, 'b')
    const second = recording({ streamArn, checkpointFile })
    await second.poller.idle()
    await second.poller.stop()

    // Assess
    expect(first.events.map(pks)).toEqual([['a']])
    expect(second.events.map(pks)).toEqual([['b']])
    expect(afterFirst).toEqual({ [shardId]: sequence(first.events[0]?.Records[0]) })
    expect(JSON.parse(await readFile(checkpointFile, 'utf8'))).toEqual({
      [shardId]: sequence(second.events[0]?.Records[0]),
    })
    expect(await readdir(join(dir, 'state'))).toEqual(['checkpoint.json'])
  })

  it('Should retry a batch from its first failed record', async () => {
    // Prepare
    const { name, streamArn } = await tables.create()
    for (const pk of ['1', '2', '3']) await tables.put(name, pk)
    const events: DynamoDBStreamEvent[] = []
    const onError = vi.fn()
    const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      events.push(event)
      const failed = events.length === 1 ? event.Records.filter((r) => pkOf(r) === '2') : []
      return { batchItemFailures: failed.map((r) => ({ itemIdentifier: sequence(r) })) }
    }

    // Act
    const poller = start({ streamArn, handler, onError, startFrom: 'TRIM_HORIZON' })
    await poller.idle()

    // Assess
    expect(events.map(pks)).toEqual([
      ['1', '2', '3'],
      ['2', '3'],
    ])
    expect(events[1]?.Records).toEqual(events[0]?.Records.slice(1))
    expect(onError).not.toHaveBeenCalled()
  })

  it('Should skip a batch whose handler keeps throwing after maxAttempts', async () => {
    // Prepare
    const { name, streamArn } = await tables.create()
    for (const pk of ['poison', 'ok']) await tables.put(name, pk)
    const events: DynamoDBStreamEvent[] = []
    const failure = new Error('poison')
    const onError = vi.fn()
    const handler = async (event: DynamoDBStreamEvent) => {
      events.push(event)
      if (pks(event)?.includes('poison')) throw failure
    }
    const poller = start({ streamArn, handler, onError, startFrom: 'TRIM_HORIZON', maxAttempts: 3 })
    await poller.idle()

    // Act
    await tables.put(name, 'after')
    await poller.idle()

    // Assess
    expect(events.map(pks)).toEqual([
      ['poison', 'ok'],
      ['poison', 'ok'],
      ['poison', 'ok'],
      ['after'],
    ])
    const [poison, ok] = events[0]?.Records ?? []
    expect(onError.mock.calls).toEqual([
      [failure],
      [failure],
      [failure],
      [new Error(`skipped stream records ${sequence(poison)}..${sequence(ok)} after 3 attempts`)],
    ])
  })
})
