const secrets = new WeakMap<object, string[]>()

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null

/** Remembers which header values an error must never show, so classifyError can cut them out. */
export const withSecrets = (error: unknown, values: string[]): unknown => {
  if (isObject(error)) secrets.set(error, values)
  return error
}

export const secretsOf = (error: unknown): string[] => (isObject(error) && secrets.get(error)) || []
