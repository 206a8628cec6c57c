import { Ajv, type AnySchema, type ErrorObject } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { addBoundedFormats } from './bounded-formats.js'
import { contentHash } from './canonical.js'
import { MAX_NESTING, tooDeep } from './depth.js'
import { isObject } from './json.js'
import { linearRegExp } from './linear-regexp.js'
import { createLru } from './lru.js'

export { contentHash }

export type Validation = { valid: true } | { valid: false; errors: string[] }
export type Validator =
  { ok: true; validate: (data: unknown) => Validation } | { ok: false; error: string }

const CACHE_SIZE = 500
const cache = createLru<string, Validator>(CACHE_SIZE)

// Upstream patterns run on a linear-time engine; see linear-regexp.ts and bounded-formats.ts.
const options = { strict: false, logger: false, code: { regExp: linearRegExp } } as const
// Built on first use: constructing Ajv and its formats is cold-start time most requests never need.
let engines: { draft07: Ajv; draft2020: Ajv } | undefined
const engine = (dialect: 'draft07' | 'draft2020'): Ajv =>
  (engines ??= {
    draft07: addBoundedFormats(new Ajv(options)),
    draft2020: addBoundedFormats(new Ajv2020(options)),
  })[dialect]

/** draft-07, draft-06 and no `$schema` share the draft-07 engine; 2020-12 has its own. */
const engineFor = (schema: unknown): Ajv =>
  isObject(schema) && typeof schema.$schema === 'string' && schema.$schema.includes('2020-12')
    ? engine('draft2020')
    : engine('draft07')

/** Each engine knows one meta-schema URI; the dialect is already chosen, so `$schema` goes. */
const withoutDialect = (schema: unknown): AnySchema => {
  if (!isObject(schema) || !('$schema' in schema)) return schema as AnySchema
  const { $schema: _dialect, ...rest } = schema
  return rest
}

const describe = (error: ErrorObject): string => {
  const extra = (error.params as { additionalProperty?: string }).additionalProperty
  return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${extra ? ` ('${extra}')` : ''}`
}

/** The LRU owns compiled validators; ajv's own cache would keep every schema forever. */
const release = (ajv: Ajv, target: AnySchema): void => {
  try {
    if (typeof target === 'object') ajv.removeSchema(target)
  } catch {
    // a malformed `$id` was never registered
  }
}

const compile = (schema: unknown): Validator => {
  if (tooDeep(schema)) return { ok: false, error: `schema nesting exceeds ${MAX_NESTING} levels` }
  const ajv = engineFor(schema)
  const target = withoutDialect(schema)
  try {
    const check = ajv.compile(target)
    return {
      ok: true,
      validate: (data) =>
        check(data)
          ? { valid: true }
          : { valid: false, errors: (check.errors ?? []).map(describe) },
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  } finally {
    release(ajv, target)
  }
}

/** A validator for tool-run arguments, compiled once per schema content hash. */
export const validatorFor = (schema: unknown): Validator => {
  const key = contentHash(schema)
  const cached = cache.get(key)
  if (cached) return cached
  const validator = compile(schema)
  cache.set(key, validator)
  return validator
}
