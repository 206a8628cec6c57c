import type { AttributeValue, DynamoDBRecord } from 'aws-lambda'
import { describe, expect, test } from 'vitest'
import { serverChange } from '../../../core/cascade/changes.js'
import { serverChangeFilters } from '../../../infra/resources.js'

// Lambda's filter rules for the subset the filters use: every key of the pattern must be present
// in the record, and an array lists the values allowed there.
const matches = (pattern: unknown, value: unknown): boolean => {
  if (Array.isArray(pattern)) return pattern.includes(value)
  if (!pattern || typeof pattern !== 'object') return false
  if (!value || typeof value !== 'object') return false
  return Object.entries(pattern).every(([key, inner]) =>
    matches(inner, (value as Record<string, unknown>)[key]),
  )
}

const delivered = (record: DynamoDBRecord) =>
  serverChangeFilters.some((filter) => matches(filter, record))

type Image = Record<string, AttributeValue>

const server = (name: string): Image => ({
  type: { S: 'server' },
  organization_id: { S: 'org-1' },
  id: { S: 'mcp_server-1' },
  server_name: { S: name },
})
const tool: Image = { type: { S: 'tool' }, id: { S: 'tool-1' } }

const record = (
  eventName: DynamoDBRecord['eventName'],
  images: { OldImage?: Image; NewImage?: Image },
): DynamoDBRecord => ({ eventName, dynamodb: images })

describe('serverChangeFilters', () => {
  test.each([
    {
      change: 'a server delete',
      passes: true,
      kind: 'deleted',
      event: record('REMOVE', { OldImage: server('a') }),
    },
    {
      change: 'a server rename',
      passes: true,
      kind: 'renamed',
      event: record('MODIFY', { OldImage: server('a'), NewImage: server('b') }),
    },
    {
      change: 'a server update keeping its name',
      passes: true,
      kind: 'none',
      event: record('MODIFY', { OldImage: server('a'), NewImage: server('a') }),
    },
    {
      change: 'a server insert',
      passes: false,
      kind: 'none',
      event: record('INSERT', { NewImage: server('a') }),
    },
    {
      change: 'a tool delete',
      passes: false,
      kind: 'none',
      event: record('REMOVE', { OldImage: tool }),
    },
    {
      change: 'a tool update',
      passes: false,
      kind: 'none',
      event: record('MODIFY', { OldImage: tool, NewImage: tool }),
    },
  ])('delivers $change: $passes (the handler sees $kind)', ({ event, passes, kind }) => {
    expect(delivered(event)).toBe(passes)
    expect(serverChange(event).kind).toBe(kind)
  })
})
