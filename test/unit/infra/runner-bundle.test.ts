import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))

/** Every source file the runner's image bundle is made of (infra/build.mjs bundles the same entry). */
const runnerInputs = async () => {
  const result = await build({
    entryPoints: [`${root}functions/runner/main.ts`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  return Object.keys(result.metafile.inputs)
}

describe('the stdio runner bundle', () => {
  it('Should hold no AWS SDK client and no table or KMS adapter', async () => {
    const inputs = await runnerInputs()

    expect(inputs).toContain('functions/runner/main.ts')
    expect(
      inputs.filter((path) =>
        /@aws-sdk\/|@smithy\/|core\/adapters\/(dynamo|kms|sqs)\/|core\/crypto\//.test(path),
      ),
    ).toEqual([])
  })
})
