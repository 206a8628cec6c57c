import { describe, expect, it } from 'vitest'
import { MAX_FORMAT_INPUT } from '../../../core/schema/bounded-formats.js'
import { validatorFor, type Validator } from '../../../core/schema/index.js'

const validate = (validator: Validator, data: unknown) => {
  if (!validator.ok) throw new Error(validator.error)
  return validator.validate(data)
}
const hostile = (pattern: string) =>
  validatorFor({ type: 'object', properties: { s: { type: 'string', pattern } } })

describe('Upstream patterns on a linear-time engine', () => {
  it('judges a catastrophic pattern on a 100,000-character input at once, with the right verdict', () => {
    const validator = hostile('^(a+)+$')
    expect(validate(validator, { s: 'a'.repeat(100_000) })).toEqual({ valid: true })
    expect(validate(validator, { s: `${'a'.repeat(100_000)}!` })).toEqual({
      valid: false,
      errors: ['/s must match pattern "^(a+)+$"'],
    })
  })

  it('keeps ECMAScript escapes, classes and unanchored search', () => {
    const validator = hostile('\\u00e9\\d{2}')
    expect(validate(validator, { s: 'xé12y' })).toEqual({ valid: true })
    expect(validate(validator, { s: 'e12' })).toMatchObject({ valid: false })
  })

  it('applies to patternProperties too', () => {
    const validator = validatorFor({
      type: 'object',
      patternProperties: { '^(x+)+y$': { type: 'number' } },
    })
    expect(validate(validator, { [`${'x'.repeat(50_000)}y`]: 'no' })).toMatchObject({
      valid: false,
    })
    expect(validate(validator, { [`${'x'.repeat(50_000)}!`]: 'no' })).toEqual({ valid: true })
  })

  it('leaves a pattern RE2 cannot express unchecked instead of dropping the whole schema', () => {
    const validator = validatorFor({
      type: 'object',
      properties: { s: { type: 'string', pattern: '^(?=a)a$' }, n: { type: 'number' } },
    })
    expect(validate(validator, { s: 'zzz', n: 1 })).toEqual({ valid: true })
    expect(validate(validator, { s: 'zzz', n: 'x' })).toEqual({
      valid: false,
      errors: ['/n must be number'],
    })
  })

  it('checks formats up to MAX_FORMAT_INPUT characters and skips longer strings', () => {
    const validator = validatorFor({ type: 'string', format: 'email' })
    expect(validate(validator, 'a@b.co')).toEqual({ valid: true })
    expect(validate(validator, `${'a'.repeat(MAX_FORMAT_INPUT - 1)}@`)).toMatchObject({
      valid: false,
    })
    expect(validate(validator, 'a'.repeat(MAX_FORMAT_INPUT + 1))).toEqual({ valid: true })
    expect(validate(validator, 'nope')).toMatchObject({ valid: false })
  })
})
