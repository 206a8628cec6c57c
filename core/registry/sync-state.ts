import type { SyncState } from './types.js'

export const pendingSync = (previous?: SyncState): SyncState => ({
  status: 'pending',
  tool_count: previous?.tool_count ?? 0,
  last_synced_at: previous?.last_synced_at ?? null,
  error: null,
  ...(previous?.report ? { report: previous.report } : {}),
})
