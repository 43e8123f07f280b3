import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { type ArxivId, parseCategory } from "../../src/core/index.ts";
import { syncHandlers, syncSchedules } from "../../src/jobs/handlers.ts";
import { enqueueDueJobs } from "../../src/jobs/schedule.ts";
import { syncArxivCategories } from "../../src/jobs/sync-arxiv-categories.ts";
import { Worker } from "../../src/jobs/worker.ts";
import type { Store } from "../../src/store/store.ts";
import {
  ARXIV_API_PATH,
  type FakeArxivApi,
  recordedBody,
  recordedPapers,
  startFakeArxivApi,
} from "../fakes/arxiv-api.ts";
import { runCli } from "../helpers/cli.ts";
import { buildArxivRecord, buildHfRecord, cats, id } from "../helpers/factories.ts";
import { repoRoot } from "../helpers/paths.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";
import { testEnv, testSyncContext } from "../helpers/sync.ts";

const SOURCE = "arxiv-categories";
const recorded = recordedPapers();
/** Papers the recordings hold, in id order, each with the categories its recorded entry names. */
const known = [...recorded.entries.entries()]
  .map(([paperId, entry]) => ({
    id: id(paperId),
    categories: [...entry.xml.matchAll(/<category term="([^"]+)"/g)].map((m) => m[1] ?? ""),
  }))
  .sort((a, b) => (a.id < b.id ? -1 : 1));
/** A well-formed id the fake is told arXiv has no paper for. */
const unknownId = id("quant-ph/0201999");

const idsAsked = (arxiv: FakeArxivApi, from = 0): string[][] =>
  arxiv.requests.slice(from).map((r) => (r.url.searchParams.get("id_list") ?? "").split(","));

/** Papers as Hugging Face gives them: no categories, no versions. */
async function seedHfPapers(store: Store, ids: readonly ArxivId[]): Promise<void> {
  await store.ingest({ papers: ids.map((paperId) => buildHfRecord({ id: paperId })) });
}

async function categoriesOf(store: Store, ids: readonly ArxivId[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const paperId of ids) out.set(paperId, (await store.getPaper(paperId))?.categories ?? []);
  return out;
}

