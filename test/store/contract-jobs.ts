import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { IsoTimestamp } from "../../src/core/index.ts";
import type { Store } from "../../src/store/store.ts";
import {
  buildArxivRecord,
  buildDailyRecord,
  buildHfRecord,
  cats,
  day,
  id,
  ts,
} from "../helpers/factories.ts";
import { type StoreKind, useFreshStore } from "../helpers/stores.ts";

const T0 = ts("2026-03-01T00:00:00Z");
const at = (seconds: number): IsoTimestamp => ts(new Date(Date.parse(T0) + seconds * 1000).toISOString());

/** Jobs, sync state and star history: the same behaviour on every store. */
export function jobsContract(kind: StoreKind): void {
  describe(`Store contract, jobs and sources: ${kind}`, () => {
    let store: Store;
    const fresh = useFreshStore(kind, (s) => {
      store = s;
    });

    test("a job with a dedupe key is enqueued once", async () => {
      await fresh();
      const a = await store.enqueueJob(
        { kind: "sync-hf", payload: { date: "2026-03-01" }, dedupeKey: "hf:1" },
        T0,
      );
      const b = await store.enqueueJob(
        { kind: "sync-hf", payload: { date: "2026-03-01" }, dedupeKey: "hf:1" },
        T0,
      );
      assert.equal(a.created, true);
      assert.deepEqual(b, { id: a.id, created: false });
      await store.enqueueJob({ kind: "sync-hf" }, T0);
      await store.enqueueJob({ kind: "sync-hf" }, T0);
      assert.equal((await store.jobCounts()).queued, 3, "jobs without a key are never merged");
    });

    test("claims take due jobs only, oldest first, and count an attempt", async () => {
      await fresh();
      const later = await store.enqueueJob({ kind: "k", runAt: at(60) }, T0);
      const first = await store.enqueueJob({ kind: "k", runAt: at(-10) }, T0);
      const job = await store.claimJob("w1", { leaseMs: 300_000, now: T0 });
      assert.equal(job?.id, first.id);
      assert.equal(job?.state, "running");
      assert.equal(job?.attempts, 1);
      assert.equal(job?.lockedBy, "w1");
      assert.equal(job?.lockedUntil, at(300));
      assert.equal(await store.claimJob("w2", { leaseMs: 30_000, now: T0 }), null, "the other is not due");
      assert.equal((await store.claimJob("w2", { leaseMs: 30_000, now: at(61) }))?.id, later.id);
    });

    test("claims can be limited to some kinds", async () => {
      await fresh();
      await store.enqueueJob({ kind: "refresh-stars" }, T0);
      const hf = await store.enqueueJob({ kind: "sync-hf" }, T0);
      assert.equal((await store.claimJob("w", { leaseMs: 1000, kinds: ["sync-hf"], now: T0 }))?.id, hf.id);
    });

    test("concurrent claimers never get the same job", async () => {
      await fresh();
      for (let i = 0; i < 6; i++) await store.enqueueJob({ kind: "k", payload: { i } }, T0);
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.claimJob(`w${i}`, { leaseMs: 60_000, now: T0 })),
      );
      const ids = claims.filter((j) => j !== null).map((j) => j.id);
      assert.equal(ids.length, 6);
      assert.equal(new Set(ids).size, 6);
    });

    test("a job whose worker died is taken over after its lease, and the old worker can no longer finish it", async () => {
      await fresh();
      const { id: jobId } = await store.enqueueJob({ kind: "k" }, T0);
      await store.claimJob("dead", { leaseMs: 10_000, now: T0 });
      assert.equal(await store.claimJob("w2", { leaseMs: 10_000, now: at(5) }), null, "lease still holds");
      const taken = await store.claimJob("w2", { leaseMs: 10_000, now: at(11) });
      assert.equal(taken?.id, jobId);
      assert.equal(taken?.attempts, 2);
      assert.equal(await store.finishJob(jobId, "dead", { ok: true }, at(12)), false);
      assert.equal(await store.renewJobLease(jobId, "dead", 10_000, at(12)), false);
      assert.equal(await store.renewJobLease(jobId, "w2", 10_000, at(12)), true);
      assert.equal((await store.getJob(jobId))?.lockedUntil, at(22));
      assert.equal(await store.finishJob(jobId, "w2", { ok: true }, at(13)), true);
      const done = await store.getJob(jobId);
      assert.equal(done?.state, "succeeded");
      assert.equal(done?.finishedAt, at(13));
    });

    test("a failed run is retried at its back-off time, then given up into a visible failed state", async () => {
      await fresh();
      const { id: jobId } = await store.enqueueJob({ kind: "k", maxAttempts: 2 }, T0);
      await store.claimJob("w", { leaseMs: 1000, now: T0 });
      await store.finishJob(jobId, "w", { ok: false, error: "HTTP 503", retryAt: at(30) }, at(1));
      const queued = await store.getJob(jobId);
      assert.equal(queued?.state, "queued");
      assert.equal(queued?.lastError, "HTTP 503");
      assert.equal(await store.claimJob("w", { leaseMs: 1000, now: at(29) }), null);
      assert.equal((await store.claimJob("w", { leaseMs: 1000, now: at(30) }))?.attempts, 2);
      await store.finishJob(jobId, "w", { ok: false, error: "HTTP 503 again", retryAt: null }, at(31));
      const failed = await store.getJob(jobId);
      assert.equal(failed?.state, "failed");
      assert.equal(failed?.lastError, "HTTP 503 again");
      assert.deepEqual(
        (await store.listJobs({ states: ["failed"] })).map((j) => j.id),
        [jobId],
      );
      assert.equal(
        await store.claimJob("w", { leaseMs: 1000, now: at(999) }),
        null,
        "failed jobs stay failed",
      );
    });

    test("a job whose worker dies on its last attempt fails instead of looping", async () => {
      await fresh();
      const { id: jobId } = await store.enqueueJob({ kind: "k", maxAttempts: 1 }, T0);
      await store.claimJob("dead", { leaseMs: 1000, now: T0 });
      assert.equal(await store.claimJob("w2", { leaseMs: 1000, now: at(5) }), null);
      const job = await store.getJob(jobId);
      assert.equal(job?.state, "failed");
      assert.match(job?.lastError ?? "", /lease expired/);
    });

    test("source state records attempts, failures, recovery and the newest item", async () => {
      await fresh();
      assert.equal(await store.getSourceState("hf-daily"), null);
      await store.updateSourceState("hf-daily", { attemptAt: at(0), error: "HTTP 503" }, at(0));
      await store.updateSourceState("hf-daily", { attemptAt: at(60), error: "timeout" }, at(60));
      let state = await store.getSourceState("hf-daily");
      assert.equal(state?.failingSince, at(0), "failing since the first failure of the run");
      assert.equal(state?.lastError, "timeout");
      assert.equal(state?.lastErrorAt, at(60));
      await store.updateSourceState(
        "hf-daily",
        { attemptAt: at(120), successAt: at(121), newestItemAt: ts("2026-02-28T00:00:00Z"), itemsAdded: 7 },
        at(121),
      );
      await store.updateSourceState(
        "hf-daily",
        { newestItemAt: ts("2026-01-01T00:00:00Z"), itemsAdded: 3 },
        at(130),
      );
      state = await store.getSourceState("hf-daily");
      assert.equal(state?.failingSince, null);
      assert.equal(state?.lastSuccessAt, at(121));
      assert.equal(state?.lastError, "timeout", "the last error is kept for the record");
      assert.equal(state?.newestItemAt, "2026-02-28T00:00:00.000Z", "an older item does not move it back");
      assert.equal(state?.itemsSynced, 10);
      assert.deepEqual(
        (await store.listSourceStates()).map((s) => s.source),
        ["hf-daily"],
      );
    });

    test("a checkpoint lands with its records, and not without them", async () => {
      await fresh();
      await store.ingest(
        {
          papers: [buildArxivRecord()],
          checkpoint: { source: "arxiv-oai:cs", update: { cursor: { token: "page-2" }, itemsAdded: 1 } },
        },
        T0,
      );
      assert.deepEqual((await store.getSourceState("arxiv-oai:cs"))?.cursor, { token: "page-2" });
      const bad = buildDailyRecord({ paperId: id("2405.15738"), date: day("2024-05-27\u0000") });
      await assert.rejects(
        store.ingest({
          papers: [buildHfRecord({ id: id("2405.00009") })],
          daily: [bad],
          checkpoint: { source: "arxiv-oai:cs", update: { cursor: { token: "page-3" } } },
        }),
      );
      assert.deepEqual((await store.getSourceState("arxiv-oai:cs"))?.cursor, { token: "page-2" });
      assert.equal(await store.getPaper(id("2405.00009")), null);
    });

    test("star history is kept per repository, and papers with code are listed in pages", async () => {
      await fresh();
      await store.recordStars([
        { repo: "Owner/Repo", stars: 10, observedAt: at(0) },
        { repo: "owner/repo", stars: 15, observedAt: at(86_400) },
        { repo: "other/x", stars: 1, observedAt: at(0) },
      ]);
      await store.recordStars([{ repo: "owner/repo", stars: 16, observedAt: at(86_400) }]);
      assert.deepEqual(await store.starHistory("OWNER/repo"), [
        { observedAt: at(0), stars: 10 },
        { observedAt: at(86_400), stars: 16 },
      ]);
      await store.ingest({
        papers: ["2405.00001", "2405.00002", "2405.00003"].map((s, i) =>
          buildHfRecord({ id: id(s), codeUrl: i === 1 ? null : `https://github.com/o/r${i}` }),
        ),
      });
      const page1 = await store.papersWithCode({ limit: 1 });
      const page2 = await store.papersWithCode({ after: page1[0]?.id, limit: 5 });
      assert.deepEqual(
        [...page1, ...page2].map((p) => p.id),
        ["2405.00001", "2405.00003"],
      );
      assert.equal(page2[0]?.codeUrl, "https://github.com/o/r2");
    });

    test("papers without categories are listed in pages, and leave the list once they have some", async () => {
      await fresh();
      await store.ingest({
        papers: [
          buildHfRecord({ id: id("2405.00003") }),
          buildArxivRecord({ id: id("2405.00002"), categories: cats("cs.LG") }),
          buildHfRecord({ id: id("2405.00001") }),
          buildHfRecord({ id: id("2405.00004") }),
        ],
      });
      const page1 = await store.papersWithoutCategories({ limit: 2 });
      const page2 = await store.papersWithoutCategories({ after: page1.at(-1), limit: 2 });
      assert.deepEqual([...page1, ...page2], ["2405.00001", "2405.00003", "2405.00004"]);
      await store.ingest({ papers: [buildArxivRecord({ id: id("2405.00003"), categories: cats("cs.CL") })] });
      assert.deepEqual(await store.papersWithoutCategories({ limit: 10 }), ["2405.00001", "2405.00004"]);
    });
  });
}
