import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms'
import type { DataKeys, KeyContext } from '../../ports.js'

/** KMS envelope data keys, each bound to one organization and server by its EncryptionContext. */
export class KmsDataKeys implements DataKeys {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async generate(context: KeyContext) {
    const out = await this.kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.keyId,
        KeySpec: 'AES_256',
        EncryptionContext: { ...context },
      }),
    )
    if (!out.Plaintext || !out.CiphertextBlob) throw new Error('KMS returned no data key')
    return { plaintext: out.Plaintext, wrapped: out.CiphertextBlob }
  }

  async unwrap(wrapped: Uint8Array, context: KeyContext) {
    const out = await this.kms.send(
      new DecryptCommand({
        KeyId: this.keyId,
        CiphertextBlob: wrapped,
        EncryptionContext: { ...context },
      }),
    )
    if (!out.Plaintext) throw new Error('KMS returned no plaintext')
    return out.Plaintext
  }
}
