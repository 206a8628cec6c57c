import type { Context, SQSEvent } from 'aws-lambda'
import { deps } from '../deps.js'
import { syncHandler } from './sync-handler.js'

let built: ReturnType<typeof syncHandler> | undefined

export const handler = (event: SQSEvent, context: Context) =>
  (built ??= syncHandler(deps('hangar-sync')))(event, context)
