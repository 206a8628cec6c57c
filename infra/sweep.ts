import { environment, runtime } from './function-defaults'
import { syncSweep } from './resources'
import { syncQueue } from './queue'
import { table } from './table'

/** Finds servers whose sync was lost (a dead-lettered or dropped message) and queues it again. */
export const syncSweeper = new sst.aws.Cron('SyncSweep', {
  schedule: syncSweep.schedule,
  function: {
    ...runtime,
    handler: 'functions/sweep/index.handler',
    timeout: '60 seconds',
    memory: '256 MB',
    link: [table, syncQueue],
    environment,
  },
})
