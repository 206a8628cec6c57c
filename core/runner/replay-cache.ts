/**
 * Signatures already accepted, each kept until its timestamp leaves the window (after which the
 * signature check refuses it anyway). Bounded: past `max`, the oldest entries go first.
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>()

  constructor(private readonly max = 50_000) {}

  /** Records the signature; false when it was already seen (a replay). */
  admit(signature: string, expiresAt: number, nowMs: number): boolean {
    this.prune(nowMs)
    const known = this.seen.get(signature)
    if (known !== undefined && known > nowMs) return false
    this.seen.set(signature, expiresAt)
    while (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value as string)
    return true
  }

  get size(): number {
    return this.seen.size
  }

  // Entries arrive in about the order they expire, so pruning stops at the first live one.
  private prune(nowMs: number) {
    for (const [signature, expiresAt] of this.seen) {
      if (expiresAt > nowMs) return
      this.seen.delete(signature)
    }
  }
}
