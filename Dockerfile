# syntax=docker/dockerfile:1.7
# The Reactive Notebook server image: builds every package (protocol, SDK, MCP, element, demo site, server),
# then keeps only what the server runs and serves — its compiled code, production node_modules (with
# Pyodide's interpreter and standard library under node_modules/pyodide), the built demo site and the
# element's CDN bundle — in a slim runtime stage that runs as the unprivileged "node" user.
# Not built or run on the machine this was written on (no Docker there): see docs/deployment.md.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 falls back to compiling its addon when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
# Manifests first, so `npm ci` is cached until a dependency changes.
COPY package.json package-lock.json ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/server/package.json packages/server/
COPY packages/sdk/package.json packages/sdk/
COPY packages/mcp/package.json packages/mcp/
COPY packages/element/package.json packages/element/
COPY examples/demo-site/package.json examples/demo-site/
COPY infra/package.json infra/
COPY e2e/package.json e2e/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf examples/demo-site/dist/.tsc

FROM ${NODE_IMAGE} AS runtime
# util-linux: unshare and setpriv, the kernel sandbox's OS layers (used when the server runs as root
# with the capabilities they need); tini: PID 1 that reaps kernel processes and forwards signals.
RUN apt-get update \
  && apt-get install -y --no-install-recommends util-linux tini ca-certificates \
  && rm -rf /var/lib/apt/lists/*
# Amazon RDS's CA bundle, so DATABASE_URL can use sslmode=verify-full against RDS.
ADD --chmod=644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem

WORKDIR /app
# Code and assets belong to root and are read-only for the server; only DATA_DIR is writable.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages/protocol/package.json packages/protocol/
COPY --from=build /app/packages/protocol/dist/src packages/protocol/dist/src
# The SDK and the MCP tools: POST /mcp serves them in-process.
COPY --from=build /app/packages/sdk/package.json packages/sdk/
COPY --from=build /app/packages/sdk/dist/src packages/sdk/dist/src
COPY --from=build /app/packages/mcp/package.json packages/mcp/
COPY --from=build /app/packages/mcp/dist/src packages/mcp/dist/src
COPY --from=build /app/packages/server/package.json packages/server/
COPY --from=build /app/packages/server/dist/src packages/server/dist/src
COPY --from=build /app/packages/element/dist/bundle packages/element/dist/bundle
COPY --from=build /app/examples/demo-site/dist examples/demo-site/dist
COPY --from=build /app/examples/host-page examples/host-page
RUN mkdir -p /app/data && chown node:node /app/data

ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=8080 \
  DATA_DIR=/app/data \
  NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rds-global-bundle.pem
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "packages/server/dist/src/main.js"]
