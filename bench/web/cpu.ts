/**
 * CPU time per request, in process: what each route costs the server's thread, independent of how busy the
 * machine is (wall-clock latency on a shared machine mostly measures waiting for a core).
 *
 *   node --import tsx bench/web/cpu.ts [--papers 100000] [--requests 500] [--routes home,paper,search,api]
 *   node --import tsx --cpu-prof --cpu-prof-dir=bench/out/prof bench/web/cpu.ts --routes home   # to profile
 *
 * Uses the library run.ts builds (bench/out/web-<papers>.db) and builds the app the way `paperboy serve` does
 * (src/http/deps.ts), then calls it with `app.request` one request at a time after a warm-up. 1000 / (CPU ms per
 * request) is the most one server process can answer per second on one core, before HTTP parsing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../../src/config/config.ts";
import { createApp } from "../../src/http/app.ts";
import { openAppDeps } from "../../src/http/deps.ts";
import { silentLogger } from "../../src/log.ts";
import { ensureLibrary } from "./library.ts";
import { percentiles } from "./measure.ts";

const { values } = parseArgs({
  options: {
    papers: { type: "string", default: "100000" },
    requests: { type: "string", default: "500" },
    routes: { type: "string", default: "home,paper,search,api" },
  },
});
const requests = Number(values.requests);
if (!Number.isInteger(requests) || requests < 10) throw new Error("--requests must be a whole number >= 10");
const library = await ensureLibrary(Number(values.papers), (line) => process.stderr.write(`${line}\n`));
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

const dataDir = mkdtempSync(join(tmpdir(), "paperboy-bench-cpu-"));
const config = loadConfig({
  PAPERBOY_DB: library.dbPath,
  PAPERBOY_DATA_DIR: dataDir,
  PAPERBOY_SECRET: "bench-web-secret-0123456789-abcdefghijklmnop",
  PAPERBOY_LOG_LEVEL: "silent",
});
const opened = await openAppDeps(config, silentLogger);
try {
  const app = createApp(opened.deps);
  console.log("route       cpu ms/req   wall p50   wall p95   bytes");
  for (const route of values.routes.split(",").map((r) => r.trim())) {
    const path = ROUTES[route];
    if (!path) throw new Error(`unknown route "${route}"; known: ${Object.keys(ROUTES).join(", ")}`);
    const call = async () => {
      const res = await app.request(`http://127.0.0.1${path}`);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
      return body.length;
    };
    for (let i = 0; i < 50; i++) await call();
    const walls: number[] = [];
    let bytes = 0;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      bytes = await call();
      walls.push(performance.now() - started);
    }
    const cpu = process.cpuUsage(cpu0);
    const w = percentiles(walls);
    console.log(
      `${route.padEnd(10)} ${((cpu.user + cpu.system) / 1000 / requests).toFixed(3).padStart(10)}   ${w.p50.toFixed(2).padStart(8)}   ${w.p95.toFixed(2).padStart(8)}   ${bytes}`,
    );
  }
} finally {
  await opened.close();
  rmSync(dataDir, { recursive: true, force: true });
}
