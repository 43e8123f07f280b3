/**
 * The web benchmark: the real server (`paperboy serve`) on a large SQLite library, under load.
 *
 *   node --import tsx bench/web/run.ts [--papers 100000] [--connections 32] [--seconds 5] [--samples 200]
 *                                      [--routes home,paper,search,api] [--warmup 200] [--data-dir DIR]
 *
 * Builds (or reuses, under bench/out/) the library (library.ts), starts `paperboy serve` on a loopback port,
 * and per route: warms up, samples the app's own time from the Server-Timing header with sequential requests,
 * then runs autocannon (load.ts, a separate process) with enough connections to keep the server busy. Prints
 * req/s, client latency p50/p95/p99, server time p50/p95/p99, and the home page's weight (HTML + CSS + JS).
 * Targets (the issue): home server time p95 <= 15 ms, >= 3,000 req/s on 2 cores, home weight <= 60 KB.
 * Results are also written to bench/out/web-<time>.json. Without --data-dir the server has no search engine
 * built (search and similar papers fall back to the store's keyword search); to measure with one, build it first:
 * `PAPERBOY_DB=bench/out/web-100000.db PAPERBOY_DATA_DIR=DIR node bin/paperboy.js embed --rebuild`.
 * On a shared machine, `req/cpu-s` (requests per second of the server's own CPU time) is the capacity figure.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../../scripts/paths.ts";
import { ensureLibrary } from "./library.ts";
import type { LoadResult } from "./load.ts";
import { type PageWeight, type Percentiles, pageWeight, sampleServerTime } from "./measure.ts";
import { serveLibrary } from "./serve.ts";

const { values } = parseArgs({
  options: {
    papers: { type: "string", default: "100000" },
    connections: { type: "string", default: "32" },
    seconds: { type: "string", default: "5" },
    samples: { type: "string", default: "200" },
    warmup: { type: "string", default: "200" },
    routes: { type: "string", default: "home,paper,search,api" },
    "data-dir": { type: "string" },
  },
});

function whole(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${flag} must be a whole number >= ${min}, got "${value}"`);
  return n;
}

const papers = whole("papers", values.papers, 1000);
const connections = whole("connections", values.connections, 1);
const seconds = whole("seconds", values.seconds, 1);
const samples = whole("samples", values.samples, 10);
const warmup = whole("warmup", values.warmup, 0);
const log = (line: string) => process.stderr.write(`${line}\n`);

const library = await ensureLibrary(papers, log);
const month = library.latestDay.slice(0, 7);
const ROUTES: Record<string, string> = {
  home: "/",
  paper: `/papers/${library.samplePaper}`,
  search: "/search?q=diffusion",
  api: "/api/daily_papers",
  month: `/month/${month}`,
  "api-month": `/api/daily_papers?month=${month}`,
  trending: "/trending",
};
const chosen = values.routes.split(",").map((r) => r.trim());
for (const name of chosen) {
  if (!ROUTES[name]) throw new Error(`unknown route "${name}"; known: ${Object.keys(ROUTES).join(", ")}`);
}

function runLoad(url: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(repoRoot, "bench", "web", "load.ts"),
        url,
        String(connections),
        String(seconds),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load.ts exited with ${code}`)),
    );
  });
}

/**
 * CPU seconds the server process has used (Linux /proc; null elsewhere). Under load, requests per CPU second is
 * the throughput one server process would reach with a core to itself, whatever else the machine runs.
 */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime, fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function warm(url: string): Promise<void> {
  for (let i = 0; i < warmup; i++) await (await fetch(url)).arrayBuffer();
}

const site = await serveLibrary(library.dbPath, log, values["data-dir"]);
const results: {
  route: string;
  path: string;
  load: LoadResult;
  server: Percentiles;
  /** Requests answered per second of the server's CPU time during the load. */
  perCpuSecond: number | null;
}[] = [];
let weight: PageWeight | null = null;
try {
  log(
    `library: ${library.papers} papers, ${library.dailyEntries} daily entries on ${library.days} days (latest ${library.latestDay}); server pid ${site.pid}`,
  );
  for (const route of chosen) {
    const path = ROUTES[route] ?? "/";
    const url = `${site.url}${path}`;
    await warm(url);
    const server = await sampleServerTime(url, samples);
    log(`${route}: server time sampled; loading ${connections} connections for ${seconds} s`);
    const cpuBefore = cpuSeconds(site.pid);
    const load = await runLoad(url);
    const cpuAfter = cpuSeconds(site.pid);
    const used = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : 0;
    results.push({ route, path, load, server, perCpuSecond: used > 0 ? load.requests / used : null });
  }
  weight = await pageWeight(site.url, "/");
} finally {
  await site.stop();
}

const f = (n: number, digits = 2) => n.toFixed(digits).padStart(8);
console.log(
  `\n${library.papers} papers, ${library.dailyEntries} daily entries; ${connections} connections x ${seconds} s per route; server time over ${samples} sequential requests; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}\n`,
);
console.log(
  "route       req/s  req/cpu-s    lat p50   lat p95   lat p99   srv p50   srv p95   srv p99   non2xx  bytes/resp",
);
for (const { route, load, server, perCpuSecond } of results) {
  console.log(
    `${route.padEnd(9)} ${f(load.requestsPerSecond, 0)}   ${perCpuSecond === null ? "       -" : f(perCpuSecond, 0)}  ${f(load.latencyMs.p50)}  ${f(load.latencyMs.p95)}  ${f(load.latencyMs.p99)}  ${f(server.p50)}  ${f(server.p95)}  ${f(server.p99)}  ${String(load.non2xx + load.errors).padStart(6)}  ${String(load.bytesPerResponse).padStart(10)}`,
  );
}
if (weight) {
  console.log(
    `\nhome page weight: ${weight.total.bytes} bytes (${weight.total.gzip} gzip) = HTML ${weight.html.bytes} (${weight.html.gzip} gzip)` +
      weight.assets.map((a) => ` + ${a.url} ${a.bytes} (${a.gzip} gzip)`).join(""),
  );
}
const file = join(
  repoRoot,
  "bench",
  "out",
  `web-${new Date().toISOString().replace(/[:.]/g, "").slice(0, 17)}.json`,
);
writeFileSync(file, JSON.stringify({ library, connections, seconds, samples, results, weight }, null, 2));
console.log(`results in ${file}`);
