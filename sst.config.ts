/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    const production = input.stage === 'production'
    return {
      name: 'hangar',
      home: 'aws',
      removal: production ? 'retain' : 'remove',
      protect: production,
    }
  },
  async run() {
    await import('./infra/table')
    await import('./infra/kms')
    await import('./infra/queue')
    await import('./infra/secrets')
    await import('./infra/sidecar')
    await import('./infra/worker')
    await import('./infra/sweep')
    await import('./infra/stream')
    const { api } = await import('./infra/api')
    return { ApiUrl: api.url }
  },
})
