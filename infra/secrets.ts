/**
 * Authenticates the functions to the stdio runner. Set it once per stage before deploying:
 * `npx sst secret set RunnerSecret "$(openssl rand -hex 32)" --stage <stage>`.
 */
export const runnerSecret = new sst.Secret('RunnerSecret')
