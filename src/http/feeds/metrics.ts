import type { MiddlewareHandler } from "hono";
import { assessFreshness } from "../../core/index.ts";
import type { AppDeps, AppEnv } from "../env.ts";

/** Requests served, by method and status; one set per app (keyed by its deps), so test apps stay apart. */
const counters = new WeakMap<AppDeps, Map<string, number>>();

function countersOf(deps: AppDeps): Map<string, number> {
  let map = counters.get(deps);
  if (!map) {
    map = new Map();
    counters.set(deps, map);
  }
  return map;
}

/**
 * Counts every request the app answers, for /metrics. Mount it once, first, on the whole app
 * (`app.use("*", countRequests(deps))`); labels are the method and status only, so series stay few.
 */
export function countRequests(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const map = countersOf(deps);
  return async (c, next) => {
    try {
      await next();
    } finally {
      const key = `${c.req.method}\u0000${c.res.status}`;
      map.set(key, (map.get(key) ?? 0) + 1);
    }
  };
}

/** A label value in the Prometheus text format: backslash, quote and newline escaped. */
function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function metric(
  lines: string[],
  name: string,
  type: "gauge" | "counter",
  help: string,
  samples: string[],
): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
}

/** The Prometheus text exposition (version 0.0.4) of the store, the jobs, the sources and the HTTP counters. */
export async function renderMetrics(deps: AppDeps): Promise<string> {
  const now = deps.now().getTime();
  const [stats, jobs, sources] = await Promise.all([
    deps.store.stats(),
    deps.store.jobCounts(),
    deps.store.listSourceStates(),
  ]);
  const lines: string[] = [];
  metric(lines, "paperboy_papers", "gauge", "Papers in the store.", [`paperboy_papers ${stats.papers}`]);
  metric(lines, "paperboy_daily_entries", "gauge", "Daily list entries in the store.", [
    `paperboy_daily_entries ${stats.dailyEntries}`,
  ]);
  metric(
    lines,
    "paperboy_jobs",
    "gauge",
    "Jobs by state.",
    Object.entries(jobs).map(([state, n]) => `paperboy_jobs{state="${label(state)}"} ${n}`),
  );
  const fresh = sources.map((s) => ({
    state: s,
    f: assessFreshness(s, now, deps.config.worker.flagFailingAfterMs),
  }));
  const perSource = (value: (x: (typeof fresh)[number]) => number | null, name: string) =>
    fresh.flatMap((x) => {
      const v = value(x);
      return v === null ? [] : [`${name}{source="${label(x.state.source)}"} ${v}`];
    });
  metric(
    lines,
    "paperboy_source_last_success_age_seconds",
    "gauge",
    "Seconds since the source last synced successfully (absent if never).",
    perSource(
      (x) => (x.state.lastSuccessAt ? Math.max(0, (now - Date.parse(x.state.lastSuccessAt)) / 1000) : null),
      "paperboy_source_last_success_age_seconds",
    ),
  );
  metric(
    lines,
    "paperboy_source_ingest_lag_seconds",
    "gauge",
    "Seconds from the newest item the source gave to now (absent if nothing synced).",
    perSource((x) => (x.f.lagMs === null ? null : x.f.lagMs / 1000), "paperboy_source_ingest_lag_seconds"),
  );
  metric(
    lines,
    "paperboy_source_failing",
    "gauge",
    "1 while the source's syncs fail, else 0.",
    perSource((x) => (x.state.failingSince ? 1 : 0), "paperboy_source_failing"),
  );
  metric(
    lines,
    "paperboy_source_items_synced_total",
    "counter",
    "Items received from the source over all syncs.",
    perSource((x) => x.state.itemsSynced, "paperboy_source_items_synced_total"),
  );
  const requests = [...countersOf(deps)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  metric(
    lines,
    "paperboy_http_requests_total",
    "counter",
    "HTTP requests answered, by method and status.",
    requests.map(([key, n]) => {
      const [method = "", status = ""] = key.split("\u0000");
      return `paperboy_http_requests_total{method="${label(method)}",status="${label(status)}"} ${n}`;
    }),
  );
  metric(lines, "process_resident_memory_bytes", "gauge", "Resident memory of this process.", [
    `process_resident_memory_bytes ${process.memoryUsage().rss}`,
  ]);
  metric(lines, "process_uptime_seconds", "gauge", "Seconds since this process started.", [
    `process_uptime_seconds ${process.uptime().toFixed(3)}`,
  ]);
  return `${lines.join("\n")}\n`;
}
