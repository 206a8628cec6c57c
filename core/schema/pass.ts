import type { JsonObject } from './json.js'

/** One named normalisation step; it returns its input unchanged when it has nothing to do. */
export type Pass = {
  name: string
  apply(schema: JsonObject, warn: (warning: string) => void): JsonObject
}
