import type { GrantSummary } from './types.js'

/** What the server resource shows of a grant: state, never a token. */
export const oauthView = (summary: GrantSummary | undefined) => ({
  status: summary?.status ?? ('none' as const),
  expires_at: summary?.expiresAt ? new Date(summary.expiresAt).toISOString() : null,
  scopes: summary?.scope ? summary.scope.split(' ').filter(Boolean) : [],
  last_error: summary?.lastError
    ? {
        code: summary.lastError.code,
        message: summary.lastError.description,
        at: summary.lastError.at,
      }
    : null,
})

export type OAuthView = ReturnType<typeof oauthView>
