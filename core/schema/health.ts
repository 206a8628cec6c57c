export type SchemaStatus = 'STRICT_COMPLIANT' | 'NON_STRICT_ONLY' | 'INVALID'

export type Health = { status: SchemaStatus; reasons: string[] }

const RANK: Record<SchemaStatus, number> = { INVALID: 0, NON_STRICT_ONLY: 1, STRICT_COMPLIANT: 2 }

export const healthRank = (status: SchemaStatus): number => RANK[status]

export const isWorse = (after: SchemaStatus, before: SchemaStatus): boolean =>
  RANK[after] < RANK[before]
