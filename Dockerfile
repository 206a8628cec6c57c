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
WORKDIR /app
COPY --from=build --chown=node:node /app/dist/runner/index.mjs ./index.mjs
USER node
EXPOSE 8100
CMD ["node", "index.mjs"]
