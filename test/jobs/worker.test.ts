import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { toTimestamp } from "../../src/core/index.ts";
import { enqueueDueJobs, latestSlot } from "../../src/jobs/schedule.ts";
import { type JobHandler, Worker } from "../../src/jobs/worker.ts";
import { ManualClock } from "../../src/net/clock.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";

const dbs: TestDatabase[] = [];
after(async () => {
  for (const db of dbs) await db.drop();
});

async function freshStore(kind: StoreKind) {
  const db = await createTestDatabase(kind);
  dbs.push(db);
  return db.open();
}

describe("schedules", () => {
  test("the latest slot of a cron expression, a slot exactly now included", () => {
    assert.equal(
      latestSlot("*/30 * * * *", new Date("2026-03-01T10:44:00Z"))?.toISOString(),
      "2026-03-01T10:30:00.000Z",
    );
    assert.equal(
      latestSlot("0 2 * * *", new Date("2026-03-01T02:00:00Z"))?.toISOString(),
      "2026-03-01T02:00:00.000Z",
    );
  });

  test("every worker may enqueue the due slot; it becomes one job", async () => {
    const store = await freshStore("sqlite");
    const schedules = [
      { name: "hf", cron: "0 * * * *", jobs: () => [{ kind: "sync-hf", payload: { recentDays: 2 } }] },
    ];
    const now = new Date("2026-03-01T10:05:00Z");
    assert.equal(await enqueueDueJobs(store, schedules, now), 1);
    assert.equal(await enqueueDueJobs(store, schedules, now), 0, "a second worker adds nothing");
    assert.equal(await enqueueDueJobs(store, schedules, new Date("2026-03-01T10:59:00Z")), 0, "same slot");
    assert.equal(await enqueueDueJobs(store, schedules, new Date("2026-03-01T11:00:00Z")), 1, "next slot");
    await store.close();
  });
});

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`worker on ${kind}`, () => {
    test("runs a job, retries a failure with back-off, then gives up into the failed state", async () => {
      const store = await freshStore(kind);
      const clock = new ManualClock(Date.parse("2026-03-01T00:00:00Z"));
      const now = () => toTimestamp(new Date(clock.now()));
      let calls = 0;
      const handlers: Record<string, JobHandler> = {
        ok: async () => {},
        flaky: async () => {
          calls++;
          throw new Error(`HTTP 503 (call ${calls})`);
        },
      };
      const worker = new Worker({ store, handlers, clock, backoff: { baseMs: 30_000, maxMs: 3_600_000 } });
      const good = await store.enqueueJob({ kind: "ok" }, now());
      const bad = await store.enqueueJob({ kind: "flaky", maxAttempts: 3 }, now());

      assert.equal((await worker.runOnce())?.id, good.id);
      assert.equal((await store.getJob(good.id))?.state, "succeeded");
      assert.equal((await worker.runOnce())?.id, bad.id);
      let job = await store.getJob(bad.id);
      assert.equal(job?.state, "queued");
      assert.equal(job?.runAt, toTimestamp(new Date(clock.now() + 30_000)), "first retry after 30 s");
      assert.equal(await worker.runOnce(), null, "not due yet");
      clock.advance(30_000);
      await worker.runOnce();
      job = await store.getJob(bad.id);
      assert.equal(job?.runAt, toTimestamp(new Date(clock.now() + 60_000)), "then 60 s");
      clock.advance(60_000);
      await worker.runOnce();
      job = await store.getJob(bad.id);
      assert.equal(job?.state, "failed");
      assert.equal(job?.attempts, 3);
      assert.equal(job?.lastError, "HTTP 503 (call 3)");
      clock.advance(10 * 3_600_000);
      assert.equal(await worker.runOnce(), null, "a failed job is not run again");
      await store.close();
    });

    test("a worker claims only the kinds it handles", async () => {
      const store = await freshStore(kind);
      const worker = new Worker({ store, handlers: { known: async () => {} } });
      const { id } = await store.enqueueJob({ kind: "known" });
      // Jobs are claimed only for kinds this worker handles.
      await store.enqueueJob({ kind: "other" });
      assert.equal((await worker.runOnce())?.id, id);
      assert.equal(await worker.runOnce(), null);
      assert.equal((await store.jobCounts()).queued, 1);
      await store.close();
    });

    test("a shutdown lets the job stop, or gives it back unfinished, its attempt not counted", async () => {
      const store = await freshStore(kind);
      const writes: string[] = [];
      const handlers: Record<string, JobHandler> = {
        // Stops between its transactions when told to.
        polite: async (_job, { signal }) => {
          for (let page = 0; !signal.aborted; page++) {
            writes.push(`page ${page}`);
            await new Promise((r) => setTimeout(r, 5));
          }
          throw signal.reason;
        },
        // Ignores the signal (a request that does not end).
        stuck: () => new Promise(() => {}),
      };
      const worker = new Worker({ store, handlers });
      for (const kind of ["polite", "stuck"]) {
        const { id } = await store.enqueueJob({ kind });
        const shutdown = new AbortController();
        const running = worker.runOnce(shutdown.signal, 100);
        await new Promise((r) => setTimeout(r, 30));
        shutdown.abort(new Error("SIGTERM"));
        assert.equal((await running)?.id, id);
        const job = await store.getJob(id);
        assert.equal(job?.state, "queued", kind);
        assert.equal(job?.attempts, 0, kind);
        assert.equal(job?.lockedBy, null, kind);
        assert.equal(job?.lastError, null, kind);
        // The next start takes it at once.
        assert.equal((await new Worker({ store, handlers: { [kind]: async () => {} } }).runOnce())?.id, id);
      }
      assert.ok(writes.length > 0);
      await store.close();
    });
  });
}

describe("two workers on PostgreSQL", () => {
  test("split the queue: every job runs exactly once", async () => {
    const db = await createTestDatabase("postgres");
    dbs.push(db);
    const stores = [await db.open(), await db.open()];
    const runs = new Map<number, string[]>();
    const handler =
      (worker: string): JobHandler =>
      async (job) => {
        const n = job.payload.n as number;
        runs.set(n, [...(runs.get(n) ?? []), worker]);
        await new Promise((r) => setTimeout(r, 5));
      };
    for (let n = 0; n < 40; n++) await stores[0]?.enqueueJob({ kind: "work", payload: { n } });
    const workers = stores.map(
      (store, i) => new Worker({ store, handlers: { work: handler(`w${i}`) }, workerId: `w${i}` }),
    );
    await Promise.all(
      workers.map(async (w) => {
        while (await w.runOnce()) {
          // drain
        }
      }),
    );
    assert.equal(runs.size, 40);
    for (const [n, who] of runs) assert.equal(who.length, 1, `job ${n} ran ${who.length} times`);
    const byWorker = [...runs.values()].flat();
    assert.ok(byWorker.includes("w0") && byWorker.includes("w1"), "both workers took jobs");
    assert.equal((await stores[0]?.jobCounts())?.succeeded, 40);
    for (const s of stores) await s.close();
  });
});
