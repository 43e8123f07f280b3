import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Store } from "../../src/store/store.ts";
import { ts } from "../helpers/factories.ts";
import { ingestRecordedDays } from "../helpers/hf-days.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

/** Sample lines of a Prometheus text exposition, as `name{labels}` → value. */
function samples(body: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of body.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    out.set(m[1] ?? "", Number(m[2]));
  }
  return out;
}

describe("health and metrics", () => {
  let db: TestDatabase;
  let store: Store;
  let web: TestApp;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await ingestRecordedDays(store, ["2026-08-21"]);
    await store.updateSourceState(
      "hf-daily",
      {
        attemptAt: ts("2026-08-22T05:00:00Z"),
        successAt: ts("2026-08-22T05:00:00Z"),
        newestItemAt: ts("2026-08-21T00:00:00Z"),
        itemsAdded: 17,
      },
      ts("2026-08-22T05:00:00Z"),
    );
    await store.updateSourceState(
      'arxiv-rss:"odd"\nname',
      { attemptAt: ts("2026-08-22T04:00:00Z"), error: "HTTP 503" },
      ts("2026-08-22T04:00:00Z"),
    );
    await store.enqueueJob({ kind: "sync-hf", payload: {} }, ts("2026-08-22T05:00:00Z"));
    web = createTestApp(store);
    web.setNow("2026-08-22T06:00:00Z");
  });
  after(async () => {
    web.close();
    await store.close();
    await db.drop();
  });

  test("/health reports a reachable store as JSON", async () => {
    const res = await web.request("/health");
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      status: "ok",
      store: { dialect: "sqlite", reachable: true },
      latestDay: "2026-08-21",
    });
  });

  test("/metrics: papers, entries, jobs, per-source age and lag, HTTP requests", async () => {
    // app.ts counts every request; compare the counters before and after two API calls.
    const before = samples(await (await web.request("/metrics")).text());
    await web.request("/api/daily_papers?limit=1");
    await web.request("/api/daily_papers?limit=1000");
    const res = await web.request("/metrics");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    const m = samples(body);
    assert.equal(m.get("paperboy_papers"), 17);
    assert.equal(m.get("paperboy_daily_entries"), 17);
    assert.equal(m.get('paperboy_jobs{state="queued"}'), 1);
    assert.equal(m.get('paperboy_source_last_success_age_seconds{source="hf-daily"}'), 3600);
    assert.equal(m.get('paperboy_source_ingest_lag_seconds{source="hf-daily"}'), 30 * 3600);
    assert.equal(m.get('paperboy_source_failing{source="hf-daily"}'), 0);
    // Label values are escaped; a source that never succeeded has no age sample.
    assert.equal(m.get('paperboy_source_failing{source="arxiv-rss:\\"odd\\"\\nname"}'), 1);
    assert.ok(
      ![...m.keys()].some((k) => k.startsWith('paperboy_source_last_success_age_seconds{source="arxiv')),
    );
    const grew = (key: string) => (m.get(key) ?? 0) - (before.get(key) ?? 0);
    // The first /metrics request and the first API call answered 200; the over-long limit 400.
    assert.equal(grew('paperboy_http_requests_total{method="GET",status="200"}'), 2);
    assert.equal(grew('paperboy_http_requests_total{method="GET",status="400"}'), 1);
    for (const name of ["paperboy_papers", "paperboy_jobs", "paperboy_http_requests_total"]) {
      assert.match(body, new RegExp(`# TYPE ${name} (gauge|counter)`));
    }
  });
});
