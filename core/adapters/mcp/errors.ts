/** An outbound request refused by the SSRF guard; nothing was sent to the refused address. */
export class BlockedUrlError extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'BlockedUrlError'
  }
}

/** The server answered, but not like an MCP server (cursor loop, too many tools or redirects). */
export class InvalidResponseError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidResponseError'
  }
}

export class McpTimeoutError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'McpTimeoutError'
  }
}
