import { handle } from 'hono/aws-lambda'
import { deps } from '../deps.js'
import { createApp } from './app.js'

export const handler = handle(createApp(deps('hangar-api')))
