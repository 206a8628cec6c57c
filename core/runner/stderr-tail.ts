import { redactSecrets as redact } from '../redact.js'

export const STDERR_TAIL_BYTES = 8 * 1024

/** Cuts every secret out of a text: raw, escaped, encoded, and any 8+ character piece of one. */
export { redactSecrets as redact } from '../redact.js'

/** The last `max` bytes a child wrote to stderr; older output is dropped as new output arrives. */
export class StderrTail {
  private chunks: Buffer[] = []
  private bytes = 0
  private dropped = false

  constructor(private readonly max = STDERR_TAIL_BYTES) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.bytes += chunk.length
    while (this.bytes - (this.chunks[0]?.length ?? 0) >= this.max) {
      this.bytes -= this.chunks.shift()!.length
      this.dropped = true
    }
  }

  /**
   * The kept output (about `max` bytes) with the given secrets cut out. Once output was dropped, the
   * first, partial line goes too, since it may hold the end of a secret whose start is gone.
   */
  text(secrets: readonly string[] = []): string {
    const whole = redact(Buffer.concat(this.chunks).toString('utf8'), secrets)
    if (!this.dropped && whole.length <= this.max) return whole.trim()
    const tail = whole.slice(-this.max)
    return tail.slice(tail.indexOf('\n') + 1).trim()
  }
}
