import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { syncHfDays } from "../../src/jobs/sync-hf.ts";
import type { Store } from "../../src/store/store.ts";
import { type FakeHf, jsonReply, recordedEntries, startFakeHf } from "../fakes/hf.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";
import { testSyncContext } from "../helpers/sync.ts";
import { dumpStore } from "../store/contract.ts";

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`Hugging Face daily sync into ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    let hf: FakeHf;
    before(async () => {
      db = await createTestDatabase(kind);
      store = await db.open();
      hf = await startFakeHf();
    });
    after(async () => {
      assert.deepEqual(hf.unplanned, []);
      await hf.close();
      await store.close();
      await db.drop();
    });

    test("a range of days lands with every entry, and freshness is recorded", async () => {
      const ctx = testSyncContext(store, { hf: hf.url });
      const report = await syncHfDays(ctx, { from: "2024-05-27", to: "2024-06-03" });
      // Weekend days have no recording: the fake answers [] as the API does.
      const days = ["2024-05-27", "2024-05-28", "2024-05-29", "2024-05-30", "2024-05-31", "2024-06-03"];
      const expected = days.map((d) => recordedEntries(d).length).reduce((a, b) => a + b, 0);
      assert.equal(report.read, expected);
      assert.equal(report.daily.added, expected);
      assert.deepEqual(report.problems, []);
      assert.equal((await store.stats()).dailyEntries, expected);
      const state = await store.getSourceState("hf-daily");
      assert.ok(state?.lastSuccessAt);
      assert.equal(state?.failingSince, null);
      assert.equal(state?.itemsSynced, expected);
      assert.deepEqual(state?.cursor, { lastDay: "2024-06-03" });
      assert.ok(state?.newestItemAt?.startsWith("2024-0"));
    });

    test("re-syncing a day updates its counts without duplicating entries", async () => {
      const ctx = testSyncContext(store, { hf: hf.url });
      const entries = recordedEntries("2024-05-28");
      const bumped = entries.map((e) => ({
        ...e,
        numComments: 99,
        paper: { ...(e.paper as Record<string, unknown>), upvotes: 1000 },
      }));
      hf.setDay("2024-05-28", jsonReply(bumped));
      const before = (await store.stats()).dailyEntries;
      const report = await syncHfDays(ctx, { from: "2024-05-28", to: "2024-05-28" });
      assert.equal(report.daily.updated, entries.length);
      assert.equal((await store.stats()).dailyEntries, before);
      const day = await store.dailyEntries("2024-05-28" as never);
      assert.ok(day.every((e) => e.upvotes === 1000 && e.numComments === 99));
      hf.resetDay("2024-05-28");
    });

    test("the same days again change nothing", async () => {
      await syncHfDays(testSyncContext(store, { hf: hf.url }), { from: "2024-05-28", to: "2024-05-28" });
      const content = await dumpStore(store);
      const report = await syncHfDays(testSyncContext(store, { hf: hf.url }), {
        from: "2024-05-27",
        to: "2024-05-29",
      });
      assert.equal(
        report.papers.added + report.papers.updated + report.daily.added + report.daily.updated,
        0,
      );
      assert.equal(await dumpStore(store), content);
    });

    test("a source that keeps failing is recorded as failing, with its error, and recovers", async () => {
      const ctx = testSyncContext(store, { hf: hf.url });
      hf.inject((u) => u.searchParams.get("date") === "2024-06-04", { status: 500, body: "down" }, 5);
      await assert.rejects(syncHfDays(ctx, { from: "2024-06-04", to: "2024-06-04" }), /HTTP 500/);
      const failing = await store.getSourceState("hf-daily");
      assert.ok(failing?.failingSince);
      assert.match(failing?.lastError ?? "", /HTTP 500/);
      await syncHfDays(ctx, { from: "2024-06-04", to: "2024-06-04" });
      assert.equal((await store.getSourceState("hf-daily"))?.failingSince, null);
    });

    test("bad entries are reported and the good ones of the day still land", async () => {
      const entries = recordedEntries("2024-06-05");
      hf.setDay("2024-06-05", jsonReply(["not an entry", ...entries, { paper: { id: "bad-id" } }]));
      const report = await syncHfDays(testSyncContext(store, { hf: hf.url }), {
        from: "2024-06-05",
        to: "2024-06-05",
      });
      assert.equal(report.problems.length, 2);
      assert.match(report.problems[0]?.where ?? "", /2024-06-05 entry 1/);
      assert.equal(report.daily.added, entries.length);
      hf.resetDay("2024-06-05");
    });
  });
}
