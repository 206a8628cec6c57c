import { isWorse, type Health } from './health.js'
import type { JsonObject } from './json.js'
import type { Pass } from './pass.js'
import { validateSchema } from './validate.js'

export type Normalized = Health & { schema: JsonObject; warnings: string[] }

export type PassRun = Health & { schema: JsonObject; notes: string[]; skipped: string[] }

/**
 * Applies the passes in order, keeping a pass's output only if it does not lower the schema's
 * health: Letta's normaliser can turn a usable tool INVALID, Hangar's never does.
 */
export type Judge = (schema: JsonObject) => Health

export const runPasses = (
  input: JsonObject,
  passes: Pass[],
  judge: Judge = validateSchema,
): PassRun => {
  let schema = input
  let health = judge(input)
  const notes: string[] = []
  const skipped: string[] = []
  for (const pass of passes) {
    const passNotes: string[] = []
    const next = pass.apply(schema, (note) => passNotes.push(note))
    const after = next === schema ? health : judge(next)
    if (isWorse(after.status, health.status)) {
      skipped.push(
        `${pass.name} skipped: it would lower health from ${health.status} to ${after.status}`,
      )
      continue
    }
    notes.push(...passNotes)
    schema = next
    health = after
  }
  return { schema, ...health, notes, skipped }
}

const MAX_ROUNDS = 5

/**
 * Repeats the passes until they change nothing. A pass skipped by the health check can become
 * harmless once a later pass has run (the heartbeat replacing a `request_heartbeat` `$ref`), so
 * one round is not always a fixed point; settling makes normalisation idempotent.
 */
export const settle = (
  input: JsonObject,
  passes: Pass[],
  judge: Judge,
  warnings: string[] = [],
): Normalized => {
  const notes = new Set(warnings)
  let run = runPasses(input, passes, judge)
  for (let round = 1; ; round++) {
    run.notes.forEach((note) => notes.add(note))
    const again = round < MAX_ROUNDS ? runPasses(run.schema, passes, judge) : run
    if (again.schema === run.schema) {
      const { schema, status, reasons } = run
      return { schema, status, reasons, warnings: [...notes, ...new Set(again.skipped)] }
    }
    run = again
  }
}
