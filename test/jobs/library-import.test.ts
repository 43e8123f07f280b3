import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { toTimestamp } from "../../src/core/index.ts";
import { syncHandlers } from "../../src/jobs/handlers.ts";
import {
  importLibrary,
  LIBRARY_FETCH,
  LibraryFileTooLarge,
  matchTitle,
  TITLE_MATCH_THRESHOLD,
  titleSimilarity,
} from "../../src/jobs/library-import.ts";
import { Worker } from "../../src/jobs/worker.ts";
import type { ManualClock } from "../../src/net/clock.ts";
import { MAX_LIBRARY_FILE_BYTES } from "../../src/sources/library/index.ts";
import { ARXIV_API_PATH, type FakeArxivApi, startFakeArxivApi } from "../fakes/arxiv-api.ts";
import { makeUser } from "../helpers/community.ts";
import { buildArxivRecord, id } from "../helpers/factories.ts";
import { createTestDatabase, type StoreKind } from "../helpers/stores.ts";
import { testSyncContext } from "../helpers/sync.ts";

const TIDES = "Sparse Buoys Reveal Tidal Flow in Shallow Coastal Estuaries at Night";
const LATTICE = "Counting Lattice Paths with Weighted Steps";

/** A member's export from some reference manager, in the shapes such files take. */
const FILE = `@article{ge2024,
  title = {ConvLLaVA: Hierarchical Backbones as Visual Encoder},
  eprint = {2405.15738},
  archivePrefix = {arXiv},
  keywords = {Vision; Multimodal (LMM)},
}

@inproceedings{tides,
  title = {Sparse buoys reveal tidal flow in shallow coastal {E}stuaries at night},
  author = {Okafor, Ngozi},
}

@misc{tidesAgain,
  title = {Dense buoys reveal tidal flow in shallow coastal estuaries by day},
}

@misc{heatbath,
  title = {Heat-bath random walks with Markov bases},
  doi = {10.48550/arXiv.1605.08386},
  keywords = {sampling},
}

@article{journalOnly,
  title = {A Study Nobody Posted to arXiv},
  doi = {10.1000/journal.77},
}

@misc{broken,
  title = {Missing its closing brace,
}
`;

