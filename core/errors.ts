/** Every failure core code reports to a caller. The API maps each code to a status in one place. */
export type ErrorCode =
  | 'auth.missingKey'
  | 'auth.unknownKey'
  | 'auth.tooManyFailures'
  | 'request.invalid'
  | 'request.badJson'
  | 'server.notFound'
  | 'server.nameTaken'
  | 'server.conflict'
  | 'server.unavailable'
  | 'tool.notFound'
  | 'upstream.failed'

export class AppError extends Error {
  readonly code: ErrorCode
  readonly detail: unknown

  constructor(code: ErrorCode, message: string, options?: { detail?: unknown; cause?: unknown }) {
    super(message, { cause: options?.cause })
    this.name = 'AppError'
    this.code = code
    this.detail = options?.detail ?? message
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError
