# The stdio runner (functions/runner/main.ts), run by the Fargate service in infra/sidecar.ts.
#
# It ships as one bundle: the build stage runs `node infra/build.mjs runner`, the same esbuild
# settings as the Lambda functions, and the runtime image holds only dist/runner/index.mjs. So
# there is no node_modules, tsx or dev tooling at run time (the alternative, `npm ci --omit=dev`
# plus `node --import tsx functions/runner/main.ts`, would need tsx as a production dependency and
# ship every production package). npm and npx stay: stdio MCP servers often start with `npx -y`.
# Build for arm64 (infra/sidecar.ts runs the task on Graviton).

FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies for esbuild; install scripts skipped (esbuild's API finds its platform binary
# without them, and the bun and sst binaries are not used here).
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY core ./core
COPY functions ./functions
COPY infra/resources.ts infra/build.mjs ./infra/
RUN node infra/build.mjs runner

FROM node:22-slim
ENV NODE_ENV=production
# tini as PID 1 collects the orphans that stdio servers leave (node as PID 1 would not).
# prlimit, choom and setpriv come with util-linux, already in the image; `kill` (run as a child's
# uid to end every process of it) comes with procps, which the slim image lacks.
RUN apt-get update && apt-get install -y --no-install-recommends tini procps && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Root-owned and not writable by anyone else: the children run under uids of their own.
COPY --from=build /app/dist/runner/index.mjs ./index.mjs
# The runner starts as root, and only so that it can start each stdio server under a uid and gid
# of its own (core/sandbox/): that switch needs root. The children keep no capability (they run
# as non-root uids with no_new_privs), so root stays with the runner, which holds no AWS
# permissions and touches the children's folders only once all their processes are gone.
USER root
EXPOSE 8100
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "index.mjs"]