describe("library import: resolution, fetch and idempotence", () => {
  let arxiv: FakeArxivApi;
  before(async () => {
    arxiv = await startFakeArxivApi({ holdTurns: 1 });
  });
  after(async () => {
    assert.deepEqual(arxiv.unplanned, []);
    await arxiv.close();
  });

  test("titles match at the pinned threshold: one word in ten changed passes, two do not", () => {
    assert.equal(TITLE_MATCH_THRESHOLD, 0.9);
    const ten = "one two three four five six seven eight nine ten";
    assert.equal(titleSimilarity(ten, "One, two: three FOUR five six seven eight nine ten."), 1);
    assert.equal(titleSimilarity(ten, "one two three four five six seven eight nine eleven"), 0.9);
    assert.equal(titleSimilarity(ten, "one two three four five six seven eight twelve eleven"), 0.8);
    assert.equal(titleSimilarity('G\\"odel numbering', "Gödel Numbering"), 1);
  });

  for (const kind of ["sqlite", "postgres"] as StoreKind[])
    test(`id, then title, then a queued arXiv fetch; the same file twice changes nothing (${kind})`, async () => {
      const db = await createTestDatabase(kind);
      const store = await db.open();
      try {
        await store.ingest({
          papers: [
            buildArxivRecord(),
            buildArxivRecord({ id: id("2301.00001"), title: TIDES, abstract: "Buoys." }),
            buildArxivRecord({ id: id("2301.00002"), title: LATTICE, abstract: "Paths." }),
          ],
        });
        const user = await makeUser(store);
        const ctx = testSyncContext(store, { arxivApi: `${arxiv.url}${ARXIV_API_PATH}` });
        const now = new Date(ctx.clock.now());
        const first = await importLibrary({ store, userId: user.id, file: FILE, tags: ["From Zotero"], now });
        assert.equal(first.format, "bibtex");
        assert.equal(first.entries, 5);
        assert.equal(first.imported, 1);
        assert.equal(first.matchedByTitle, 1);
        assert.equal(first.fetching, 1);
        assert.equal(first.alreadyInLibrary, 0);
        assert.deepEqual(
          first.notFound.map((n) => [n.line, n.label]),
          [
            [13, "tidesAgain"],
            [23, "journalOnly"],
          ],
        );
        assert.match(first.notFound[1]?.reason ?? "", /10\.1000\/journal\.77 is not an arXiv DOI/);
        assert.deepEqual(
          first.invalid.map((p) => p.line),
          [28],
        );

        const library = async () =>
          (await store.community.library(user.id, { limit: 200 })).items.map((i) => [i.paperId, i.tags]);
        assert.deepEqual(await library(), [
          ["2301.00001", ["from zotero"]],
          ["2405.15738", ["from zotero", "multimodal lmm", "vision"]],
        ]);
        const jobs = await store.listJobs();
        assert.deepEqual(
          jobs.map((j) => [j.kind, j.payload]),
          [
            [
              LIBRARY_FETCH,
              { userId: user.id, papers: [{ paperId: "1605.08386", tags: ["from zotero", "sampling"] }] },
            ],
          ],
        );

        // The worker fetches the paper through the (fake) arXiv API and adds it.
        const worker = new Worker({ store, handlers: syncHandlers(ctx), clock: ctx.clock });
        const ran = await worker.runOnce();
        assert.equal(ran?.kind, LIBRARY_FETCH);
        assert.equal((await store.getJob(ran?.id ?? ""))?.state, "succeeded");
        assert.equal(
          (await store.getPaper(id("1605.08386")))?.title,
          "Heat-bath random walks with Markov bases",
        );
        const afterFetch = await library();
        assert.deepEqual(afterFetch.find(([paper]) => paper === "1605.08386")?.[1], [
          "from zotero",
          "sampling",
        ]);

        const again = await importLibrary({ store, userId: user.id, file: FILE, tags: ["From Zotero"], now });
        assert.deepEqual(
          [
            again.imported,
            again.matchedByTitle,
            again.fetching,
            again.alreadyInLibrary,
            again.notFound.length,
          ],
          [0, 0, 0, 3, 2],
        );
        assert.deepEqual(await library(), afterFetch);
        assert.equal((await store.listJobs()).length, 1);
      } finally {
        await store.close();
        await db.drop();
      }
    });

  test("a fetch whose worker died is taken over once its lease runs out, and adds the paper once", async () => {
    const db = await createTestDatabase("sqlite");
    const store = await db.open();
    try {
      const user = await makeUser(store);
      const ctx = testSyncContext(store, { arxivApi: `${arxiv.url}${ARXIV_API_PATH}` });
      const clock = ctx.clock as ManualClock;
      const now = new Date(clock.now());
      await importLibrary({ store, userId: user.id, file: "arXiv:1605.08386\n", now });
      // A worker claims the job and dies without finishing it.
      const claimed = await store.claimJob("dead-worker", {
        leaseMs: 60_000,
        now: toTimestamp(now),
      });
      assert.equal(claimed?.kind, LIBRARY_FETCH);
      const worker = new Worker({ store, handlers: syncHandlers(ctx), clock, workerId: "live-worker" });
      assert.equal(await worker.runOnce(), null, "the lease still holds");
      clock.advance(61_000);
      const ran = await worker.runOnce();
      assert.equal(ran?.id, claimed?.id);
      const job = await store.getJob(claimed?.id ?? "");
      assert.equal(job?.state, "succeeded");
      assert.equal(job?.attempts, 2);
      const items = (await store.community.library(user.id)).items.map((i) => i.paperId);
      assert.deepEqual(items, ["1605.08386"]);
    } finally {
      await store.close();
      await db.drop();
    }
  });

  test("a title search finds the stored paper only above the threshold; a file over the limit stores nothing", async () => {
    const db = await createTestDatabase("sqlite");
    const store = await db.open();
    try {
      await store.ingest({
        papers: [buildArxivRecord({ id: id("2301.00001"), title: TIDES, abstract: "Buoys and tides." })],
      });
      // Eleven words: one changed keeps 10 of 11 shared (0.91), two changed leave 9 of 11 (0.82).
      assert.equal(await matchTitle(store, TIDES.replace("Night", "Dusk")), "2301.00001");
      assert.equal(await matchTitle(store, TIDES.replace("Night", "Dusk").replace("Sparse", "Dense")), null);

      const user = await makeUser(store);
      // Papers to fetch go 100 to a job (one arXiv request each); the same list again queues nothing more.
      const list = Array.from(
        { length: 101 },
        (_, i) => `https://arxiv.org/abs/2302.${String(i).padStart(5, "0")}`,
      );
      for (let round = 0; round < 2; round++) {
        const summary = await importLibrary({ store, userId: user.id, file: list.join("\n") });
        assert.equal(summary.fetching, 101);
        const jobs = await store.listJobs();
        assert.deepEqual(jobs.map((j) => (j.payload.papers as unknown[]).length).sort(), [1, 100]);
      }
      const huge = `2301.00001\n${"%".repeat(MAX_LIBRARY_FILE_BYTES)}`;
      await assert.rejects(importLibrary({ store, userId: user.id, file: huge }), LibraryFileTooLarge);
      assert.equal((await store.community.library(user.id)).total, 0);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
