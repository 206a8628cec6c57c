import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'

/**
 * MCP over the stdin/stdout of a child this runner spawned itself (the SDK's StdioClientTransport
 * spawns its own, outside a process group). Closing it runs `stop`, which ends the whole group.
 */
export class ChildTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void

  private readonly buffer = new ReadBuffer()

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly stop: () => Promise<void>,
  ) {
    child.stdout.on('data', (chunk: Buffer) => this.read(chunk))
    child.stdout.on('error', (error) => this.onerror?.(error))
    child.stdin.on('error', (error) => this.onerror?.(error))
    child.once('close', () => this.onclose?.())
  }

  async start(): Promise<void> {}

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.child.stdin.writable) return reject(new Error('Not connected'))
      if (this.child.stdin.write(serializeMessage(message))) resolve()
      else this.child.stdin.once('drain', resolve)
    })
  }

  close(): Promise<void> {
    return this.stop()
  }

  private read(chunk: Buffer) {
    try {
      this.buffer.append(chunk)
    } catch (error) {
      this.onerror?.(error as Error) // a line past the buffer limit: this child is not usable
      void this.stop()
      return
    }
    for (;;) {
      try {
        const message = this.buffer.readMessage()
        if (message === null) return
        this.onmessage?.(message)
      } catch (error) {
        this.onerror?.(error as Error) // a stray non-JSON line on stdout; keep reading
      }
    }
  }
}
