import { randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KmsError, createKeyStore, fail } from './mini-kms-keys.mjs'

/**
 * @typedef {ReturnType<typeof createKeyStore>} KeyStore
 * @typedef {Record<string, unknown>} Body
 */

const ALGORITHM = 'SYMMETRIC_DEFAULT'
const KEY_SPEC_BYTES = new Map([
  ['AES_256', 32],
  ['AES_128', 16],
])
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const JSON_TYPE = 'application/x-amz-json-1.1'

const b64 = (/** @type {Buffer} */ buf) => buf.toString('base64')

/** @param {unknown} value @param {string} name @param {number} min @param {number} max */
function bytes(value, name, min, max) {
  if (typeof value !== 'string' || !BASE64.test(value))
    fail('ValidationException', `${name} must be base64`)
  const buf = Buffer.from(value, 'base64')
  if (buf.length < min || buf.length > max) {
    fail('ValidationException', `${name} must be between ${min} and ${max} bytes`)
  }
  return buf
}

/** @param {unknown} value @param {string} name */
function count(value, name) {
  if (!Number.isInteger(value) || Number(value) < 1 || Number(value) > 1024) {
    fail('ValidationException', `${name} must be an integer from 1 to 1024`)
  }
  return Number(value)
}

/** @param {unknown} value @returns {Record<string, string>} */
function context(value) {
  if (value === undefined) return {}
  const valid =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  return valid
    ? /** @type {Record<string, string>} */ (value)
    : fail('ValidationException', 'EncryptionContext must map strings to strings')
}

/** @param {Body} body */
function dataKeyLength({ KeySpec, NumberOfBytes }) {
  if ((KeySpec === undefined) === (NumberOfBytes === undefined)) {
    fail('ValidationException', 'Specify exactly one of KeySpec and NumberOfBytes')
  }
  if (KeySpec === undefined) return count(NumberOfBytes, 'NumberOfBytes')
  return (
    KEY_SPEC_BYTES.get(String(KeySpec)) ??
    fail('ValidationException', 'KeySpec must be AES_256 or AES_128')
  )
}

/** @param {KeyStore} store @param {Body} body */
function generateDataKey(store, body) {
  const length = dataKeyLength(body)
  const key = store.usable(body.KeyId)
  const plaintext = randomBytes(length)
  const blob = store.seal(key, plaintext, context(body.EncryptionContext))
  return { CiphertextBlob: b64(blob), Plaintext: b64(plaintext), KeyId: key.metadata.Arn }
}

