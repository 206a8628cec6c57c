import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKmsServer, type KmsServerOptions } from '../../infra/local/mini-kms.mjs'

const ACCOUNT = '000000000000'
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)
const utf8 = (value: string) => new TextEncoder().encode(value)
const arnOf = (keyId: string | undefined) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}`

async function startKms(options: KmsServerOptions = {}) {
  const server = createKmsServer(options)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const client = new KMSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
  const stop = async () => {
    client.destroy()
    await new Promise((resolve) => server.close(resolve))
  }
  return { endpoint, client, stop }
}

async function createKey(client: KMSClient, alias?: string) {
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: 'test' }))
  const keyId = KeyMetadata?.KeyId ?? ''
  if (alias) await client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }))
  return keyId
}

const rejection = (name: string) => ({
  name,
  $metadata: expect.objectContaining({ httpStatusCode: 400 }),
})

describe('mini KMS through @aws-sdk/client-kms', () => {
  let kms: Awaited<ReturnType<typeof startKms>>
  let client: KMSClient
  let keyId: string

  beforeAll(async () => {
    kms = await startKms()
    client = kms.client
    keyId = await createKey(client, 'alias/app-secrets')
  })

  afterAll(async () => {
    await kms.stop()
  })

  it('Should describe a key by alias as enabled, with its ARN', async () => {
    const { KeyMetadata } = await client.send(
      new DescribeKeyCommand({ KeyId: 'alias/app-secrets' }),
    )

    expect(KeyMetadata).toMatchObject({
      KeyId: keyId,
      Arn: arnOf(keyId),
      Enabled: true,
      KeyState: 'Enabled',
      Description: 'test',
    })
    expect(keyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  })

  it('Should resolve key id, key ARN and alias ARN to the same key', async () => {
    const refs = [keyId, arnOf(keyId), `arn:aws:kms:us-east-1:${ACCOUNT}:alias/app-secrets`]

    const described = await Promise.all(
      refs.map((KeyId) => client.send(new DescribeKeyCommand({ KeyId }))),
    )

    expect(described.map((d) => d.KeyMetadata?.KeyId)).toEqual([keyId, keyId, keyId])
  })

  it('Should list aliases with their target key', async () => {
    const { Aliases } = await client.send(new ListAliasesCommand({ KeyId: keyId }))

    expect(Aliases).toEqual([
      {
        AliasName: 'alias/app-secrets',
        AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/app-secrets`,
        TargetKeyId: keyId,
      },
    ])
  })

  it('Should decrypt with the same context given in a different key order', async () => {
    // Prepare
    const encrypted = await client.send(
      new EncryptCommand({
        KeyId: 'alias/app-secrets',
        Plaintext: utf8('s3cr3t'),
        EncryptionContext: { tenant: 't1', purpose: 'mcp' },
      }),
    )

    // Act
    const decrypted = await client.send(
      new DecryptCommand({
        CiphertextBlob: encrypted.CiphertextBlob,
        EncryptionContext: { purpose: 'mcp', tenant: 't1' },
      }),
    )

    // Assess
    expect(encrypted.KeyId).toBe(arnOf(keyId))
    expect(encrypted.CiphertextBlob).toBeInstanceOf(Uint8Array)
    expect(text(encrypted.CiphertextBlob)).not.toContain('s3cr3t')
    expect({ keyId: decrypted.KeyId, plaintext: text(decrypted.Plaintext) }).toEqual({
      keyId: arnOf(keyId),
      plaintext: 's3cr3t',
    })
  })

  it('Should reject a different or missing context with InvalidCiphertextException', async () => {
    const { CiphertextBlob } = await client.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: utf8('s3cr3t'),
        EncryptionContext: { tenant: 't1' },
      }),
    )

    await expect(
      client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { tenant: 't2' } })),
    ).rejects.toMatchObject(rejection('InvalidCiphertextException'))
    await expect(client.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(
      rejection('InvalidCiphertextException'),
    )
  })

  it('Should generate an AES_256 data key whose ciphertext decrypts to the same bytes', async () => {
    const context = { organization_id: 'org-1', mcp_server_id: 'srv-1' }

    const generated = await client.send(
      new GenerateDataKeyCommand({
        KeyId: 'alias/app-secrets',
        KeySpec: 'AES_256',
        EncryptionContext: context,
      }),
    )
    const decrypted = await client.send(
      new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, EncryptionContext: context }),
    )

    expect(generated.Plaintext?.length).toBe(32)
    expect(generated.KeyId).toBe(arnOf(keyId))
    expect(Buffer.from(decrypted.Plaintext ?? [])).toEqual(Buffer.from(generated.Plaintext ?? []))
  })

  it('Should report an unknown alias as NotFoundException', async () => {
    await expect(
      client.send(new EncryptCommand({ KeyId: 'alias/missing', Plaintext: utf8('x') })),
    ).rejects.toMatchObject(rejection('NotFoundException'))
  })

  it('Should refuse a disabled key with DisabledException', async () => {
    // Prepare
    const disabled = await createKey(client)
    const { CiphertextBlob } = await client.send(
      new EncryptCommand({ KeyId: disabled, Plaintext: utf8('before') }),
    )

    // Act
    await client.send(new DisableKeyCommand({ KeyId: disabled }))

    // Assess
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: disabled }))
    expect({ enabled: KeyMetadata?.Enabled, state: KeyMetadata?.KeyState }).toEqual({
      enabled: false,
      state: 'Disabled',
    })
    await expect(
      client.send(new EncryptCommand({ KeyId: disabled, Plaintext: utf8('x') })),
    ).rejects.toMatchObject(rejection('DisabledException'))
    await expect(client.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(
      rejection('DisabledException'),
    )
  })

  it('Should re-encrypt under a second key, then decrypt with the new context', async () => {
    // Prepare
    const second = await createKey(client, 'alias/second')
    const { CiphertextBlob } = await client.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: utf8('moved'),
        EncryptionContext: { a: '1' },
      }),
    )

    // Act
    const reEncrypted = await client.send(
      new ReEncryptCommand({
        CiphertextBlob,
        SourceEncryptionContext: { a: '1' },
        DestinationKeyId: 'alias/second',
        DestinationEncryptionContext: { b: '2' },
      }),
    )
    const decrypted = await client.send(
      new DecryptCommand({
        CiphertextBlob: reEncrypted.CiphertextBlob,
        EncryptionContext: { b: '2' },
      }),
    )

    // Assess
    expect({ source: reEncrypted.SourceKeyId, destination: reEncrypted.KeyId }).toEqual({
      source: arnOf(keyId),
      destination: arnOf(second),
    })
    expect({ keyId: decrypted.KeyId, plaintext: text(decrypted.Plaintext) }).toEqual({
      keyId: arnOf(second),
      plaintext: 'moved',
    })
    await expect(
      client.send(
        new DecryptCommand({
          CiphertextBlob: reEncrypted.CiphertextBlob,
          EncryptionContext: { b: '2' },
          KeyId: keyId,
        }),
      ),
    ).rejects.toMatchObject(rejection('IncorrectKeyException'))
  })

  it('Should reject garbage ciphertext with InvalidCiphertextException', async () => {
    const garbage = [utf8('garbage'), new Uint8Array(64).fill(1)]

    for (const CiphertextBlob of garbage) {
      await expect(client.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(
        rejection('InvalidCiphertextException'),
      )
    }
  })

  it('Should answer an unknown operation with an error and keep serving', async () => {
    await expect(
      client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId })),
    ).rejects.toMatchObject(rejection('UnsupportedOperationException'))

    const raw = await fetch(kms.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.Nope',
      },
      body: '{}',
    })
    const notJson = await fetch(kms.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'TrentService.Encrypt' },
      body: '{"KeyId":',
    })

    expect({ status: raw.status, type: raw.headers.get('x-amzn-errortype') }).toEqual({
      status: 400,
      type: 'UnsupportedOperationException',
    })
    expect(await raw.json()).toEqual({
      __type: 'UnsupportedOperationException',
      message: "Unknown operation 'TrentService.Nope'",
    })
    expect({ status: notJson.status, body: await notJson.json() }).toEqual({
      status: 400,
      body: { __type: 'SerializationException', message: 'The request body is not valid JSON' },
    })
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: keyId }))
    expect(KeyMetadata?.KeyId).toBe(keyId)
  })
})

