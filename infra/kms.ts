import { secretsKey as shape } from './resources'
import { stageName } from './stage'

export const secretsKey = new aws.kms.Key('SecretsKey', {
  description: `Hangar ${$app.stage}: wraps the data keys that seal MCP server secrets`,
  enableKeyRotation: true,
  deletionWindowInDays: 30,
})

export const secretsKeyAlias = new aws.kms.Alias('SecretsKeyAlias', {
  name: stageName(shape.alias),
  targetKeyId: secretsKey.keyId,
})

/**
 * Envelope encryption only (core/crypto/envelope.ts): make and unwrap data keys, and only with an
 * EncryptionContext that names the organization and the server, so no call can skip the binding.
 */
export const keyUse = {
  actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
  resources: [secretsKey.arn],
  conditions: [
    { test: 'Null', variable: 'kms:EncryptionContext:organization_id', values: ['false'] },
    { test: 'Null', variable: 'kms:EncryptionContext:mcp_server_id', values: ['false'] },
  ],
} satisfies sst.aws.FunctionPermissionArgs
