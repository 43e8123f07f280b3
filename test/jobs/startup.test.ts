import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config/config.ts";
import { toTimestamp } from "../../src/core/index.ts";
import { BACKFILL_HF, backfillHf, backfillProgressOf } from "../../src/jobs/backfill-hf.ts";
import { digestSchedules, rebuildSearchSchedules, syncSchedules } from "../../src/jobs/handlers.ts";
import { enqueueDueJobs, latestSlot, slotDedupeKey } from "../../src/jobs/schedule.ts";
import { planStartup, runStartup } from "../../src/jobs/startup.ts";
import { ManualClock } from "../../src/net/clock.ts";
import type { Store } from "../../src/store/store.ts";
import { type FakeHf, startFakeHf } from "../fakes/hf.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { testSyncContext } from "../helpers/sync.ts";

const config = loadConfig({ PAPERBOY_CATEGORIES: "cs.LG,cs.CL" });
const schedules = [
  ...syncSchedules(config.worker, config.sources.categories),
  ...rebuildSearchSchedules(config.search),
  ...digestSchedules(),
];
const options = (now: Date) => ({ now, schedules, backfillDays: 14, categories: config.sources.categories });

const dbs: TestDatabase[] = [];
after(async () => {
  for (const db of dbs) await db.drop();
});
async function freshStore(): Promise<Store> {
  const db = await createTestDatabase("sqlite");
  dbs.push(db);
  return db.open();
}

describe("what a start enqueues", () => {
  test("a first run: the backfill first, then the listings, the search build, then the other syncs", () => {
    const now = new Date("2026-03-02T10:44:00Z");
    const plan = planStartup({ ...options(now), states: [], pending: [] });
    assert.equal(plan[0]?.kind, BACKFILL_HF);
    assert.deepEqual(plan[0]?.payload, { days: 14 });
    const kinds = plan.map((j) => j.kind);
    const listings = plan.filter((j) => j.kind === "sync-arxiv-listing");
    assert.deepEqual(
      listings.map((j) => j.payload),
      [{ category: "cs.LG" }, { category: "cs.CL" }],
    );
    const build = kinds.indexOf("rebuild-search");
    assert.ok(kinds.lastIndexOf("sync-arxiv-listing") < build, "the search build comes after the listings");
    for (const kind of ["sync-hf", "sync-oai", "refresh-stars", "send-digests"]) {
      assert.ok(kinds.indexOf(kind) > build, `${kind} after the search build`);
    }
    // Every schedule's latest slot is in the plan, once, under the slot's own key.
    const slotJobs = schedules.flatMap((s) =>
      s
        .jobs(latestSlot(s.cron, now) as Date)
        .map((j) => slotDedupeKey(s.name, latestSlot(s.cron, now) as Date, j)),
    );
    for (const key of slotJobs) assert.equal(plan.filter((j) => j.dedupeKey === key).length, 1, key);
    assert.equal(plan.length, slotJobs.length + 1, "the slots and the backfill, nothing twice");
  });

  test("the backfill size comes from the configuration, and 0 turns it off", () => {
    const now = new Date("2026-03-02T10:44:00Z");
    assert.equal(loadConfig({ PAPERBOY_BACKFILL_DAYS: "3" }).start.backfillDays, 3);
    assert.match(
      (() => {
        try {
          loadConfig({ PAPERBOY_BACKFILL_DAYS: "many" });
          return "";
        } catch (error) {
          return (error as Error).message;
        }
      })(),
      /PAPERBOY_BACKFILL_DAYS \(got "many"\)/,
    );
    // The store lives in the data folder unless PAPERBOY_DB says otherwise.
    assert.deepEqual(loadConfig({ PAPERBOY_DATA_DIR: "/srv/paperboy/" }).db, {
      kind: "sqlite",
      path: "/srv/paperboy/paperboy.db",
    });
    assert.deepEqual(loadConfig({ PAPERBOY_DATA_DIR: "/srv/paperboy", PAPERBOY_DB: "/elsewhere.db" }).db, {
      kind: "sqlite",
      path: "/elsewhere.db",
    });
    const three = planStartup({ ...options(now), backfillDays: 3, states: [], pending: [] });
    assert.deepEqual(three[0]?.payload, { days: 3 });
    const none = planStartup({ ...options(now), backfillDays: 0, states: [], pending: [] });
    assert.ok(!none.some((j) => j.kind === BACKFILL_HF));
  });

  test("a restart enqueues nothing twice, and the worker's first tick adds no slot again", async () => {
    const store = await freshStore();
    const now = new Date("2026-03-02T10:44:00Z");
    const first = await runStartup(store, options(now));
    assert.equal(first.length, planStartup({ ...options(now), states: [], pending: [] }).length);
    assert.deepEqual(await runStartup(store, options(new Date("2026-03-02T10:45:00Z"))), []);
    assert.equal(await enqueueDueJobs(store, schedules, now), 0);
    // They run in the planned order.
    const kinds: string[] = [];
    for (
      let job = await store.claimJob("w", {
        leaseMs: 60_000,
        now: toTimestamp(new Date("2026-03-02T10:46:00Z")),
      });
      job;
    ) {
      kinds.push(job.kind);
      await store.finishJob(job.id, "w", { ok: true }, toTimestamp(new Date("2026-03-02T10:46:00Z")));
      job = await store.claimJob("w", {
        leaseMs: 60_000,
        now: toTimestamp(new Date("2026-03-02T10:46:00Z")),
      });
    }
    assert.equal(kinds[0], BACKFILL_HF);
    assert.equal(kinds.at(-1), "send-digests");
    await store.close();
  });

  test("a source last synced longer ago than its interval runs at once, even when its slot already ran", async () => {
    const store = await freshStore();
    const now = new Date("2026-03-02T10:44:00Z");
    const hf = schedules.find((s) => s.name === "hf");
    assert.ok(hf);
    const slot = latestSlot(hf.cron, now) as Date;
    // The 10:30 slot ran and failed for good; the last success was two hours ago (the interval is 30 min).
    const slotJob = { kind: "sync-hf", payload: { recentDays: 2 } };
    await store.enqueueJob(
      { ...slotJob, maxAttempts: 1, dedupeKey: slotDedupeKey("hf", slot, slotJob) },
      toTimestamp(now),
    );
    const claimed = await store.claimJob("w", { leaseMs: 60_000, now: toTimestamp(now) });
    assert.ok(claimed);
    await store.finishJob(claimed.id, "w", { ok: false, error: "HTTP 503", retryAt: null }, toTimestamp(now));
    const twoHoursAgo = toTimestamp(new Date(now.getTime() - 2 * 3_600_000));
    await store.updateSourceState(
      "hf-daily",
      { attemptAt: twoHoursAgo, successAt: twoHoursAgo },
      twoHoursAgo,
    );
    await store.updateSourceState(
      "hf-daily",
      { attemptAt: toTimestamp(now), error: "HTTP 503" },
      toTimestamp(now),
    );

    const added = await runStartup(store, options(now));
    assert.equal(added.filter((k) => k === "sync-hf").length, 1, "the stale source is enqueued once");
    assert.ok(!added.includes(BACKFILL_HF), "no backfill: Hugging Face synced before");
    assert.deepEqual(await runStartup(store, options(now)), [], "and not again on the next start");

    // Synced five minutes ago: fresh, and its slot ran, so a start leaves it to the schedule.
    const store2 = await freshStore();
    await store2.enqueueJob({ ...slotJob, dedupeKey: slotDedupeKey("hf", slot, slotJob) }, toTimestamp(now));
    const done = await store2.claimJob("w", { leaseMs: 60_000, now: toTimestamp(now) });
    assert.ok(done);
    await store2.finishJob(done.id, "w", { ok: true }, toTimestamp(now));
    const fiveMinutesAgo = toTimestamp(new Date(now.getTime() - 5 * 60_000));
    await store2.updateSourceState("hf-daily", { attemptAt: fiveMinutesAgo, successAt: fiveMinutesAgo });
    assert.ok(!(await runStartup(store2, options(now))).includes("sync-hf"));
    await store.close();
    await store2.close();
  });
});

