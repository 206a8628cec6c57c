import { sweepStaleSyncs } from '../../core/tools/sweep.js'
import { syncSweep } from '../../infra/resources.js'
import { deps } from '../deps.js'

/** Scheduled (infra/worker.ts): re-queues the syncs of servers whose sync was lost. */
export const handler = async () => {
  const requeued = await sweepStaleSyncs(deps('hangar-sweep').sweep, {
    graceMs: syncSweep.graceSeconds * 1000,
  })
  return { requeued }
}
