import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

/** Every item of the table (all pages), or only those of one organization. */
export const scanAll = async (
  deps: { db: DynamoDBDocumentClient; config: { tableName: string } },
  organizationId?: string,
) => {
  const items: Record<string, unknown>[] = []
  let start: Record<string, unknown> | undefined
  do {
    const page = await deps.db.send(
      new ScanCommand({
        TableName: deps.config.tableName,
        ExclusiveStartKey: start,
        ...(organizationId && {
          FilterExpression: 'begins_with(pk, :org)',
          ExpressionAttributeValues: { ':org': `ORG#${organizationId}` },
        }),
      }),
    )
    items.push(...(page.Items ?? []))
    start = page.LastEvaluatedKey
  } while (start)
  return items
}
