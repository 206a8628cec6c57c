import type { Health, SchemaStatus } from './health.js'

/** Letta's two marking operations: non-strict never downgrades INVALID; invalid always wins. */
export type Reasons = {
  nonStrict(reason: string): void
  invalid(reason: string): void
  result(): Health
}

export const collectReasons = (): Reasons => {
  let status: SchemaStatus = 'STRICT_COMPLIANT'
  const reasons: string[] = []
  return {
    nonStrict(reason) {
      if (status === 'STRICT_COMPLIANT') status = 'NON_STRICT_ONLY'
      reasons.push(reason)
    },
    invalid(reason) {
      status = 'INVALID'
      reasons.push(reason)
    },
    result: () => ({ status, reasons: [...reasons] }),
  }
}
