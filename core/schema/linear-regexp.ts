import type { RegExpEngine, RegExpLike } from 'ajv/dist/types/index.js'
import { RE2JS } from 're2js'

/**
 * Patterns come from upstream tool schemas, so they never run on V8's backtracking engine: RE2
 * matches in time linear in the input. What RE2 cannot express (lookaround, backreferences) is
 * left unchecked here rather than failing the whole schema; the upstream server still sees the
 * arguments and judges them itself.
 */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string): RegExpLike => {
    // ajv shares compiled patterns by this string, so it must name the pattern.
    const toString = () => `/${pattern}/${flags}`
    try {
      const re = RE2JS.compile(RE2JS.translateRegExp(pattern))
      return Object.assign({ test: (input: string) => re.test(input) }, { toString })
    } catch {
      return Object.assign({ test: () => true }, { toString })
    }
  },
  { code: 'linearRegExp' },
)
