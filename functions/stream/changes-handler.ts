import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch'
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { applyServerChange } from '../../core/cascade/apply.js'
import { serverChange } from '../../core/cascade/changes.js'
import type { Log, ServerChildren, StdioGateway } from '../../core/ports.js'

/** The table-stream handler: cascades server deletes and renames to the server's children. */
export const changesHandler = (deps: {
  children: ServerChildren
  log: Log
  stdio?: Pick<StdioGateway, 'evict'>
}) => {
  const processor = new BatchProcessor(EventType.DynamoDBStreams)
  const handleRecord = (record: DynamoDBRecord) => applyServerChange(deps, serverChange(record))
  return (event: DynamoDBStreamEvent, context?: Context) =>
    processPartialResponse(event, handleRecord, processor, { context })
}
