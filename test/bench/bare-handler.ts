// The baseline for the cold-init benchmark: a bare Hono app with a DynamoDB client, nothing else.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'
import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'

const db = new DynamoDBClient({})
const app = new Hono()
app.get('/item/:id', async (c) => {
  const out = await db.send(
    new GetItemCommand({ TableName: 't', Key: { pk: { S: c.req.param('id') } } }),
  )
  return c.json(out.Item ?? {})
})

export const handler = handle(app)
