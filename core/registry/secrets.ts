import type { SecretMasks, Secrets } from './types.js'

const HIDDEN = '****'

/** Shows at most the last four characters, and only of values long enough to keep the rest safe. */
export const maskValue = (value: string): string =>
  value.length >= 12 ? `${HIDDEN}${value.slice(-4)}` : HIDDEN

const schemeOf = (token: string) => /^(Bearer|Basic|Token) /i.exec(token)?.[0] ?? ''

/** `Bearer s3cret…abcd` → `Bearer ****abcd`: the scheme stays readable, the credential does not. */
export const maskToken = (token: string): string => {
  const scheme = schemeOf(token)
  return `${scheme}${maskValue(token.slice(scheme.length))}`
}

const maskMap = (values: Record<string, string> | undefined) =>
  values && Object.fromEntries(Object.entries(values).map(([k, v]) => [k, maskValue(v)]))

export const masksFor = (secrets: Secrets): SecretMasks => ({
  authToken: secrets.authToken === undefined ? undefined : maskToken(secrets.authToken),
  customHeaders: maskMap(secrets.customHeaders),
  env: maskMap(secrets.env),
})

/**
 * The token as Hangar stores and sends it. For the Authorization header a bare credential gets
 * the `Bearer ` scheme (what Letta sends); any other header carries the value verbatim.
 */
export const tokenFor = (authHeader: string, token: string): string =>
  authHeader.toLowerCase() === 'authorization' && schemeOf(token) === '' ? `Bearer ${token}` : token

/**
 * A new map of secret values for PATCH: a value equal to the mask of the stored value under the same
 * key keeps the stored value, so clients can send back what they read.
 */
export const mergeMap = (
  incoming: Record<string, string>,
  stored: Record<string, string> | undefined,
  masks: Record<string, string> | undefined,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(incoming).map(([key, value]) => {
      const kept = stored?.[key]
      return [key, kept !== undefined && masks?.[key] === value ? kept : value]
    }),
  )

export const isEmpty = (secrets: Secrets): boolean =>
  secrets.authToken === undefined &&
  (secrets.customHeaders === undefined || Object.keys(secrets.customHeaders).length === 0) &&
  (secrets.env === undefined || Object.keys(secrets.env).length === 0)

/** Every plaintext secret value of a server, for cutting them out of upstream text. */
export const secretValues = (secrets: Secrets): string[] => [
  ...(secrets.authToken === undefined ? [] : [secrets.authToken]),
  ...Object.values(secrets.customHeaders ?? {}),
  ...Object.values(secrets.env ?? {}),
]
