import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it, test } from 'vitest'
import { tableDefinition } from '../../../infra/local/provision.js'
import * as resources from '../../../infra/resources.js'

// infra/*.ts run only inside `sst` (they use its globals), so they are checked as source: every
// shared name, key and setting must come from infra/resources.ts, which the local stack also uses.

const infra = fileURLToPath(new URL('../../../infra/', import.meta.url))

const parse = (path: string) =>
  ts.createSourceFile(path, readFileSync(infra + path, 'utf8'), ts.ScriptTarget.Latest, true)

const nodes = (file: ts.SourceFile): ts.Node[] => {
  const found: ts.Node[] = []
  const visit = (node: ts.Node) => {
    found.push(node)
    node.forEachChild(visit)
  }
  visit(file)
  return found
}

/** The source text of every `name: …` initializer in the file, in order. */
const initializers = (path: string, name: string) =>
  nodes(parse(path))
    .filter(ts.isPropertyAssignment)
    .filter((node) => node.name.getText() === name)
    .map((node) => node.initializer.getText())

const resourceImports = (path: string) =>
  parse(path)
    .statements.filter(ts.isImportDeclaration)
    .filter((node) => (node.moduleSpecifier as ts.StringLiteral).text === './resources')
    .map((node) => node.importClause?.getText())

const stringsIn = (file: ts.SourceFile) =>
  nodes(file).flatMap((node) =>
    ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) ? [node.text] : [],
  )

const valuesOf = (value: unknown): string[] => {
  if (typeof value === 'string') return [value]
  if (value && typeof value === 'object') return Object.values(value).flatMap(valuesOf)
  return []
}

const sharedStrings = new Set(valuesOf(resources))
const infraFiles = readdirSync(infra, { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts') && path !== 'resources.ts')
  .sort()

describe('infra/*.ts take shared settings from infra/resources.ts', () => {
  it('scans the SST files and the local provisioning', () => {
    expect(infraFiles).toEqual(
      expect.arrayContaining(['table.ts', 'queue.ts', 'kms.ts', 'local/provision.ts']),
    )
  })

  test.each(infraFiles)('%s repeats no shared value as a literal', (path) => {
    expect(stringsIn(parse(path)).filter((text) => sharedStrings.has(text))).toEqual([])
  })

  test.each([
    ['table.ts', ['{ table as shape }']],
    ['queue.ts', ['{ syncQueue as shape }']],
    ['kms.ts', ['{ secretsKey as shape }']],
    ['worker.ts', ['{ syncQueue as shape }']],
    ['stream.ts', ['{ serverChangeFilters }']],
    ['sidecar.ts', ['{ runner as shape }']],
  ])('%s imports its shape from ./resources', (path, expected) => {
    expect(resourceImports(path)).toEqual(expected)
  })

  test.each([
    ['table.ts', 'primaryIndex', ['{ hashKey: shape.partitionKey, rangeKey: shape.sortKey }']],
    ['table.ts', 'hashKey', ['shape.partitionKey', 'index.partitionKey']],
    ['table.ts', 'rangeKey', ['shape.sortKey', 'index.sortKey']],
    ['table.ts', 'projection', ['index.projection']],
    ['table.ts', 'stream', ['shape.stream']],
    ['table.ts', 'ttl', ['shape.ttlAttribute']],
    ['table.ts', 'name', ['stageName(shape.name)']],
    ['table.ts', 'deletionProtection', ['production']],
    ['table.ts', 'pointInTimeRecovery', ['{ enabled: production }']],
    ['queue.ts', 'name', ['stageName(shape.deadLetterName)', 'stageName(shape.name)']],
    ['queue.ts', 'visibilityTimeout', ['`${shape.visibilityTimeoutSeconds} seconds`']],
    ['queue.ts', 'dlq', ['{ queue: syncDeadLetters.arn, retry: shape.maxReceiveCount }']],
    ['worker.ts', 'timeout', ['`${shape.workerTimeoutSeconds} seconds`']],
    ['worker.ts', 'batch', ['{ size: shape.batchSize, partialResponses: true }']],
    ['kms.ts', 'name', ['stageName(shape.alias)']],
    ['kms.ts', 'enableKeyRotation', ['true']],
    ['kms.ts', 'actions', ["['kms:GenerateDataKey', 'kms:Decrypt']"]],
    ['kms.ts', 'test', ["'Null'", "'Null'"]],
    [
      'kms.ts',
      'variable',
      ["'kms:EncryptionContext:organization_id'", "'kms:EncryptionContext:mcp_server_id'"],
    ],
    ['kms.ts', 'values', ["['false']", "['false']"]],
    ['stream.ts', 'filters', ['[...serverChangeFilters]']],
    ['stream.ts', 'functionResponseTypes', ["['ReportBatchItemFailures']"]],
    ['sidecar.ts', 'fromPort', ['shape.port', '0']],
    ['sidecar.ts', 'RUNNER_PORT', ['String(shape.port)']],
  ])('%s sets %s to %j', (path, property, expected) => {
    expect(initializers(path, property)).toEqual(expected)
  })
})

describe('infra/resources.ts', () => {
  it('keeps the queue settings the issue asks for', () => {
    expect(resources.syncQueue.maxReceiveCount).toBe(5)
    expect(resources.syncQueue.visibilityTimeoutSeconds).toBe(
      6 * resources.syncQueue.workerTimeoutSeconds,
    )
  })
})

describe('the local table matches the shape the SST table is declared from', () => {
  const key = (AttributeName: string, KeyType: 'HASH' | 'RANGE') => ({ AttributeName, KeyType })
  const { table } = resources
  const gsi1 = table.indexes.gsi1

  it('creates exactly the table infra/resources.ts describes', () => {
    expect(tableDefinition()).toEqual({
      TableName: 'hangar',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((AttributeName) => ({
        AttributeName,
        AttributeType: 'S',
      })),
      KeySchema: [key('pk', 'HASH'), key('sk', 'RANGE')],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [key('gsi1pk', 'HASH'), key('gsi1sk', 'RANGE')],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    })
  })

  it('uses the keys and index SST declares', () => {
    const definition = tableDefinition()

    expect(definition.TableName).toBe(table.name)
    expect(definition.KeySchema).toEqual([
      key(table.partitionKey, 'HASH'),
      key(table.sortKey, 'RANGE'),
    ])
    expect(definition.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: Object.keys(table.indexes)[0],
        KeySchema: [key(gsi1.partitionKey, 'HASH'), key(gsi1.sortKey, 'RANGE')],
        Projection: { ProjectionType: gsi1.projection.toUpperCase() },
      },
    ])
  })

  it('streams the view type SST declares', () => {
    expect(table.stream).toBe('new-and-old-images')
    expect(tableDefinition().StreamSpecification?.StreamViewType).toBe(
      table.stream.toUpperCase().replaceAll('-', '_'),
    )
  })

  it('defines an attribute for every key SST declares as a field', () => {
    const fields = [table.partitionKey, table.sortKey, gsi1.partitionKey, gsi1.sortKey]

    expect(tableDefinition().AttributeDefinitions?.map((a) => a.AttributeName)).toEqual(fields)
  })
})