/** @type {Record<string, (store: KeyStore, body: Body) => Body>} */
const ops = {
  CreateKey(store, { Description = '', KeySpec = ALGORITHM, KeyUsage = 'ENCRYPT_DECRYPT' }) {
    if (KeySpec !== ALGORITHM || KeyUsage !== 'ENCRYPT_DECRYPT') {
      fail('UnsupportedOperationException', 'Only symmetric ENCRYPT_DECRYPT keys are supported')
    }
    return { KeyMetadata: store.createKey(String(Description)).metadata }
  },
  DescribeKey: (store, { KeyId }) => ({ KeyMetadata: store.find(KeyId).metadata }),
  ListKeys: (store) => ({
    Keys: store.list().map(({ metadata }) => ({ KeyId: metadata.KeyId, KeyArn: metadata.Arn })),
    Truncated: false,
  }),
  CreateAlias: (store, { AliasName, TargetKeyId }) => (
    store.createAlias(AliasName, TargetKeyId),
    {}
  ),
  ListAliases: (store, { KeyId }) => ({
    Aliases: store.aliases(KeyId === undefined ? undefined : String(KeyId)),
    Truncated: false,
  }),
  DisableKey: (store, { KeyId }) => (store.setEnabled(KeyId, false), {}),
  EnableKey: (store, { KeyId }) => (store.setEnabled(KeyId, true), {}),
  Encrypt(store, { KeyId, Plaintext, EncryptionContext }) {
    const plaintext = bytes(Plaintext, 'Plaintext', 1, 4096)
    const key = store.usable(KeyId)
    const blob = store.seal(key, plaintext, context(EncryptionContext))
    return { CiphertextBlob: b64(blob), KeyId: key.metadata.Arn, EncryptionAlgorithm: ALGORITHM }
  },
  Decrypt(store, { CiphertextBlob, EncryptionContext, KeyId }) {
    const blob = bytes(CiphertextBlob, 'CiphertextBlob', 1, 6144)
    const { key, plaintext } = store.open(blob, context(EncryptionContext), KeyId)
    return { KeyId: key.metadata.Arn, Plaintext: b64(plaintext), EncryptionAlgorithm: ALGORITHM }
  },
  GenerateDataKey: generateDataKey,
  GenerateDataKeyWithoutPlaintext(store, body) {
    const { Plaintext, ...rest } = generateDataKey(store, body)
    return rest
  },
  ReEncrypt(store, body) {
    const blob = bytes(body.CiphertextBlob, 'CiphertextBlob', 1, 6144)
    const source = store.open(blob, context(body.SourceEncryptionContext), body.SourceKeyId)
    const destination = store.usable(body.DestinationKeyId)
    const sealed = store.seal(
      destination,
      source.plaintext,
      context(body.DestinationEncryptionContext),
    )
    return {
      CiphertextBlob: b64(sealed),
      SourceKeyId: source.key.metadata.Arn,
      KeyId: destination.metadata.Arn,
      SourceEncryptionAlgorithm: ALGORITHM,
      DestinationEncryptionAlgorithm: ALGORITHM,
    }
  },
  GenerateRandom: (_, { NumberOfBytes }) => ({
    Plaintext: b64(randomBytes(count(NumberOfBytes, 'NumberOfBytes'))),
  }),
}

/** @param {string} text @returns {Body} */
function parseBody(text) {
  if (text.trim() === '') return {}
  let body
  try {
    body = JSON.parse(text)
  } catch {
    fail('SerializationException', 'The request body is not valid JSON')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    fail('SerializationException', 'The request body must be a JSON object')
  }
  return body
}

/** @param {KeyStore} store @param {string | undefined} target @param {string} text */
function dispatch(store, target, text) {
  const name = target?.startsWith('TrentService.') ? target.slice('TrentService.'.length) : ''
  const op = Object.hasOwn(ops, name) ? ops[name] : undefined
  if (!op) return fail('UnsupportedOperationException', `Unknown operation '${target ?? ''}'`)
  return op(store, parseBody(text))
}

/** @param {import('node:http').ServerResponse} res @param {() => Body} run */
function reply(res, run) {
  /** @type {Record<string, string>} */
  const headers = { 'content-type': JSON_TYPE, 'x-amzn-requestid': randomUUID() }
  let status = 200
  let body
  try {
    body = run()
  } catch (err) {
    const known = err instanceof KmsError
    const type = known ? err.type : 'KMSInternalException'
    status = known ? 400 : 500
    headers['x-amzn-errortype'] = type
    body = { __type: type, message: known ? err.message : `Internal error: ${String(err)}` }
  }
  res.writeHead(status, headers).end(JSON.stringify(body))
}

/**
 * A KMS-protocol server (not yet listening). Keys live in memory, and in `stateFile` when given.
 * @param {{ stateFile?: string, region?: string, account?: string }} [options]
 */
export function createKmsServer(options = {}) {
  const store = createKeyStore(options)
  return createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('error', () => res.destroy())
    req.on('end', () => {
      const target = req.headers['x-amz-target']
      const text = Buffer.concat(chunks).toString('utf8')
      reply(res, () => dispatch(store, typeof target === 'string' ? target : undefined, text))
    })
  })
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.KMS_PORT ?? 4599)
  if (!Number.isInteger(port))
    throw new Error(`KMS_PORT must be a port number, got '${process.env.KMS_PORT}'`)
  const server = createKmsServer({ stateFile: '.hangar/kms-keys.json' })
  server.listen(port, '127.0.0.1', () =>
    console.log(`mini-kms listening on http://127.0.0.1:${port}`),
  )
  const stop = () => server.close(() => process.exit(0))
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}
