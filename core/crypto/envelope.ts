import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { DataKeys, KeyContext } from '../ports.js'
import type { SealedSecrets, Secrets } from '../registry/types.js'

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16

const needs = (condition: boolean, message: string): void => {
  if (!condition) throw new Error(`envelope: ${message}`)
}

/** The AAD repeats the KMS context, so a blob moved to another server's item fails to open. */
const aad = (context: KeyContext) =>
  Buffer.from(`${context.organization_id}\n${context.mcp_server_id}`, 'utf8')

export const encrypt = (key: Uint8Array, plaintext: Buffer, context: KeyContext): Uint8Array => {
  needs(key.length === 32, 'data key must be 32 bytes')
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(aad(context))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body])
}

export const decrypt = (key: Uint8Array, blob: Uint8Array, context: KeyContext): Buffer => {
  const bytes = Buffer.from(blob)
  needs(bytes[0] === VERSION, 'unknown blob version')
  needs(bytes.length >= 1 + IV_BYTES + TAG_BYTES, 'blob too short')
  const iv = bytes.subarray(1, 1 + IV_BYTES)
  const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', key, iv)
  decipher.setAAD(aad(context))
  decipher.setAuthTag(tag)
  return Buffer.concat([
    decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)),
    decipher.final(),
  ])
}

/** Seals a server's secrets under a fresh KMS data key; only the wrapped key is kept. */
export const sealSecrets = async (
  keys: DataKeys,
  context: KeyContext,
  secrets: Secrets,
): Promise<SealedSecrets> => {
  const { plaintext, wrapped } = await keys.generate(context)
  try {
    const blob = encrypt(plaintext, Buffer.from(JSON.stringify(secrets), 'utf8'), context)
    return { wrappedKey: wrapped, blob }
  } finally {
    plaintext.fill(0)
  }
}

export const openSecrets = async (
  keys: DataKeys,
  context: KeyContext,
  sealed: SealedSecrets,
): Promise<Secrets> => {
  const key = await keys.unwrap(sealed.wrappedKey, context)
  try {
    return JSON.parse(decrypt(key, sealed.blob, context).toString('utf8')) as Secrets
  } finally {
    key.fill(0)
  }
}
