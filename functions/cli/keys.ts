import { parseArgs } from 'node:util'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoApiKeyStore } from '../../core/adapters/dynamo/api-key-store.js'
import { createApiKey } from '../../core/auth.js'
import { isAppError } from '../../core/errors.js'
import { documentClient } from '../deps.js'

const usage = `Usage: npm run keys -- create --org <organization> [--label <label>]

Creates an API key for the organization (creating the organization if new) and prints it once.
Only its SHA-256 hash is stored. The table comes from HANGAR_TABLE (default "hangar") and the
endpoint from AWS_ENDPOINT_URL_DYNAMODB, so the same command serves local and deployed tables.
Locally, with npm start running: AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000 npm run keys -- create --org acme`

const main = async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { org: { type: 'string' }, label: { type: 'string' }, help: { type: 'boolean' } },
  })
  if (values.help || positionals[0] !== 'create' || !values.org) {
    process.stderr.write(`${usage}\n`)
    return values.help ? 0 : 2
  }
  const store = new DynamoApiKeyStore(
    documentClient(new DynamoDBClient({})),
    process.env.HANGAR_TABLE ?? 'hangar',
  )
  const key = await createApiKey(store, values.org, values.label ?? 'cli')
  process.stdout.write(`organization: ${values.org}\napi key (shown once): ${key}\n`)
  return 0
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`keys: ${isAppError(error) ? error.message : String(error)}\n`)
    process.exit(1)
  },
)
