import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { PLANTED_SECRETS } from '../support/planted.js'

/** A folder where test workers append log lines and API responses for the final audit. */
export const createAuditDir = () => mkdtempSync(join(tmpdir(), 'hangar-audit-'))

/**
 * `planted` lines are secrets made while the tests run (OAuth tokens, codes, verifiers, client
 * secrets); the audit looks for them like the fixed ones in PLANTED_SECRETS.
 */
export const record = (
  dir: string | undefined,
  kind: 'log' | 'response' | 'planted',
  text: string,
) => {
  if (dir) appendFileSync(join(dir, `${kind}-${process.pid}.txt`), `${text}\n`)
}

const tableText = async (dynamodb: DynamoDBClient, tableName: string) => {
  const parts: string[] = []
  let start: Record<string, unknown> | undefined
  do {
    const page = await dynamodb.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start as never }),
    )
    parts.push(
      JSON.stringify(page.Items ?? [], (_, v) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
      ),
    )
    start = page.LastEvaluatedKey
  } while (start)
  return parts.join('\n')
}

/** Where, after the whole run, any planted secret shows up in clear. */
export const auditSecrets = async (dir: string, dynamodb: DynamoDBClient, tableName: string) => {
  const sources: [string, string][] = [['table items', await tableText(dynamodb, tableName)]]
  const planted: string[] = [...PLANTED_SECRETS]
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8')
    if (file.startsWith('planted-')) planted.push(...text.split('\n').filter(Boolean))
    else sources.push([file, text])
  }
  const found = sources.flatMap(([where, text]) =>
    planted.filter((secret) => text.includes(secret)).map((secret) => `${secret} in ${where}`),
  )
  rmSync(dir, { recursive: true, force: true })
  return {
    found,
    checked: sources.map(([where, text]) => `${where} (${text.length} chars)`),
    planted: planted.length,
  }
}
