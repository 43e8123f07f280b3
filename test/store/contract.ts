import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { stableJson } from "../../src/core/index.ts";
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

/** Everything the store holds, as text: equal text means equal content, timestamps included. */
export async function dumpStore(store: Store): Promise<string> {
  const papers = [];
  for await (const p of store.iteratePapers({ batchSize: 7 })) papers.push(p);
  const daily = [];
  for await (const d of store.iterateDailyEntries({ batchSize: 7 })) daily.push(d);
  return stableJson({ papers, daily });
}

const T1 = ts("2026-01-01T00:00:00Z");
const T2 = ts("2026-01-02T00:00:00Z");
const T3 = ts("2026-01-03T00:00:00Z");

/**
 * The behaviour every Store must have. Each implementation's test file calls this once; every test gets a
 * fresh database so none depends on another.
 */
export function storeContract(kind: StoreKind): void {
  describe(`Store contract: ${kind}`, () => {
    let store: Store;
    const fresh = useFreshStore(kind, (s) => {
      store = s;
    });

    test("migrations apply once; a second run applies nothing", async () => {
      assert.deepEqual(await store.migrate(), []);
    });

    test("a new paper is added with every field, and reads back the same", async () => {
      await fresh();
      const record = buildArxivRecord({
        versions: [
          { version: 1, date: ts("2024-05-24T17:59:59Z") },
          { version: 2, date: ts("2024-06-01T10:00:00Z") },
        ],
        doi: "10.1000/xyz",
        journalRef: "CVPR 2025",
        reportNo: "REP-1",
      });
      const result = await store.ingest({ papers: [record] }, T1);
      assert.deepEqual(result.papers, { added: 1, updated: 0, unchanged: 0 });
      const paper = await store.getPaper(record.id);
      assert.ok(paper);
      assert.equal(paper.title, record.title);
      assert.equal(paper.abstract, record.abstract);
      assert.deepEqual(paper.authors, record.authors);
      assert.deepEqual(paper.categories, ["cs.CV", "cs.CL"]);
      assert.deepEqual(
        paper.versions.map((v) => v.version),
        [1, 2],
      );
      assert.equal(paper.publishedAt, "2024-05-24T17:59:59.000Z");
      assert.equal(paper.doi, "10.1000/xyz");
      assert.equal(paper.journalRef, "CVPR 2025");
      assert.equal(paper.reportNo, "REP-1");
      assert.equal(paper.license, record.license);
      assert.equal(paper.comments, "17 pages");
      assert.deepEqual(paper.links, {
        abs: "https://arxiv.org/abs/2405.15738",
        pdf: "https://arxiv.org/pdf/2405.15738",
        code: null,
        project: null,
      });
      assert.deepEqual(paper.sources, ["arxiv-snapshot"]);
      assert.equal(paper.firstSeenAt, T1);
      assert.equal(paper.lastUpdatedAt, T1);
      assert.equal(await store.getPaper(id("2405.99999")), null);
    });

    test("the same input twice leaves the content byte-for-byte the same", async () => {
      await fresh();
      const batch = {
        papers: [buildArxivRecord(), buildHfRecord(), buildArxivRecord({ id: id("hep-th/9901001") })],
        daily: [buildDailyRecord()],
      };
      await store.ingest(batch, T1);
      const first = await dumpStore(store);
      const again = await store.ingest(batch, T2);
      assert.deepEqual(again.papers, { added: 0, updated: 0, unchanged: 3 });
      assert.deepEqual(again.daily, { added: 0, updated: 0, unchanged: 1 });
      assert.equal(await dumpStore(store), first);
    });

    test("a newer version replaces the bibliographic fields and extends the versions", async () => {
      await fresh();
      await store.ingest({ papers: [buildArxivRecord()] }, T1);
      const v2 = buildArxivRecord({
        sources: ["arxiv-api"],
        versions: [{ version: 2, date: ts("2024-07-01T00:00:00Z") }],
        title: "ConvLLaVA v2",
        authors: ["Chunjiang Ge", "New Author"],
        categories: cats("cs.LG"),
        journalRef: "NeurIPS",
      });
      const result = await store.ingest({ papers: [v2] }, T2);
      assert.equal(result.papers.updated, 1);
      const paper = await store.getPaper(v2.id);
      assert.equal(paper?.title, "ConvLLaVA v2");
      assert.deepEqual(paper?.authors, ["Chunjiang Ge", "New Author"]);
      assert.deepEqual(paper?.categories, ["cs.LG"]);
      assert.equal(paper?.journalRef, "NeurIPS");
      assert.deepEqual(
        paper?.versions.map((v) => v.version),
        [1, 2],
      );
      assert.equal(paper?.publishedAt, "2024-05-24T17:59:59.000Z", "published date stays that of v1");
      assert.deepEqual(paper?.sources, ["arxiv-api", "arxiv-snapshot"]);
      assert.equal(paper?.firstSeenAt, T1);
      assert.equal(paper?.lastUpdatedAt, T2);
    });

    test("an older or equal version changes nothing", async () => {
      await fresh();
      const v2 = buildArxivRecord({
        versions: [
          { version: 1, date: ts("2024-05-24T17:59:59Z") },
          { version: 2, date: ts("2024-07-01T00:00:00Z") },
        ],
        title: "Second version",
      });
      await store.ingest({ papers: [v2] }, T1);
      const before = await dumpStore(store);
      const older = buildArxivRecord({ title: "First version" });
      const equal = buildArxivRecord({ versions: v2.versions, title: "Same version, other text" });
      const result = await store.ingest({ papers: [older, equal] }, T2);
      assert.deepEqual(result.papers, { added: 0, updated: 0, unchanged: 2 });
      assert.equal(await dumpStore(store), before);
    });

    test("a record without versions fills gaps but never overrides arXiv's text", async () => {
      await fresh();
      await store.ingest({ papers: [buildArxivRecord({ comments: null })] }, T1);
      await store.ingest({ papers: [buildHfRecord({ comments: "from HF" })] }, T2);
      const paper = await store.getPaper(id("2405.15738"));
      assert.equal(paper?.title, "ConvLLaVA: Hierarchical Backbones as Visual Encoder", "arXiv title kept");
      assert.deepEqual(paper?.authors, ["Chunjiang Ge", "Sijie Cheng", "Ziming Wang"]);
      assert.equal(paper?.comments, "from HF", "an empty field is filled");
      assert.equal(paper?.links.code, "https://github.com/alibaba/conv-llava");
      assert.equal(paper?.githubStars, 120);
      assert.equal(paper?.aiSummary, "A hierarchical backbone replaces ViT.");
      assert.deepEqual(paper?.aiKeywords, ["ConvNeXt", "LMM"]);
      assert.deepEqual(paper?.sources, ["arxiv-snapshot", "hf-daily"]);
    });

    test("arXiv data arriving after a Hugging Face record takes over the bibliographic fields", async () => {
      await fresh();
      await store.ingest({ papers: [buildHfRecord()] }, T1);
      await store.ingest({ papers: [buildArxivRecord()] }, T2);
      const paper = await store.getPaper(id("2405.15738"));
      assert.equal(paper?.title, "ConvLLaVA: Hierarchical Backbones as Visual Encoder");
      assert.deepEqual(paper?.categories, ["cs.CV", "cs.CL"]);
      assert.equal(paper?.githubStars, 120, "enrichments stay");
    });

    test("an older observation never rolls enrichments back, in any import order", async () => {
      await fresh();
      const early = buildHfRecord({ githubStars: 10, observedAt: ts("2024-05-27T00:00:00Z") });
      const late = buildHfRecord({ githubStars: 99, observedAt: ts("2024-06-10T00:00:00Z") });
      await store.ingest({ papers: [late] }, T1);
      const result = await store.ingest({ papers: [early] }, T2);
      assert.equal(result.papers.unchanged, 1);
      assert.equal((await store.getPaper(late.id))?.githubStars, 99);
      await store.ingest({ papers: [early, late] }, T3);
      assert.equal((await store.getPaper(late.id))?.githubStars, 99);
    });

    test("a paper twice in one batch counts once as added", async () => {
      await fresh();
      const result = await store.ingest({ papers: [buildArxivRecord(), buildArxivRecord()] }, T1);
      assert.deepEqual(result.papers, { added: 1, updated: 0, unchanged: 1 });
      assert.equal((await store.stats()).papers, 1);
    });

    test("daily entries: re-syncing a day updates counts without duplicating", async () => {
      await fresh();
      await store.ingest({ papers: [buildHfRecord()], daily: [buildDailyRecord({ upvotes: 10 })] }, T1);
      const result = await store.ingest(
        { papers: [], daily: [buildDailyRecord({ upvotes: 42, numComments: 5 })] },
        T2,
      );
      assert.deepEqual(result.daily, { added: 0, updated: 1, unchanged: 0 });
      const entries = await store.dailyEntries(day("2024-05-27"));
      assert.equal(entries.length, 1);
      assert.equal(entries[0]?.upvotes, 42);
      assert.equal(entries[0]?.numComments, 5);
      assert.equal(entries[0]?.firstSeenAt, T1);
      assert.equal(entries[0]?.lastUpdatedAt, T2);
      assert.deepEqual(entries[0]?.submitter, { name: "akhaliq", fullname: "AK" });
      assert.equal((await store.stats()).dailyEntries, 1);
    });

    test("a daily entry for a paper the store does not have is rejected, the rest lands", async () => {
      await fresh();
      const result = await store.ingest(
        {
          papers: [buildHfRecord()],
          daily: [buildDailyRecord(), buildDailyRecord({ paperId: id("2401.00001") })],
        },
        T1,
      );
      assert.equal(result.daily.added, 1);
      assert.equal(result.rejectedDaily.length, 1);
      assert.match(result.rejectedDaily[0]?.reason ?? "", /2401\.00001 is not in the store/);
    });

    test("a day's entries come most upvoted first", async () => {
      await fresh();
      const ids = ["2405.00001", "2405.00002", "2405.00003"].map(id);
      await store.ingest(
        {
          papers: ids.map((paperId) => buildHfRecord({ id: paperId })),
          daily: ids.map((paperId, i) => buildDailyRecord({ paperId, upvotes: [5, 50, 20][i] ?? 0 })),
        },
        T1,
      );
      const entries = await store.dailyEntries(day("2024-05-27"));
      assert.deepEqual(
        entries.map((e) => e.paperId),
        ["2405.00002", "2405.00003", "2405.00001"],
      );
      assert.deepEqual(await store.dailyEntries(day("2024-05-28")), []);
    });

    test("iteration returns every paper once, in byte order of ids, across batch boundaries", async () => {
      await fresh();
      const ids = [
        "hep-th/9901001",
        "2405.15738",
        "0704.0001",
        "acc-phys/9411001",
        "math/0309136",
        "1501.00001",
      ];
      await store.ingest({ papers: ids.map((s) => buildArxivRecord({ id: id(s) })) }, T1);
      const seen: string[] = [];
      for await (const p of store.iteratePapers({ batchSize: 2 })) seen.push(p.id);
      assert.deepEqual(seen, [...ids].sort());
    });

    test("getPapers keeps the order asked for and skips unknown ids", async () => {
      await fresh();
      await store.ingest(
        { papers: ["2405.00001", "2405.00002"].map((s) => buildArxivRecord({ id: id(s) })) },
        T1,
      );
      const papers = await store.getPapers([id("2405.00002"), id("2405.09999"), id("2405.00001")]);
      assert.deepEqual(
        papers.map((p) => p.id),
        ["2405.00002", "2405.00001"],
      );
    });

    test("stats count papers per source and give the newest dates", async () => {
      await fresh();
      await store.ingest(
        {
          papers: [buildArxivRecord(), buildHfRecord(), buildHfRecord({ id: id("2406.00001") })],
          daily: [
            buildDailyRecord(),
            buildDailyRecord({ date: day("2024-06-03"), paperId: id("2406.00001") }),
          ],
        },
        T1,
      );
      const stats = await store.stats();
      assert.equal(stats.papers, 2);
      assert.equal(stats.dailyEntries, 2);
      assert.equal(stats.dailyDays, 2);
      assert.deepEqual(stats.papersBySource, { "arxiv-snapshot": 1, "hf-daily": 2 });
      assert.equal(stats.newestDailyDate, "2024-06-03");
      assert.equal(stats.oldestDailyDate, "2024-05-27");
      assert.equal(stats.newestPublishedAt, "2024-05-24T17:59:59.000Z");
      assert.equal(stats.lastUpdatedAt, T1);
    });

    test("an empty store has zero counts and no dates", async () => {
      await fresh();
      const stats = await store.stats();
      assert.deepEqual(stats, {
        papers: 0,
        dailyEntries: 0,
        dailyDays: 0,
        papersBySource: {},
        newestPublishedAt: null,
        newestDailyDate: null,
        oldestDailyDate: null,
        lastUpdatedAt: null,
      });
    });

    test("batches larger than one statement's parameter limit are written whole", async () => {
      await fresh();
      const papers = Array.from({ length: 3000 }, (_, i) =>
        buildArxivRecord({ id: id(`2501.${String(i + 1).padStart(5, "0")}`) }),
      );
      const daily = papers.map((p) => buildDailyRecord({ paperId: p.id }));
      const result = await store.ingest({ papers, daily }, T1);
      assert.equal(result.papers.added, 3000);
      assert.equal(result.daily.added, 3000);
      const again = await store.ingest({ papers, daily }, T2);
      assert.equal(again.papers.unchanged, 3000);
      assert.equal(again.daily.unchanged, 3000);
    });

    test("concurrent overlapping ingests never duplicate a paper or a daily entry", async () => {
      await fresh();
      // On PostgreSQL these run on separate pooled connections at once; on SQLite they queue for the writer.
      // (Separate processes are covered by the import tests.)
      const ids = Array.from({ length: 200 }, (_, i) => id(`2502.${String(i + 1).padStart(5, "0")}`));
      const slices = [0, 20, 40, 60, 80, 100].map((start) => ids.slice(start, start + 100));
      const results = await Promise.all(
        slices.map((slice) =>
          store.ingest({
            papers: slice.map((pid) => buildHfRecord({ id: pid })),
            daily: slice.map((paperId) => buildDailyRecord({ paperId })),
          }),
        ),
      );
      const added = results.reduce((n, r) => n + r.papers.added, 0);
      const dailyAdded = results.reduce((n, r) => n + r.daily.added, 0);
      const stats = await store.stats();
      assert.equal(stats.papers, 200);
      assert.equal(added, 200, "each paper was added exactly once");
      assert.equal(dailyAdded, stats.dailyEntries, "each daily entry was added exactly once");
    });

    test("a failed ingest rolls back everything it wrote", async () => {
      await fresh();
      const before = await dumpStore(store);
      const good = buildArxivRecord({ id: id("2405.00001") });
      // Papers are written first; the daily entry's NUL byte (which PostgreSQL cannot store, and which the
      // store therefore refuses on every dialect) fails the transaction after they were.
      const bad = buildDailyRecord({ paperId: good.id, date: day("2024-05-27\u0000") });
      await assert.rejects(store.ingest({ papers: [good], daily: [bad] }, T1));
      assert.equal(await dumpStore(store), before);
    });
  });
}
