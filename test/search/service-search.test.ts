import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { ArxivId } from "../../src/core/index.ts";
import { silentLogger } from "../../src/log.ts";
import { buildSearchEngine } from "../../src/search/service/build.ts";
import { EngineFiles } from "../../src/search/service/engine-files.ts";
import { createSearchService, type SearchService } from "../../src/search/service/index.ts";
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, id, ts } from "../helpers/factories.ts";
import { newerPaper, searchPapers, TEST_ENGINE } from "../helpers/search-papers.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";

const HOSTILE = [
  "'; drop table papers; --",
  'robert"); DELETE FROM papers; --',
  "adaptation OR 1=1",
  "NEAR(test adaptation) AND NOT * ^ { } [ ] \\",
  "$\\alpha$ \\frac{1}{2} protein",
  "🧬🧪 protein ☃",
  "\u0000 adaptation \u0000",
  "author:",
  'author:"',
  "cat:zzz since:2024-13-45 diffusion",
  "-",
  '"""',
  "x".repeat(10_000),
  "merging ".repeat(2_000),
  "the of and",
  "since:2025-01-01 until:2024-01-01 protein",
];

const ids = (hits: { paper: { id: string } }[]) => hits.map((h) => h.paper.id);

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`search service on ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    let dataDir: string;
    let service: SearchService;
    const build = () =>
      buildSearchEngine({
        store,
        files: new EngineFiles(dataDir),
        embedderName: "corpus",
        engine: TEST_ENGINE,
        logger: silentLogger,
      });

    before(async () => {
      db = await createTestDatabase(kind);
      store = await db.open();
      dataDir = mkdtempSync(join(tmpdir(), "paperboy-service-"));
      await store.ingest({ papers: searchPapers() });
      service = createSearchService({ store, dataDir, checkIntervalMs: 0, recountIntervalMs: 0 });
    });
    after(async () => {
      await store.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test("without an engine: the store's keyword search, and a note when search by meaning was asked", async () => {
      const r = await service.search({ q: "test-time adaptation", mode: "hybrid" });
      assert.equal(r.mode, "keyword");
      assert.equal(r.problem, null);
      assert.match(r.notes.join(" "), /not available until the search engine is built/);
      assert.ok(r.hits.length > 0);
      assert.ok(
        ids(r.hits)
          .slice(0, 3)
          .every((i) => ["2401.00001", "2401.00002", "2401.00003"].includes(i)),
      );
      const status = await service.status();
      assert.equal(status.engine, null);
      assert.equal(status.stale, true);
      assert.equal(status.storePapers, 24);
    });

    test("filters alone list the papers that pass them, in the requested order", async () => {
      const r = await service.search({ q: "cat:cs.CV", sort: "date" });
      assert.equal(r.problem, null);
      assert.equal(r.total, 6);
      assert.deepEqual(ids(r.hits), [
        "2401.00024",
        "2401.00023",
        "2401.00022",
        "2401.00021",
        "2401.00020",
        "2401.00019",
      ]);
      const fromForm = await service.search({ q: "", filters: { authors: ["Rosalind Franklin"] } });
      assert.equal(fromForm.total, 6);
      assert.deepEqual(fromForm.filters.authors, ["Rosalind Franklin"]);
    });

    test("a query with nothing to search says so instead of listing everything", async () => {
      const r = await service.search({ q: "the of and" });
      assert.equal(r.hits.length, 0);
      assert.match(r.problem ?? "", /common words/);
    });

    test("with an engine: hybrid by default, the topic's papers first, highlights and upvotes filled", async () => {
      await build();
      const r = await service.search({ q: "test-time adaptation" });
      assert.equal(r.mode, "hybrid");
      assert.equal(r.problem, null);
      const top = ids(r.hits).slice(0, 3);
      assert.ok(
        top.every((i) => i >= "2401.00001" && i <= "2401.00006"),
        top.join(","),
      );
      const first = r.hits[0];
      assert.ok(first?.title.some((p) => p.match));
      assert.ok(first?.snippet.length);
      assert.equal(typeof first?.upvotes, "number");
      const status = await service.status();
      assert.equal(status.engine?.papers, 24);
      assert.equal(status.stale, false);
    });

    test("every mode runs through the engine, and keyword mode ranks by words", async () => {
      for (const mode of ["keyword", "vector", "hybrid"] as const) {
        const r = await service.search({ q: "protein structure prediction", mode, perPage: 5 });
        assert.equal(r.mode, mode);
        assert.ok(r.hits.length > 0, mode);
      }
      const k = await service.search({ q: "protein structure prediction", mode: "keyword", perPage: 3 });
      assert.ok(
        ids(k.hits).every((i) => i >= "2401.00013" && i <= "2401.00018"),
        ids(k.hits).join(","),
      );
    });

    test("filters cut the engine's ranking, and total counts only the papers that pass", async () => {
      const r = await service.search({ q: 'models author:"Alan Turing" until:2024-01-21', mode: "hybrid" });
      assert.equal(r.mode, "hybrid");
      assert.ok(r.hits.length > 0);
      for (const h of r.hits) {
        assert.ok(h.paper.authors.includes("Alan Turing"));
        assert.ok((h.paper.publishedAt ?? "") <= "2024-01-21T23:59:59Z");
      }
      assert.equal(r.total, r.hits.length);
      const combined = await service.search({
        q: "models",
        filters: { categories: ["cs.CL"] },
        perPage: 100,
      });
      assert.ok(combined.hits.every((h) => h.paper.categories.includes("cs.CL" as never)));
      assert.ok(combined.total <= 6);
    });

    test("a misspelt query gets a suggestion spelt as the papers spell it, keeping the query's form", async () => {
      const r = await service.search({ q: "Entropy minimisation for tset-time adaptation" });
      assert.equal(r.problem, null);
      assert.equal(
        r.suggestion,
        "Entropy minimization for test-time adaptation",
        "British spelling too: the papers say -ize",
      );
      assert.ok(r.hits.length > 0);
      const suffix = await service.search({ q: "entropy minimization for test-time adaptaton" });
      assert.equal(
        suffix.suggestion,
        "entropy minimization for test-time adaptation",
        "a typo in the suffix keeps the stemmer from cutting it: the term that begins the word is found",
      );
      const filtered = await service.search({ q: 'Protien strucure author:"Rosalind Protien"' });
      assert.equal(
        filtered.suggestion,
        'Protein structure author:"Rosalind Protien"',
        "a filter's value is never rewritten",
      );
      const unknown = await service.search({ q: "zebrafish adaptation" });
      assert.equal(unknown.suggestion, null, "no word a few edits away: nothing offered");
      const none = await service.search({ q: "Protien strucure" });
      assert.equal(none.suggestion, "Protein structure");
      const known = await service.search({ q: "protein structure prediction" });
      assert.equal(known.suggestion, null, "every word known: nothing to suggest");
      const later = await service.search({ q: "protien", page: 2 });
      assert.equal(later.suggestion, null, "suggested on the first page only");
    });

    test("a query that finds nothing gets its suggestion's papers, with the same filters, mode, sort and size", async () => {
      const r = await service.search({
        q: "protien foldng",
        mode: "keyword",
        perPage: 3,
        filters: { categories: ["q-bio.BM"] },
      });
      assert.equal(r.correctedFrom, "protien foldng");
      assert.equal(r.suggestion, "protein folding", "the query the results are for");
      assert.equal(r.problem, null);
      assert.equal(r.mode, "keyword");
      assert.equal(r.perPage, 3);
      assert.deepEqual(r.filters.categories, ["q-bio.BM"]);
      assert.equal(r.total, 6);
      // "Contact maps for protein folding" has the corrected words as typed and together.
      assert.deepEqual(ids(r.hits), ["2401.00015", "2401.00014", "2401.00013"]);
      assert.ok(
        r.hits[0]?.title.some((p) => p.match && /^folding$/i.test(p.text)),
        "the corrected words are highlighted",
      );

      const byDate = await service.search({ q: "protien", sort: "date", perPage: 4 });
      assert.equal(byDate.correctedFrom, "protien");
      assert.deepEqual(ids(byDate.hits), ["2401.00018", "2401.00017", "2401.00016", "2401.00015"]);

      const hybrid = await service.search({ q: "Protien strucure" });
      assert.equal(hybrid.correctedFrom, "Protien strucure");
      assert.equal(hybrid.mode, "hybrid");
      assert.ok(
        ids(hybrid.hits)
          .slice(0, 6)
          .every((i) => i >= "2401.00013" && i <= "2401.00018"),
        ids(hybrid.hits).join(","),
      );

      const later = await service.search({ q: "protien foldng", page: 2, perPage: 3 });
      assert.equal(later.correctedFrom, null, "corrected on the first page only");
      assert.equal(later.hits.length, 0);
    });

    test("a query with misspelt words gets its suggestion's papers, unless asked as typed", async () => {
      // "sampling" alone finds the six diffusion papers: what the typed query finds, as no paper has the others.
      const typedOnly = await service.search({ q: "sampling", mode: "keyword", perPage: 100 });
      assert.equal(typedOnly.total, 6);
      const r = await service.search({ q: "difusion modls sampling", mode: "keyword", perPage: 100 });
      assert.equal(r.suggestion, "diffusion models sampling");
      assert.equal(r.correctedFrom, "difusion modls sampling");
      assert.equal(r.typedHasResults, true, "the typed words find papers too: offer them");
      assert.equal(r.total, 19, 'the corrected words also find every paper with "model"');
      assert.equal(r.hits[0]?.paper.id, "2401.00020", "Faster sampling of diffusion models");

      const asTyped = await service.search({
        q: "difusion modls sampling",
        mode: "keyword",
        perPage: 100,
        spelling: "suggest",
      });
      assert.equal(asTyped.correctedFrom, null);
      assert.equal(asTyped.typedHasResults, false);
      assert.equal(asTyped.suggestion, "diffusion models sampling", "still suggested");
      assert.deepEqual(ids(asTyped.hits).sort(), ids(typedOnly.hits).sort());

      const one = await service.search({ q: "difusion models sampling guidance", mode: "keyword" });
      assert.equal(one.suggestion, "diffusion models sampling guidance");
      assert.equal(one.correctedFrom, "difusion models sampling guidance", "one word in four is enough");
      assert.equal(one.typedHasResults, true);
      const oneTyped = await service.search({
        q: "difusion models sampling guidance",
        mode: "keyword",
        spelling: "suggest",
      });
      assert.equal(oneTyped.correctedFrom, null);
      assert.equal(oneTyped.suggestion, "diffusion models sampling guidance");

      const empty = await service.search({ q: "protien foldng", mode: "keyword" });
      assert.equal(empty.correctedFrom, "protien foldng");
      assert.equal(empty.typedHasResults, false, "nothing to search instead for");
    });

    test("when the suggestion finds nothing either, the empty results stay with the suggestion", async () => {
      const cases = [
        [{ q: "protien foldng", mode: "keyword", filters: { categories: ["cs.CV"] } }, "protein folding"],
        [{ q: "Protien strucure cat:cs.CV", mode: "keyword" }, "Protein structure cat:cs.CV"],
      ] as const;
      for (const [query, suggestion] of cases) {
        const r = await service.search(query);
        assert.equal(r.correctedFrom, null, query.q);
        assert.equal(r.suggestion, suggestion);
        assert.equal(r.total, 0, query.q);
        assert.deepEqual(r.hits, [], query.q);
        assert.equal(r.problem, null, query.q);
        assert.deepEqual(r.filters.categories, ["cs.CV"], query.q);
      }
    });

    test("excluded words leave out the papers that have them", async () => {
      const r = await service.search({ q: "diffusion -latent", mode: "hybrid", perPage: 100 });
      assert.ok(r.hits.length > 0);
      for (const h of r.hits) assert.doesNotMatch(`${h.paper.title} ${h.paper.abstract}`, /latent/i);
    });

    test("pages do not overlap and keep the order of one long list", async () => {
      const all = await service.search({ q: "models", perPage: 12 });
      const first = await service.search({ q: "models", perPage: 6, page: 1 });
      const second = await service.search({ q: "models", perPage: 6, page: 2 });
      assert.deepEqual([...ids(first.hits), ...ids(second.hits)], ids(all.hits));
      assert.equal(first.total, all.total);
    });

    test("sorted by date, words only: the papers with every word, newest first", async () => {
      const r = await service.search({ q: "merging models", sort: "date", mode: "keyword", perPage: 100 });
      assert.equal(r.mode, "keyword");
      assert.ok(r.hits.length > 0);
      assert.equal(r.total, r.hits.length);
      for (const h of r.hits) {
        const text = `${h.paper.title} ${h.paper.abstract}`;
        assert.match(text, /merg/i);
        assert.match(text, /model/i);
      }
      const anyWord = await service.search({ q: "merging models", mode: "keyword", perPage: 100 });
      assert.ok(anyWord.total > r.total, "relevance still ranks papers with any of the words");
      const dates = r.hits.map((h) => h.paper.publishedAt ?? "");
      assert.deepEqual(dates, [...dates].sort().reverse());
    });

    test("sorted by upvotes, the reader's mode is kept, the all-words papers are in, pages agree", async () => {
      const words = await service.search({
        q: "merging models",
        sort: "upvotes",
        mode: "keyword",
        perPage: 100,
      });
      const all = await service.search({
        q: "merging models",
        sort: "upvotes",
        mode: "hybrid",
        perPage: 100,
      });
      assert.equal(all.mode, "hybrid");
      assert.ok(all.total >= words.total);
      assert.equal(all.total, all.hits.length);
      for (const id of ids(words.hits)) assert.ok(ids(all.hits).includes(id), id);
      const votes = all.hits.map((h) => h.upvotes);
      assert.deepEqual(
        votes,
        [...votes].sort((a, b) => b - a),
      );
      const paged: string[] = [];
      for (let page = 1; (page - 1) * 5 < all.total; page++) {
        const r = await service.search({ q: "merging models", sort: "upvotes", perPage: 5, page });
        assert.equal(r.total, all.total);
        paged.push(...ids(r.hits));
      }
      assert.deepEqual(paged, ids(all.hits));
    });

    test("a paper added after the build is still found, and ranked among the engine's hits", async () => {
      await store.ingest({ papers: [newerPaper()] });
      const r = await service.search({ q: "zebrafish regeneration" });
      assert.deepEqual(ids(r.hits), ["2402.00025"]);
      assert.match(r.notes.join(" "), /added since the search engine was last built/);
      const mixed = await service.search({ q: "regeneration protein structure", perPage: 50 });
      assert.ok(ids(mixed.hits).includes("2402.00025"));
      assert.ok(ids(mixed.hits).includes("2401.00013"));
      const filteredOut = await service.search({ q: "zebrafish cat:cs.LG" });
      assert.equal(filteredOut.hits.length, 0);
    });

    test("a newer build is picked up by a running service without a restart", async () => {
      const before = await service.status();
      await build();
      // The search that notices the build keeps the old engine; the swap follows once the new one is loaded.
      let r = await service.search({ q: "zebrafish regeneration" });
      for (let i = 0; i < 100 && r.notes.some((n) => /added since/.test(n)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        r = await service.search({ q: "zebrafish regeneration" });
      }
      assert.deepEqual(ids(r.hits).slice(0, 1), ["2402.00025"]);
      assert.doesNotMatch(r.notes.join(" "), /added since/);
      const after = await service.status();
      assert.equal(after.engine?.papers, 25);
      assert.notEqual(after.engine?.builtAt, before.engine?.builtAt);
    });

    test("similar papers: the topic's, never the paper itself nor another version of it", async () => {
      await store.ingest({
        papers: [
          buildArxivRecord({
            id: id("2403.00001"),
            title: "Test-time adaptation under  distribution shift",
            abstract: "A re-submission of the same work under a new identifier.",
            versions: [{ version: 1, date: ts("2024-03-01T00:00:00Z") }],
          }),
        ],
      });
      const similar = await service.similar("2401.00001" as ArxivId, 5);
      assert.equal(similar.length, 5);
      const got = ids(similar);
      assert.ok(!got.includes("2401.00001"));
      assert.ok(!got.includes("2403.00001"));
      assert.ok(
        got.slice(0, 3).every((i) => i >= "2401.00002" && i <= "2401.00006"),
        got.join(","),
      );
      const versioned = await service.similar("arXiv:2401.00001v2" as ArxivId, 5);
      assert.ok(!ids(versioned).includes("2401.00001"));
      assert.deepEqual(await service.similar("2409.99999" as ArxivId), []);
      await assert.rejects(service.similar("not-an-id" as ArxivId), /not an arXiv id/);
    });

    test("similar papers without an engine come from a keyword search on the paper's text", async () => {
      const emptyDir = mkdtempSync(join(tmpdir(), "paperboy-service-none-"));
      try {
        const plain = createSearchService({ store, dataDir: emptyDir });
        const similar = await plain.similar("2401.00013" as ArxivId, 3);
        assert.equal(similar.length, 3);
        assert.ok(ids(similar).every((i) => i !== "2401.00013" && i >= "2401.00014" && i <= "2401.00018"));
      } finally {
        rmSync(emptyDir, { recursive: true, force: true });
      }
    });

    test("hostile queries give results or a clear message, never a crash or an injection", async () => {
      for (const q of HOSTILE) {
        for (const mode of ["keyword", "hybrid"] as const) {
          const r = await service.search({ q, mode });
          assert.ok(Array.isArray(r.hits), q.slice(0, 30));
          if (r.problem !== null) assert.equal(r.hits.length, 0);
        }
      }
      const odd = await service.search({ q: "protein", page: -3, perPage: 10_000 });
      assert.equal(odd.page, 1);
      assert.equal(odd.perPage, 100);
      const far = await service.search({ q: "protein", page: 500, perPage: 100 });
      assert.equal(far.hits.length, 0);
      assert.ok(far.problem);
      assert.equal((await store.stats()).papers, 26);
    });

    test("a word a paper newer than the build uses is not corrected to a word the engine knows", async () => {
      // "protean" is one letter from "protein", which the engine knows; a newer paper uses it.
      await store.ingest({ papers: [{ ...newerPaper(40), title: "Protean folding landscapes" }] });
      const r = await service.search({ q: "protean", mode: "keyword" });
      assert.equal(r.suggestion, null, "the store's search finds the word: it is not a typo");
      assert.equal(r.correctedFrom, null);
      assert.deepEqual(ids(r.hits), ["2402.00040"]);
      const typo = await service.search({ q: "protien", mode: "keyword" });
      assert.equal(typo.suggestion, "protein", "a real typo still is");
    });
  });
}
