export const STDERR_TAIL_BYTES = 8 * 1024

const MIN_SECRET_LENGTH = 4

/** Cuts every secret value out of a text; values too short to be secrets are left alone. */
export const redact = (text: string, secrets: readonly string[]): string =>
  secrets
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length)
    .reduce((t, s) => t.split(s).join('****'), text)

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
