/**
 * The search engine at a million papers, measured the way issue 19 asks: the full build's time and peak RSS,
 * the serving process's RSS and its latencies (keyword, hybrid, filtered, sorted, similar, through
 * `SearchService`), and the time from storing 1,000 new papers to all of them being found by meaning and in
 * "similar". Each step runs in its own process (the product's `paperboy embed --rebuild`, then
 * `service-latency.ts`, then `incremental.ts --db`), and this script samples that process's memory from
 * /proc (VmHWM, the peak resident set, including the build thread and mapped files it touched).
 *
 *   node --import tsx scripts/gen-snapshot.ts --count 1001000 --out /tmp/p1m/all.jsonl
 *   head -n 1000000 /tmp/p1m/all.jsonl > /tmp/p1m/base.jsonl; tail -n 1000 /tmp/p1m/all.jsonl > /tmp/p1m/new.jsonl
 *   PAPERBOY_DB=/tmp/p1m/p.db PAPERBOY_DATA_DIR=/tmp/p1m/data node bin/paperboy.js import /tmp/p1m/base.jsonl
 *   node --import tsx bench/search/million.ts --db /tmp/p1m/p.db --data-dir /tmp/p1m/data \
 *     --snapshot /tmp/p1m/base.jsonl --new /tmp/p1m/new.jsonl [--queries 300] [--skip build,serve,new]
 *
 * The last step stores the new papers in that store (re-import to run it again).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    db: { type: "string" },
    "data-dir": { type: "string" },
    snapshot: { type: "string" },
    new: { type: "string" },
    queries: { type: "string", default: "300" },
    skip: { type: "string", default: "" },
  },
});
const { db, snapshot } = values;
const dataDir = values["data-dir"];
if (!db || !dataDir || !snapshot || !values.new)
  throw new Error("--db, --data-dir, --snapshot and --new are required (see the comment at the top)");
const skip = new Set(values.skip.split(",").filter((s) => s !== ""));

interface StepResult {
  seconds: number;
  peakGiB: number;
  lastGiB: number;
  code: number | null;
}

/** Kibibytes of a /proc/<pid>/status field, or null once the process is gone. */
function statusKiB(pid: number, field: "VmHWM" | "VmRSS"): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(
      readFileSync(`/proc/${pid}/status`, "utf8"),
    );
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Runs a command with its output passed through, sampling its peak and current RSS every 200 ms. */
function step(label: string, args: string[], env: Record<string, string> = {}): Promise<StepResult> {
  console.log(`\n== ${label}: node ${args.join(" ")} (load average ${loadavg()[0]?.toFixed(1)})`);
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: "inherit", env: { ...process.env, ...env } });
  let peak = 0;
  let last = 0;
  const sample = () => {
    if (child.pid === undefined) return;
    peak = Math.max(peak, statusKiB(child.pid, "VmHWM") ?? 0);
    last = statusKiB(child.pid, "VmRSS") ?? last;
  };
  const timer = setInterval(sample, 200);
  return new Promise((resolve) => {
    child.on("exit", (code) => {
      clearInterval(timer);
      const result = {
        seconds: Math.round((performance.now() - started) / 100) / 10,
        peakGiB: peak / 2 ** 20,
        lastGiB: last / 2 ** 20,
        code,
      };
      console.log(
        `== ${label}: exit ${code}, ${result.seconds} s, peak RSS ${result.peakGiB.toFixed(2)} GiB ` +
          `(load average ${loadavg()[0]?.toFixed(1)})`,
      );
      resolve(result);
    });
  });
}

const env = { PAPERBOY_DB: db, PAPERBOY_DATA_DIR: dataDir };
/** Node arguments running one of this folder's benchmarks on the store and snapshot given, plus `extra`. */
const benchArgs = (script: string, ...extra: string[]): string[] => [
  "--import",
  "tsx",
  `bench/search/${script}`,
  "--db",
  db,
  "--data-dir",
  dataDir,
  "--snapshot",
  snapshot,
  ...extra,
];
const summary: string[] = [];
if (!skip.has("build")) {
  const build = await step("full build", ["bin/paperboy.js", "embed", "--rebuild"], env);
  if (build.code !== 0) process.exit(1);
  summary.push(`full build: ${build.seconds} s, peak RSS ${build.peakGiB.toFixed(2)} GiB`);
}
if (!skip.has("serve")) {
  const serve = await step("serving", benchArgs("service-latency.ts", "--queries", values.queries));
  if (serve.code !== 0) process.exit(1);
  summary.push(
    `serving (engine loaded, every query above): peak RSS ${serve.peakGiB.toFixed(2)} GiB, ` +
      `at the end ${serve.lastGiB.toFixed(2)} GiB`,
  );
}
if (!skip.has("new")) {
  const fresh = await step("new papers", benchArgs("incremental.ts", "--new-snapshot", values.new));
  if (fresh.code !== 0) process.exit(1);
  summary.push(`new papers step: ${fresh.seconds} s, peak RSS ${fresh.peakGiB.toFixed(2)} GiB`);
}
console.log(`\n== summary\n${summary.join("\n")}`);
