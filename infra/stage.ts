/**
 * Physical name of a resource the local stack also creates: its infra/resources.ts name plus the
 * stage, so several stages can share one account.
 */
export const stageName = (base: string) => `${base}-${$app.stage}`

/** Production stages keep their data: set from the stage in sst.config.ts `app()`. */
export const production = $app.protect
