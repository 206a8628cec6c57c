import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * @typedef {{ KeyId: string, Arn: string, Enabled: boolean, KeyState: string } & Record<string, unknown>} KeyMetadata
 * @typedef {{ metadata: KeyMetadata, material: Buffer }} Key
 * @typedef {Record<string, string>} Context
 */

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16
const ALIAS_NAME = /^alias\/[a-zA-Z0-9:/_-]{1,250}$/

export class KmsError extends Error {
  /** @param {string} type @param {string} message */
  constructor(type, message) {
    super(message)
    this.type = type
  }
}

/** @param {string} type @param {string} message @returns {never} */
export const fail = (type, message) => {
  throw new KmsError(type, message)
}

const invalidCiphertext = () => fail('InvalidCiphertextException', 'The ciphertext is invalid.')

/** Sorted key/value pairs, so the AAD does not depend on the order the caller wrote them in. */
const aad = (/** @type {Context} */ context) =>
  Buffer.from(
    JSON.stringify(Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  )

/** @param {{ stateFile?: string, region?: string, account?: string }} options */
export function createKeyStore({ stateFile, region = 'us-east-1', account = '000000000000' } = {}) {
  /** @type {Map<string, Key>} */
  const keys = new Map()
  /** @type {Map<string, string>} */
  const aliases = new Map()
  const arnPrefix = `arn:aws:kms:${region}:${account}:`

  if (stateFile && existsSync(stateFile)) {
    const state = JSON.parse(readFileSync(stateFile, 'utf8'))
    for (const { metadata, material } of state.keys) {
      keys.set(metadata.KeyId, { metadata, material: Buffer.from(material, 'base64') })
    }
    for (const [name, id] of Object.entries(state.aliases)) aliases.set(name, String(id))
  }

  function save() {
    if (!stateFile) return
    const keyList = [...keys.values()]
    const state = {
      keys: keyList.map((k) => ({ metadata: k.metadata, material: k.material.toString('base64') })),
      aliases: Object.fromEntries(aliases),
    }
    mkdirSync(dirname(stateFile), { recursive: true, mode: 0o700 })
    const temp = `${stateFile}.${process.pid}.${randomUUID()}.tmp`
    writeFileSync(temp, JSON.stringify(state), { mode: 0o600, flag: 'wx' })
    renameSync(temp, stateFile)
  }

  /** @param {string} ref */
  function keyIdOf(ref) {
    if (ref.startsWith('alias/')) return aliases.get(ref)
    if (!ref.startsWith('arn:')) return ref
    if (!ref.startsWith(arnPrefix)) return undefined
    const resource = ref.slice(arnPrefix.length)
    if (resource.startsWith('alias/')) return aliases.get(resource)
    return resource.startsWith('key/') ? resource.slice('key/'.length) : undefined
  }

  /** @param {unknown} ref @returns {Key} */
  function find(ref) {
    if (typeof ref !== 'string' || ref === '') fail('ValidationException', 'KeyId is required')
    return keys.get(keyIdOf(ref) ?? '') ?? fail('NotFoundException', `Key '${ref}' does not exist`)
  }

  /** @param {Key} key */
  function ensureEnabled(key) {
    if (!key.metadata.Enabled) fail('DisabledException', `${key.metadata.Arn} is disabled.`)
    return key
  }

  return {
    find,
    /** @param {unknown} ref */
    usable: (ref) => ensureEnabled(find(ref)),
    list: () => [...keys.values()],

    /** @param {string} description */
    createKey(description) {
      const id = randomUUID()
      const metadata = {
        AWSAccountId: account,
        KeyId: id,
        Arn: `${arnPrefix}key/${id}`,
        CreationDate: Math.floor(Date.now() / 1000),
        Enabled: true,
        Description: description,
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: 'Enabled',
        Origin: 'AWS_KMS',
        KeyManager: 'CUSTOMER',
        CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        MultiRegion: false,
      }
      const key = { metadata, material: randomBytes(32) }
      keys.set(id, key)
      save()
      return key
    },

    /** @param {unknown} name @param {unknown} target */
    createAlias(name, target) {
      if (typeof name !== 'string' || !ALIAS_NAME.test(name) || name.startsWith('alias/aws/')) {
        fail('InvalidAliasNameException', `Alias name '${name}' is not valid`)
      }
      if (aliases.has(name))
        fail('AlreadyExistsException', `An alias with the name ${name} already exists`)
      aliases.set(name, find(target).metadata.KeyId)
      save()
    },

    /** @param {string | undefined} ref */
    aliases(ref) {
      const only = ref === undefined ? undefined : find(ref).metadata.KeyId
      return [...aliases]
        .filter(([, id]) => only === undefined || id === only)
        .map(([name, id]) => ({ AliasName: name, AliasArn: arnPrefix + name, TargetKeyId: id }))
    },

    /** @param {unknown} ref @param {boolean} enabled */
    setEnabled(ref, enabled) {
      const { metadata } = find(ref)
      metadata.Enabled = enabled
      metadata.KeyState = enabled ? 'Enabled' : 'Disabled'
      save()
    },

    /** @param {Key} key @param {Buffer} plaintext @param {Context} context */
    seal(key, plaintext, context) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key.material, iv).setAAD(aad(context))
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
      const id = Buffer.from(key.metadata.KeyId, 'utf8')
      return Buffer.concat([Buffer.from([VERSION, id.length]), id, iv, cipher.getAuthTag(), body])
    },

    /** @param {Buffer} blob @param {Context} context @param {unknown} expected a KeyId the caller insists on */
    open(blob, context, expected) {
      if (blob.length < 2 || blob[0] !== VERSION) invalidCiphertext()
      const idEnd = 2 + (blob[1] ?? 0)
      const tagStart = idEnd + IV_BYTES
      if (blob.length < tagStart + TAG_BYTES) invalidCiphertext()
      const key = keys.get(blob.subarray(2, idEnd).toString('utf8')) ?? invalidCiphertext()
      if (expected !== undefined && find(expected) !== key) {
        fail('IncorrectKeyException', 'The ciphertext was not encrypted under the given KeyId')
      }
      ensureEnabled(key)
      try {
        const decipher = createDecipheriv(
          'aes-256-gcm',
          key.material,
          blob.subarray(idEnd, tagStart),
        )
        decipher.setAAD(aad(context)).setAuthTag(blob.subarray(tagStart, tagStart + TAG_BYTES))
        const body = blob.subarray(tagStart + TAG_BYTES)
        return { key, plaintext: Buffer.concat([decipher.update(body), decipher.final()]) }
      } catch {
        return invalidCiphertext()
      }
    },
  }
}
