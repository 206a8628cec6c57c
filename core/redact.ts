/** Pieces of a secret this long or longer are cut out wherever they show up. */
export const PIECE = 8
/** Shorter secrets are cut out only whole; below this they are not treated as secrets. */
const MIN_SECRET_LENGTH = 4
const HIDDEN = '****'

/** The ways a secret comes back inside upstream text: raw, JSON-escaped, URL-encoded, base64. */
const formsOf = (secret: string): string[] => {
  const credential = secret.replace(/^(Bearer|Basic|Token) /i, '')
  return [secret, credential].flatMap((s) => {
    const base64 = Buffer.from(s).toString('base64')
    return [
      s,
      JSON.stringify(s).slice(1, -1),
      encodeURIComponent(s),
      base64,
      base64.replace(/=+$/, ''),
      Buffer.from(s).toString('base64url'),
    ]
  })
}

/** Every `PIECE`-character window of every form of every secret. */
const piecesOf = (forms: string[]): Set<string> => {
  const pieces = new Set<string>()
  for (const form of forms)
    for (let i = 0; i + PIECE <= form.length; i++) pieces.add(form.slice(i, i + PIECE))
  return pieces
}

/**
 * Cuts the secrets out of upstream-controlled text: each secret in its raw, JSON-escaped,
 * URL-encoded and base64 forms, and any run of `PIECE` or more characters copied from one of those
 * forms (a prefix, a suffix, a middle). Secrets shorter than `PIECE` are cut out whole.
 */
export const redactSecrets = (text: string, secrets: readonly string[]): string => {
  const forms = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).flatMap(formsOf))]
  if (forms.length === 0) return text
  const pieces = piecesOf(forms.filter((f) => f.length >= PIECE))
  const hidden = new Uint8Array(text.length)
  for (let i = 0; i + PIECE <= text.length; i++)
    if (pieces.has(text.slice(i, i + PIECE))) hidden.fill(1, i, i + PIECE)
  for (const form of forms.filter((f) => f.length < PIECE)) {
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1))
      hidden.fill(1, at, at + form.length)
  }
  let out = ''
  for (let i = 0; i < text.length; i++) {
    if (!hidden[i]) out += text[i]
    else if (i === 0 || !hidden[i - 1]) out += HIDDEN
  }
  return out
}