describe('mini KMS persistence', () => {
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mini-kms-'))
  })

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('Should decrypt after a restart with the same state file, kept at mode 0600', async () => {
    // Prepare
    const stateFile = join(dir, 'nested', 'kms-keys.json')
    const first = await startKms({ stateFile })
    const keyId = await createKey(first.client, 'alias/app-secrets')
    const disabled = await createKey(first.client)
    await first.client.send(new DisableKeyCommand({ KeyId: disabled }))
    const { CiphertextBlob } = await first.client.send(
      new EncryptCommand({
        KeyId: 'alias/app-secrets',
        Plaintext: utf8('survives'),
        EncryptionContext: { tenant: 't1' },
      }),
    )
    await first.stop()

    // Act
    const second = await startKms({ stateFile })
    try {
      const decrypted = await second.client.send(
        new DecryptCommand({ CiphertextBlob, EncryptionContext: { tenant: 't1' } }),
      )
      const described = await second.client.send(
        new DescribeKeyCommand({ KeyId: 'alias/app-secrets' }),
      )

      // Assess
      expect(text(decrypted.Plaintext)).toBe('survives')
      expect(described.KeyMetadata?.KeyId).toBe(keyId)
      await expect(
        second.client.send(new EncryptCommand({ KeyId: disabled, Plaintext: utf8('x') })),
      ).rejects.toMatchObject(rejection('DisabledException'))
      expect((await stat(stateFile)).mode & 0o777).toBe(0o600)
      expect(await readdir(join(dir, 'nested'))).toEqual(['kms-keys.json'])
    } finally {
      await second.stop()
    }
  })

  it('Should keep keys in memory only without a state file', async () => {
    const first = await startKms()
    const keyId = await createKey(first.client)
    await first.stop()

    const second = await startKms()
    try {
      await expect(
        second.client.send(new DescribeKeyCommand({ KeyId: keyId })),
      ).rejects.toMatchObject(rejection('NotFoundException'))
    } finally {
      await second.stop()
    }
  })
})
