import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { AppError } from '../errors.js'

let ajv: Ajv | undefined

const field = (error: ErrorObject): string => {
  const path = error.instancePath.split('/').filter(Boolean).join('.')
  const child =
    error.keyword === 'required'
      ? (error.params as { missingProperty: string }).missingProperty
      : error.keyword === 'additionalProperties'
        ? (error.params as { additionalProperty: string }).additionalProperty
        : undefined
  return [path, child].filter(Boolean).join('.') || 'body'
}

const types = 'one of "stdio", "sse", "streamable_http"'

const explain = (error: ErrorObject): string => {
  switch (error.keyword) {
    case 'required':
      return (error.params as { missingProperty: string }).missingProperty === 'mcp_server_type'
        ? `field required (${types})`
        : 'field required'
    case 'additionalProperties':
      return 'unknown field'
    case 'discriminator':
      return (error.params as { error: string }).error === 'mapping'
        ? `must be ${types}`
        : `field required (${types})`
    case 'pattern':
      return 'contains characters that are not allowed'
    case 'propertyNames':
      return 'has a key that is not allowed'
    default:
      return error.message ?? 'is invalid'
  }
}

const describe = (error: ErrorObject): string => {
  if (error.keyword === 'discriminator') return `${field(error)}.mcp_server_type: ${explain(error)}`
  if (error.keyword === 'propertyNames') {
    const name = (error.params as { propertyName?: string }).propertyName
    return `${field(error)}: key "${name}" is not allowed`
  }
  return `${field(error)}: ${explain(error)}`
}

/** Compiles a body schema once; the returned checker throws a 422-mapped AppError naming the field. */
export const bodyValidator = <T>(schema: object) => {
  let validate: ValidateFunction | undefined
  return (body: unknown): T => {
    // Compiled on first use, so a cold start pays only for the bodies it actually sees.
    validate ??= (ajv ??= new Ajv({
      discriminator: true,
      allErrors: false,
      strict: false,
    })).compile(schema)
    if (validate(body)) return body as T
    const errors = validate.errors ?? []
    // Errors below a failed `anyOf` branch repeat each other; the deepest one names the field best.
    const first = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0]
    const detail = first ? describe(first) : 'body: is invalid'
    throw new AppError('request.invalid', detail)
  }
}