for (const kind of ["sqlite", "postgres"] as StoreKind[])
  describe(`arXiv categories for Hugging Face's papers, on ${kind}`, () => {
    let arxiv: FakeArxivApi;
    let db: TestDatabase;
    let store: Store;
    before(async () => {
      arxiv = await startFakeArxivApi({ holdTurns: 0, unknownIds: [unknownId] });
    });
    after(async () => {
      assert.deepEqual(arxiv.unplanned, []);
      await arxiv.close();
    });
    const fresh = async () => {
      if (store) {
        await store.close();
        await db.drop();
      }
      db = await createTestDatabase(kind);
      store = await db.open();
      arxiv.requests.length = 0;
    };
    after(async () => {
      if (!store) return;
      await store.close();
      await db.drop();
    });
    const ctx = () => testSyncContext(store, { arxivApi: `${arxiv.url}${ARXIV_API_PATH}` });

    test("fills categories in batches of ids; category pages then list the papers; a second run doubles nothing", async () => {
      await fresh();
      const papers = known.slice(0, 24);
      const ids = [...papers.map((p) => p.id), unknownId].toSorted();
      await seedHfPapers(store, ids);
      const categorised = id("2405.00001");
      await store.ingest({ papers: [buildArxivRecord({ id: categorised, categories: cats("cs.LG") })] });

      const report = await syncArxivCategories(ctx(), { batchSize: 10 });
      assert.deepEqual(
        idsAsked(arxiv),
        [ids.slice(0, 10), ids.slice(10, 20), ids.slice(20)],
        "ids in order, 10 per request; a paper with categories is never asked for",
      );
      assert.equal(report.papers.updated, papers.length);
      assert.deepEqual(report.problems, [{ where: unknownId, reason: "arXiv has no paper with this id" }]);
      const got = await categoriesOf(store, ids);
      for (const p of papers) assert.deepEqual(got.get(p.id), p.categories, p.id);
      assert.deepEqual(got.get(unknownId), [], "an id arXiv does not know keeps its paper as it was");
      assert.deepEqual((await store.getSourceState(SOURCE))?.cursor, { after: null }, "the pass is complete");

      // The lookup rows were rebuilt: category lists and filters find the papers.
      const sample = papers[0];
      assert.ok(sample);
      const primary = parseCategory(sample.categories[0] ?? "");
      const listed = await store.listings.byCategory(primary, { perPage: 100 });
      const expected = papers.filter((p) => p.categories.includes(primary)).map((p) => p.id);
      assert.deepEqual(listed.items.map((i) => i.paper.id).toSorted(), expected.toSorted());
      // The category filter of search and of digests' "New in <category>" sections.
      const filtered = await store.search.filter({
        filters: { categories: [primary] },
        sort: "date",
        limit: 100,
      });
      assert.deepEqual(filtered.hits.map((h) => h.paper.id).toSorted(), expected.toSorted());

      const before = await store.stats();
      const asked = arxiv.requests.length;
      const again = await syncArxivCategories(ctx(), { batchSize: 10 });
      assert.deepEqual(idsAsked(arxiv, asked), [[unknownId]], "only the paper still without categories");
      assert.deepEqual(again.papers, { added: 0, updated: 0, unchanged: 0 });
      assert.deepEqual(await store.stats(), before);
      const relisted = await store.listings.byCategory(primary, { perPage: 100 });
      assert.equal(relisted.total, listed.total, "no paper listed twice");
    });

    test("a 503 stops the run with a clear error, keeps the batches stored, and the next run resumes after them", async () => {
      await fresh();
      const ids = known.slice(0, 25).map((p) => p.id);
      await seedHfPapers(store, ids);
      let down = true;
      const secondBatch = (url: URL) => down && url.searchParams.get("id_list")?.split(",")[0] === ids[10];
      arxiv.inject(secondBatch, { status: 503, body: "Service Unavailable" }, 100);

      await assert.rejects(syncArxivCategories(ctx(), { batchSize: 10 }), (error: Error) => {
        assert.match(error.message, /503/);
        return true;
      });
      const state = await store.getSourceState(SOURCE);
      assert.match(state?.lastError ?? "", /503/, "the failure is recorded for `paperboy status`");
      assert.deepEqual(state?.cursor, { after: ids[9] });
      const got = await categoriesOf(store, ids);
      assert.ok(
        ids.slice(0, 10).every((paperId) => (got.get(paperId) ?? []).length > 0),
        "the first batch is kept",
      );
      assert.ok(ids.slice(10).every((paperId) => (got.get(paperId) ?? []).length === 0));

      down = false; // arXiv is back.
      const from = arxiv.requests.length;
      const resumed = await syncArxivCategories(ctx(), { batchSize: 10 });
      assert.deepEqual(idsAsked(arxiv, from), [ids.slice(10, 20), ids.slice(20)]);
      assert.equal(resumed.papers.updated, 15);
      assert.equal((await store.getSourceState(SOURCE))?.failingSince, null, "no longer failing");
      assert.deepEqual(await store.papersWithoutCategories({ limit: 100 }), []);
    });

    test("an id arXiv refuses costs only itself, not its batch", async () => {
      await fresh();
      const ids = known.slice(0, 8).map((p) => p.id);
      await seedHfPapers(store, ids);
      const refused = ids[5] ?? "";
      // arXiv's answer to an id it cannot read, as recorded: HTTP 400 and an error feed.
      arxiv.inject(
        (url) => (url.searchParams.get("id_list")?.split(",") ?? []).includes(refused),
        { status: 400, body: recordedBody("id_abc_") },
        100,
      );
      const report = await syncArxivCategories(ctx());
      assert.equal(report.papers.updated, 7);
      assert.equal(report.problems.length, 1);
      assert.equal(report.problems[0]?.where, refused);
      assert.match(report.problems[0]?.reason ?? "", /HTTP 400/);
      assert.deepEqual(await store.papersWithoutCategories({ limit: 100 }), [refused]);
    });
  });

