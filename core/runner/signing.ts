import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADERS = {
  timestamp: 'x-hangar-timestamp',
  nonce: 'x-hangar-nonce',
  signature: 'x-hangar-signature',
} as const

/** Seconds a signed request stays acceptable on either side of the runner's clock. */
export const SIGNATURE_WINDOW_SECONDS = 60

export interface SignedParts {
  method: string
  /** Path and query, as sent: `/mcp/org-1/mcp_server-…`. */
  path: string
  body: Uint8Array | string
}

export type SignatureCheck =
  | { ok: true; signature: string; expiresAt: number }
  | { ok: false; reason: 'missing' | 'stale' | 'invalid' }

const sha256 = (body: Uint8Array | string) => createHash('sha256').update(body).digest('hex')

const canonical = (parts: SignedParts, timestamp: string, nonce: string) =>
  [timestamp, nonce, parts.method.toUpperCase(), parts.path, sha256(parts.body)].join('\n')

const hmac = (secret: string, text: string) =>
  `v1=${createHmac('sha256', secret).update(text).digest('hex')}`

/** The headers that authenticate one request to the runner; the nonce keeps equal requests apart. */
export const signRequest = (
  secret: string,
  parts: SignedParts,
  nowMs: number,
  nonce: string = randomUUID(),
): Record<string, string> => {
  const timestamp = String(Math.floor(nowMs / 1000))
  return {
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: hmac(secret, canonical(parts, timestamp, nonce)),
  }
}

const sameText = (a: string, b: string) => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** HMAC-SHA256 over timestamp, nonce, method, path and body hash, within the time window. */
export const verifySignature = (
  secret: string,
  parts: SignedParts,
  headers: { get(name: string): string | null | undefined },
  nowMs: number,
): SignatureCheck => {
  const timestamp = headers.get(SIGNATURE_HEADERS.timestamp)
  const nonce = headers.get(SIGNATURE_HEADERS.nonce)
  const signature = headers.get(SIGNATURE_HEADERS.signature)
  if (!timestamp || !nonce || !signature) return { ok: false, reason: 'missing' }
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN
  if (!(Math.abs(nowMs / 1000 - seconds) <= SIGNATURE_WINDOW_SECONDS)) {
    return { ok: false, reason: 'stale' }
  }
  if (!sameText(signature, hmac(secret, canonical(parts, timestamp, nonce)))) {
    return { ok: false, reason: 'invalid' }
  }
  return { ok: true, signature, expiresAt: (seconds + SIGNATURE_WINDOW_SECONDS + 1) * 1000 }
}
