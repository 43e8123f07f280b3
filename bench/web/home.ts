/**
 * Server time of the pages on a large library (target: home p95 <= 15 ms with 100,000 papers).
 *
 *   node --import tsx bench/web/home.ts [--papers 100000] [--requests 300] [--db path.db] [--keep]
 *                                       [--pages home,week,trending,paper,category,search]
 *
 * Seeds a SQLite store with synthetic papers (bench/web/seed.ts; reused when --db names an existing file),
 * builds the app exactly as `paperboy serve` does (minus the listening socket) and times requests in process,
 * one at a time after a warm-up: what the server spends per page, without network or client.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../../src/config/config.ts";
import type { IsoDate } from "../../src/core/index.ts";
import { createApp } from "../../src/http/app.ts";
import type { AppDeps } from "../../src/http/env.ts";
import { silentLogger } from "../../src/log.ts";
import { createMailer } from "../../src/mail/index.ts";
import { createSearchService } from "../../src/search/service/index.ts";
import { weekOf } from "../../src/store/listings/periods.ts";
import { openStore } from "../../src/store/open.ts";
import { seedLibrary } from "./seed.ts";

const { values } = parseArgs({
  options: {
    papers: { type: "string", default: "100000" },
    requests: { type: "string", default: "300" },
    db: { type: "string" },
    keep: { type: "boolean", default: false },
    pages: { type: "string" },
  },
});
const papers = Number(values.papers);
const requests = Number(values.requests);
const dir = mkdtempSync(join(tmpdir(), "paperboy-bench-web-"));
const dbPath = values.db ?? join(dir, "paperboy.db");
const reuse = existsSync(dbPath);

const config = loadConfig({
  PAPERBOY_DB: dbPath,
  PAPERBOY_DATA_DIR: dir,
  PAPERBOY_SECRET: "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
  PAPERBOY_LOG_LEVEL: "silent",
});
const store = await openStore(config.db);
try {
  if (!reuse) {
    const started = performance.now();
    const seeded = await seedLibrary(store, {
      papers,
      onProgress: (done) => {
        if (done % 10_000 === 0) process.stderr.write(`seeded ${done} papers\n`);
      },
    });
    console.log(
      `seeded ${papers} papers (${seeded.featured} on ${seeded.days} daily lists) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  const stats = await store.stats();
  const latest = stats.newestDailyDate ?? "2024-01-01";
  const deps: AppDeps = {
    config,
    store,
    search: createSearchService({ store, dataDir: dir, logger: silentLogger }),
    mailer: createMailer(config, silentLogger),
    logger: silentLogger,
    arxiv: null,
    secret: config.web.secret ?? "",
    now: () => new Date(`${latest}T18:00:00Z`),
  };
  const app = createApp(deps);
  const sample = (await store.dailyEntries(latest as IsoDate))[0]?.paperId ?? "2401.10000";
  const pages: [string, string][] = [
    ["home", "/"],
    ["home trending sort", "/?sort=trending"],
    ["week", `/week/${weekOf(latest as IsoDate)}`],
    ["trending", "/trending"],
    ["paper", `/papers/${sample}`],
    ["category", "/categories/cs.LG"],
    ["search", "/search?q=diffusion+transformer"],
  ];
  console.log(`store: ${stats.papers} papers, ${stats.dailyEntries} daily entries, latest day ${latest}`);
  console.log("page                 bytes     p50 ms   p95 ms   p99 ms   max ms");
  const only = values.pages?.split(",").map((p) => p.trim());
  for (const [name, path] of pages.filter(([name]) => !only || only.includes(name.split(" ")[0] ?? ""))) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < requests + 20; i++) {
      const started = performance.now();
      const res = await app.request(`http://bench${path}`);
      const body = await res.text();
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
      bytes = Buffer.byteLength(body);
      if (i >= 20) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) =>
      (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(2);
    console.log(
      `${name.padEnd(20)} ${String(bytes).padStart(6)}   ${at(0.5).padStart(6)}   ${at(0.95).padStart(6)}   ${at(0.99).padStart(6)}   ${(times.at(-1) ?? 0).toFixed(2).padStart(6)}`,
    );
  }
} finally {
  await store.close();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
