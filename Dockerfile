# syntax=docker/dockerfile:1
# Paperboy's image: `paperboy serve` by default (the whole service on the embedded store in /data); compose.yaml
# runs the same image as web replicas (`serve --no-worker`) and a worker on PostgreSQL. See docs/DEPLOY.md.

# ---- dependencies: installed with the tools native modules may need to compile (better-sqlite3, usearch) ----
FROM node:20-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# onnxruntime-node's install script would only download optional GPU builds: skip it.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime: no compilers, no npm cache, not root ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PAPERBOY_HOST=0.0.0.0 \
    PAPERBOY_PORT=3000 \
    PAPERBOY_DATA_DIR=/data \
    PAPERBOY_DB=/data/paperboy.db
WORKDIR /app
# TypeScript runs through tsx's loader (bin/paperboy.js), so the sources are the program: no build step.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
# The data folder: the SQLite store (single-machine setups), search engine builds, the generated secret.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --start-interval=3s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PAPERBOY_PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/paperboy.js"]
CMD ["serve"]
