import { pathToFileURL } from 'node:url'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

// infra/sidecar.ts runs only inside `sst`. Here it runs against stand-ins for SST's globals that
// record every resource it declares, so the test reads the very arguments `sst deploy` would get.

interface Declared {
  type: string
  name: string
  args: Record<string, any>
}

const declared: Declared[] = []

/** Any SST/Pulumi value: every property is another such value; `new` records a resource. */
const stand = (label: string): any =>
  new Proxy(function () {}, {
    get: (_, prop) => {
      if (prop === 'then') return undefined
      if (prop === Symbol.toPrimitive) return () => `<${label}>`
      return stand(`${label}.${String(prop)}`)
    },
    construct: (_, [name, args]) => {
      declared.push({ type: label, name: String(name), args: args ?? {} })
      return stand(`${label}(${String(name)})`)
    },
    apply: () => stand(`${label}()`),
  })

/** SST's rule for `transform` entries (component.ts): a function edits the args, an object merges. */
const transformed = (entry: unknown, args: Record<string, unknown>) => {
  if (typeof entry === 'function') {
    const copy = { ...args }
    entry(copy, {}, 'name')
    return copy
  }
  return { ...args, ...(entry as object) }
}

const runner = () => declared.find((d) => d.type === 'sst.aws.Service' && d.name === 'Runner')!

beforeAll(async () => {
  Object.assign(globalThis, {
    sst: stand('sst'),
    aws: stand('aws'),
    $app: { name: 'hangar', stage: 'test', protect: false },
    $interpolate: (parts: TemplateStringsArray, ...values: unknown[]) =>
      String.raw(parts, ...values.map(String)),
  })
  const sidecar = fileURLToPath(new URL('../../../infra/sidecar.ts', import.meta.url))
  await import(pathToFileURL(sidecar).href)
})

describe('the stdio runner task has no AWS permissions', () => {
  it('declares the runner service', () => {
    expect(runner().args.cluster).toBeDefined()
  })

  it('Should link nothing and grant nothing', () => {
    const { args } = runner()

    expect([args.link, args.permissions, args.taskRole]).toEqual([undefined, undefined, undefined])
  })

  it('Should give the task no role, so no credentials endpoint', () => {
    const definition = transformed(runner().args.transform?.taskDefinition, {
      executionRoleArn: 'arn:aws:iam::1:role/execution',
      taskRoleArn: 'arn:aws:iam::1:role/task',
    })

    expect(definition).toEqual({
      executionRoleArn: 'arn:aws:iam::1:role/execution',
      taskRoleArn: undefined,
    })
  })

  it('Should leave the role SST creates anyway without a single policy', () => {
    const ecsExec = { name: 'inline', policy: '{"Statement":[{"Action":["ssmmessages:*"]}]}' }
    const role = transformed(runner().args.transform?.taskRole, {
      assumeRolePolicy: '{}',
      inlinePolicies: [ecsExec],
    })

    expect([role.inlinePolicies, role.managedPolicyArns]).toEqual([[], []])
  })

  it('Should turn ECS Exec off (it needs a task role)', () => {
    const service = transformed(runner().args.transform?.service, { enableExecuteCommand: true })

    expect(service.enableExecuteCommand).toBe(false)
  })

  it('Should pass the runner neither a table nor a key', () => {
    const environment = runner().args.environment as Record<string, unknown>

    expect(Object.keys(environment).filter((key) => /TABLE|KMS|AWS_/.test(key))).toEqual([])
    expect(Object.values(environment).filter((v) => /Dynamo|kms/i.test(String(v)))).toEqual([])
  })

  it('Should declare no IAM policy or attachment beside the service', () => {
    expect(declared.filter((d) => d.type.startsWith('aws.iam.'))).toEqual([])
  })

  it('Should hand the secret to ECS as a parameter, read at task start by the execution role', () => {
    expect(Object.keys(runner().args.ssm)).toEqual(['HANGAR_RUNNER_SECRET'])
  })
})