describe("the Hugging Face backfill", () => {
  let hf: FakeHf;
  before(async () => {
    hf = await startFakeHf();
  });
  after(async () => {
    assert.deepEqual(hf.unplanned, []);
    await hf.close();
  });

  test("fetches the latest days with a list, newest first, skipping days without one", async () => {
    const store = await freshStore();
    // A Sunday: the weekend has no lists in the recordings.
    const clock = new ManualClock(Date.parse("2024-06-09T12:00:00Z"));
    const before = hf.datesRequested().length;
    const report = await backfillHf(testSyncContext(store, { hf: hf.url }, clock), { days: 3 });
    assert.deepEqual(hf.datesRequested().slice(before), [
      "2024-06-09",
      "2024-06-08",
      "2024-06-07",
      "2024-06-06",
      "2024-06-05",
    ]);
    const days = ["2024-06-07", "2024-06-06", "2024-06-05"];
    const stored = await Promise.all(days.map((d) => store.dailyEntries(d as never)));
    assert.ok(stored.every((entries) => entries.length > 0));
    assert.equal(report.daily.added, stored.flat().length);
    const state = await store.getSourceState("hf-daily");
    assert.ok(state?.lastSuccessAt);
    assert.deepEqual(backfillProgressOf(state?.cursor), {
      target: 3,
      found: 3,
      scanned: 5,
      next: "2024-06-04",
      done: true,
    });
    await store.close();
  });

  test("gives up after looking back the most days it may, keeping what it found", async () => {
    const store = await freshStore();
    const clock = new ManualClock(Date.parse("2024-06-09T12:00:00Z"));
    const before = hf.datesRequested().length;
    await backfillHf(testSyncContext(store, { hf: hf.url }, clock), { days: 14, maxScanDays: 4 });
    assert.equal(hf.datesRequested().length - before, 4);
    const progress = backfillProgressOf((await store.getSourceState("hf-daily"))?.cursor);
    assert.equal(progress?.found, 2);
    assert.equal(progress?.done, true);
    await store.close();
  });

  test("a stopped backfill continues where it stopped", async () => {
    const store = await freshStore();
    const clock = new ManualClock(Date.parse("2024-06-09T12:00:00Z"));
    const controller = new AbortController();
    const ctx = {
      ...testSyncContext(store, { hf: hf.url }, clock),
      signal: controller.signal,
      onProgress: (p: { done: number }) => {
        if (p.done === 1) controller.abort(new Error("stopping"));
      },
    };
    await assert.rejects(backfillHf(ctx, { days: 3 }), /stopping/);
    const before = hf.datesRequested().length;
    await backfillHf(testSyncContext(store, { hf: hf.url }, clock), { days: 3 });
    assert.deepEqual(hf.datesRequested().slice(before), ["2024-06-06", "2024-06-05"]);
    await store.close();
  });
});
