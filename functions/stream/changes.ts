import type { Context, DynamoDBStreamEvent } from 'aws-lambda'
import { deps } from '../deps.js'
import { changesHandler } from './changes-handler.js'

let built: ReturnType<typeof changesHandler> | undefined

export const handler = (event: DynamoDBStreamEvent, context: Context) =>
  (built ??= changesHandler(deps('hangar-stream')))(event, context)