test("the worker runs the categories job after each scheduled Hugging Face sync", async () => {
  const arxiv = await startFakeArxivApi({ holdTurns: 0 });
  const db = await createTestDatabase("sqlite");
  const store = await db.open();
  try {
    const ids = known.slice(0, 5).map((p) => p.id);
    await seedHfPapers(store, ids);
    const base = testSyncContext(store, { arxivApi: `${arxiv.url}${ARXIV_API_PATH}` });
    const schedules = syncSchedules(
      { schedules: { hf: "*/30 * * * *", arxiv: null, stars: null }, flagFailingAfterMs: 0 },
      [],
    );
    assert.deepEqual(
      schedules.flatMap((s) => s.jobs(new Date()).map((j) => j.kind)),
      ["sync-hf", "sync-arxiv-categories"],
    );
    // Only the categories job here: the Hugging Face sync has its own tests.
    const categoriesOnly = schedules.map((s) => ({
      ...s,
      jobs: (slot: Date) => s.jobs(slot).filter((j) => j.kind === "sync-arxiv-categories"),
    }));
    assert.equal(await enqueueDueJobs(store, categoriesOnly, new Date(base.clock.now())), 1);
    const worker = new Worker({ store, handlers: syncHandlers(base), clock: base.clock });
    assert.equal((await worker.runOnce(new AbortController().signal))?.kind, "sync-arxiv-categories");
    assert.deepEqual(await store.papersWithoutCategories({ limit: 10 }), []);
    assert.deepEqual(
      (await store.listJobs()).map((j) => [j.kind, j.state]),
      [["sync-arxiv-categories", "succeeded"]],
    );
    assert.deepEqual(arxiv.unplanned, []);
  } finally {
    await store.close();
    await db.drop();
    await arxiv.close();
  }
});

/** Starts `paperboy sync arxiv-categories` and kills it with SIGKILL when the fake has received `requests`. */
function runAndKill(env: Record<string, string>, arxiv: FakeArxivApi, requests: number): Promise<string> {
  const seenBefore = arxiv.requests.length;
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [resolve(repoRoot, "bin", "paperboy.js"), "sync", "arxiv-categories"],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: "ignore",
      },
    );
    const watch = setInterval(() => {
      if (arxiv.requests.length - seenBefore >= requests) child.kill("SIGKILL");
    }, 2);
    child.on("error", fail);
    child.on("exit", (code, signal) => {
      clearInterval(watch);
      done(signal ?? `exit ${code}`);
    });
  });
}

describe("`paperboy sync arxiv-categories` killed with SIGKILL", () => {
  let arxiv: FakeArxivApi;
  let db: TestDatabase;
  before(async () => {
    arxiv = await startFakeArxivApi({ holdTurns: 0, unknownIds: [unknownId] });
    db = await createTestDatabase("sqlite");
  });
  after(async () => {
    assert.deepEqual(arxiv.unplanned, []);
    await arxiv.close();
    await db.drop();
  });

  test("resumes after the last batch stored and ends with every paper categorised once", async () => {
    const ids = [...known.map((p) => p.id), unknownId].toSorted();
    assert.ok(ids.length > 100, "more than one batch of 100");
    const store = await db.open();
    await seedHfPapers(store, ids);
    await store.close();
    const env = {
      ...testEnv({ arxivApi: `${arxiv.url}${ARXIV_API_PATH}` }),
      PAPERBOY_DB: db.url,
      PAPERBOY_ARXIV_INTERVAL_MS: "0",
    };

    // The second request never answers: the process is killed while it waits, after the first batch landed.
    arxiv.inject((url) => url.searchParams.get("id_list")?.split(",")[0] === ids[100], { hang: true });
    assert.equal(await runAndKill(env, arxiv, 2), "SIGKILL");
    const from = arxiv.requests.length;
    const rerun = await runCli(["sync", "arxiv-categories", "--json"], env);
    assert.equal(rerun.code, 4, `partial: arXiv lacks one id\n${rerun.stderr}\n${rerun.stdout}`);
    const report = JSON.parse(rerun.stdout) as { papers: { updated: number }; problems: { where: string }[] };
    assert.deepEqual(idsAsked(arxiv, from), [ids.slice(100)], "only what the killed run did not store");
    assert.equal(report.papers.updated, ids.length - 100 - 1);
    assert.deepEqual(
      report.problems.map((p) => p.where),
      [unknownId],
    );

    const reopened = await db.open();
    try {
      assert.equal((await reopened.stats()).papers, ids.length, "no paper doubled or lost");
      assert.deepEqual(await reopened.papersWithoutCategories({ limit: 1000 }), [unknownId]);
      const got = await categoriesOf(reopened, ids);
      for (const p of known) assert.deepEqual(got.get(p.id), p.categories, p.id);
    } finally {
      await reopened.close();
    }
  });
});
