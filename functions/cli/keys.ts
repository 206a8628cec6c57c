import { parseArgs } from 'node:util'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoApiKeyStore } from '../../core/adapters/dynamo/api-key-store.js'
import { createApiKey, hashKey, ORGANIZATION_ID } from '../../core/auth.js'
import { isAppError } from '../../core/errors.js'
import { runningStack } from '../../infra/local/stack-info.js'
import { documentClient } from '../deps.js'

const usage = `Usage:
  npm run keys -- create --org <organization> [--label <label>]   prints a new key once
  npm run keys -- list --org <organization>                       key ids, labels, dates
  npm run keys -- revoke --org <organization> <key id>            the id from list, or the key

Only a key's SHA-256 hash is stored; its id is the first 12 characters of that hash. A revoked key
stops working within 30 s (API processes cache keys that briefly).

With npm start running, the commands use its table; nothing to set. For a deployed stage set
HANGAR_TABLE (hangar-<stage>) and AWS_REGION, with AWS credentials as usual.`

const ID_LENGTH = 12

/** Where the keys live: HANGAR_TABLE on AWS, else the running local stack. */
const target = () => {
  const env = process.env
  if (env.HANGAR_TABLE) return { table: env.HANGAR_TABLE, client: new DynamoDBClient({}) }
  const stack = runningStack()
  if (!stack) {
    throw new Error(
      'No local stack is running (start it with npm start), and HANGAR_TABLE is not set (set it and AWS_REGION for a deployed stage).',
    )
  }
  return {
    table: stack.table,
    client: new DynamoDBClient({
      endpoint: stack.dynamodb,
      region: stack.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  }
}

const main = async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { org: { type: 'string' }, label: { type: 'string' }, help: { type: 'boolean' } },
  })
  const [command, id] = positionals
  const known = ['create', 'list', 'revoke'].includes(command ?? '')
  if (values.help || !known || !values.org || (command === 'revoke' && !id)) {
    process.stderr.write(`${usage}\n`)
    return values.help ? 0 : 2
  }
  const org = values.org
  if (!ORGANIZATION_ID.test(org)) {
    throw new Error(
      'organization must be 1-63 characters of a-z, 0-9, "-" and "_", starting with a letter or digit',
    )
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const { table, client } = target()
  const store = new DynamoApiKeyStore(documentClient(client), table)
  if (command === 'create') {
    const key = await createApiKey(store, org, values.label ?? 'cli')
    process.stdout.write(
      `organization: ${org}\nkey id: ${hashKey(key).slice(0, ID_LENGTH)}\napi key (shown once): ${key}\n`,
    )
    return 0
  }
  const keys = await store.list(org)
  if (command === 'list') {
    if (!keys.length) process.stdout.write(`organization ${org} has no keys\n`)
    for (const key of keys) {
      process.stdout.write(`${key.keyHash.slice(0, ID_LENGTH)}  ${key.createdAt}  ${key.label}\n`)
    }
    return 0
  }
  const wanted = id!.startsWith('hgr_') ? hashKey(id!) : id!.toLowerCase()
  const matches = keys.filter((key) => key.keyHash.startsWith(wanted) && wanted.length >= 8)
  if (matches.length !== 1) {
    process.stderr.write(
      matches.length
        ? `keys: "${id}" matches ${matches.length} keys; give more characters\n`
        : `keys: organization ${org} has no key "${id}" (see npm run keys -- list --org ${org})\n`,
    )
    return 1
  }
  await store.revoke(org, matches[0]!.keyHash)
  process.stdout.write(`revoked key ${matches[0]!.keyHash.slice(0, ID_LENGTH)} of ${org}\n`)
  return 0
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`keys: ${isAppError(error) ? error.message : (error as Error).message}\n`)
    process.exit(1)
  },
)
