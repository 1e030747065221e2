# syntax=docker/dockerfile:1
# Waymark's container image, built from the npm tarball exactly as a user installs it.
#
#   docker build -t waymark .
#   docker run -p 4600:4600 -v waymark-data:/data -e WAYMARK_ADMIN_KEY=… waymark
#
# Stages:
#   build    npm ci + npm pack: builds dist/ and the console (ui/dist) into waymark.tgz
#   install  installs the tarball with production dependencies only, through
#            scripts/install-package.mjs (the script test/package/tarball.test.ts runs);
#            the only stage with compilers, for better-sqlite3's native module
#   runtime  node and the installed folder, run as the unprivileged `node` user
# What is tested without a container engine: see docs/deploy.md.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN mkdir /pkg \
 && npm pack --pack-destination /pkg --silent \
 && mv /pkg/waymark-*.tgz /pkg/waymark.tgz

FROM ${NODE_IMAGE} AS install
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /pkg/waymark.tgz /pkg/waymark.tgz
COPY scripts/install-package.mjs /pkg/install-package.mjs
RUN node /pkg/install-package.mjs /pkg/waymark.tgz /opt/waymark \
 && /opt/waymark/node_modules/.bin/waymark --version

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
COPY --from=install /opt/waymark /opt/waymark
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
WORKDIR /data
EXPOSE 4600
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4600/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/opt/waymark/node_modules/.bin/waymark"]
CMD ["serve", "--data", "/data", "--host", "0.0.0.0", "--port", "4600"]
