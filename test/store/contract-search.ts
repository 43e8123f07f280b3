import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { PaperRecord } from "../../src/core/index.ts";
import type { StoreSearchResult } from "../../src/store/search/index.ts";
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, buildDailyRecord, cats, day, id, ts } from "../helpers/factories.ts";
import { type StoreKind, useFreshStore } from "../helpers/stores.ts";

/** A paper of the fixed corpus: id `2401.<n>`, first version on `published`. */
function paper(n: number, published: string, fields: Partial<PaperRecord>): PaperRecord {
  return buildArxivRecord({
    id: id(`2401.${String(n).padStart(5, "0")}`),
    versions: [{ version: 1, date: ts(`${published}T12:00:00Z`) }],
    ...fields,
  });
}

const P1 = paper(1, "2024-01-10", {
  title: "Test-time adaptation under label shift",
  abstract:
    "We correct classifiers when the distribution of classes changes between training and deployment.",
  authors: ["Ada Lovelace", "Grace Hopper"],
  categories: cats("cs.LG", "stat.ML"),
});
const P2 = paper(2, "2024-03-05", {
  title: "Robust classifiers for medical imaging",
  abstract: "Our method performs adaptation of pretrained networks to new hospitals without annotations.",
  authors: ["José Núñez", "Grace Hopper"],
  categories: cats("eess.IV", "cs.CV"),
});
const P3 = paper(3, "2023-11-20", {
  title: "Shift in label noise for crowdsourcing",
  abstract: "Workers disagree; we model the noise of each annotator with a confusion matrix.",
  authors: ["Alan Turing"],
  categories: cats("cs.HC"),
});
const P4 = paper(4, "2025-02-01", {
  title: "Adapting language models to new domains",
  abstract: "Continued pretraining helps specialised corpora such as law and chemistry.",
  authors: ["Yann LeCun"],
  categories: cats("cs.CL"),
});
/** A long abstract whose one interesting word sits far from its start. */
const P5 = paper(5, "2023-06-01", {
  title: "Thermodynamics of small engines",
  abstract: `${"Heat flows from hot to cold reservoirs in every cycle we measured. ".repeat(6)}The entropy production of the quantum engine stays bounded by $\\sigma \\leq k_B T$ in all regimes. ${"Further cycles repeat the same pattern with minor variations. ".repeat(4)}`,
  authors: ["Sadi Carnot"],
  categories: cats("cond-mat.stat-mech", "quant-ph"),
});
/** Galaxies: enough matching papers to page through. */
const FILLER = Array.from({ length: 25 }, (_, i) =>
  paper(100 + i, `2022-${String((i % 12) + 1).padStart(2, "0")}-15`, {
    title: `Photometric survey of dwarf galaxies, field ${i + 1}`,
    abstract: "Deep imaging reveals faint stellar halos around nearby dwarf systems.",
    authors: ["Vera Rubin"],
    categories: cats("astro-ph.GA"),
  }),
);

const ids = (r: StoreSearchResult) => r.hits.map((h) => h.paper.id as string);
const marked = (pieces: { text: string; match: boolean }[]) =>
  pieces.filter((p) => p.match).map((p) => p.text);

/** Queries that try SQL, FTS5 and tsquery syntax, odd text and bad filters. */
const HOSTILE = [
  "'; drop table papers; --",
  "' OR 1=1 --",
  "adaptation'; delete from papers where '1'='1",
  '"unbalanced adaptation',
  'a"b"c"',
  "the of and",
  "$\\alpha$ \\frac{a}{b} \\mathcal{O}(n^2) adaptation",
  "😀🚀 adaptation 🤖",
  "🙂".repeat(3_000),
  `${"adaptation lorem ".repeat(700)}`,
  "* ^ ( ) : NEAR AND OR NOT { } [ ] \\ ; -- '",
  "\u0000adaptation\u0000 label",
  "title:adaptation",
  "NEAR(adaptation label, 2)",
  "adaptation* OR label",
  "adaptation & !label | shift <-> test:*",
  "-",
  "--",
  '""',
  ":",
  "%_% adaptation",
  "\ud800adaptation",
  "cat:zzz adaptation",
  "since:2024-13-45 adaptation",
  'author:"" adaptation',
  "author:'; drop table paper_authors; -- adaptation",
  "-adaptation",
];

/**
 * The keyword search every store offers (FTS5 on SQLite, tsvector on PostgreSQL): one suite, both stores,
 * the same answers.
 */
export function searchContract(kind: StoreKind): void {
  describe(`Store search contract: ${kind}`, () => {
    let store: Store;
    const fresh = useFreshStore(kind, (s) => {
      store = s;
    });
    before(async () => {
      await store.ingest({
        papers: [P1, P2, P3, P4, P5, ...FILLER],
        daily: [
          buildDailyRecord({ paperId: P1.id, date: day("2024-01-11"), upvotes: 10 }),
          buildDailyRecord({ paperId: P1.id, date: day("2024-01-12"), upvotes: 30 }),
          buildDailyRecord({ paperId: P2.id, date: day("2024-03-06"), upvotes: 50 }),
        ],
      });
    });

    test("a word in the title ranks above the same word in the abstract", async () => {
      const r = await store.search.search({ text: "adaptation" });
      assert.equal(r.problem, null);
      assert.deepEqual(new Set(ids(r)), new Set([P1.id, P2.id, P4.id]));
      assert.equal(ids(r).at(-1), P2.id, "the abstract-only match comes last");
      assert.ok((r.hits[0]?.score ?? 0) > (r.hits.at(-1)?.score ?? 0));
    });

    test("words match by stem and without accents: adapting finds adaptation, nunez finds Núñez", async () => {
      assert.deepEqual(
        new Set(ids(await store.search.search({ text: "adapting" }))),
        new Set([P1.id, P2.id, P4.id]),
      );
      assert.deepEqual(ids(await store.search.search({ text: "nunez" })), [P2.id], "accents fold");
      assert.deepEqual(ids(await store.search.search({ text: "Núñez" })), [P2.id]);
      const singular = await store.search.search({ text: "classifier" });
      assert.deepEqual(new Set(ids(singular)), new Set([P1.id, P2.id]));
    });

    test("words are ORed; a quoted phrase must appear as written", async () => {
      const words = await store.search.search({ text: "label shift" });
      assert.deepEqual(new Set(ids(words)), new Set([P1.id, P3.id]));
      const phrase = await store.search.search({ text: '"label shift"' });
      assert.deepEqual(ids(phrase), [P1.id]);
      assert.deepEqual(marked(phrase.hits[0]?.title ?? []), ["label shift"]);
      const reversed = await store.search.search({ text: '"shift in label"' });
      assert.deepEqual(ids(reversed), [P3.id]);
    });

    test("-word excludes papers containing it", async () => {
      const r = await store.search.search({ text: "adaptation -medical" });
      assert.deepEqual(new Set(ids(r)), new Set([P1.id, P4.id]));
    });

    test("author filter: full name, last name, any case or accents; several authors must all be there", async () => {
      const byDate = [P2.id, P1.id];
      assert.deepEqual(ids(await store.search.search({ text: 'author:"Grace Hopper"' })), byDate);
      assert.deepEqual(ids(await store.search.search({ text: "author:HOPPER" })), byDate);
      assert.deepEqual(ids(await store.search.search({ text: "author:nunez" })), [P2.id]);
      assert.deepEqual(ids(await store.search.search({ text: 'author:"jose núñez"' })), [P2.id]);
      assert.deepEqual(ids(await store.search.search({ text: "author:hopper author:lovelace" })), [P1.id]);
      assert.deepEqual(
        ids(await store.search.search({ text: "author:grace" })),
        [],
        "a first name alone is no last name",
      );
      assert.deepEqual(ids(await store.search.filter({ filters: { authors: ["Yann LeCun"] } })), [P4.id]);
    });

    test("author names unquoted, with initials and without accents; never another person's name", async () => {
      const byDate = [P2.id, P1.id];
      const found = async (text: string) => ids(await store.search.search({ text }));
      assert.deepEqual(await found("author:Grace Hopper"), byDate, "the name runs to the end");
      assert.deepEqual(await found("author:G. Hopper"), byDate, "an initial stands for the first name");
      assert.deepEqual(await found("author:Jose Nunez cat:eess.IV"), [P2.id], "to the next filter");
      assert.deepEqual(await found("author:J. Núñez"), [P2.id]);
      assert.deepEqual(await found("author:José Nunez"), [P2.id]);
      assert.deepEqual(await found("author:Ada Hopper"), [], "another first name is another person");
      assert.deepEqual(await found("author:Hopper Grace"), [], "a first name is no last name");
      assert.deepEqual(await found("author:Grace Lovelace"), []);
      assert.deepEqual(await found("author:A Lovelace author:Grace Hopper"), [P1.id]);
    });

    test("a known author: the name as papers spell it, and their paper count", async () => {
      assert.deepEqual(await store.search.author("grace HOPPER"), { name: "Grace Hopper", papers: 2 });
      assert.deepEqual(await store.search.author("Jose Nunez"), { name: "José Núñez", papers: 1 });
      assert.equal(await store.search.author("Grace"), null, "the whole name, not a part");
      assert.equal(await store.search.author("!!!"), null);
    });

    test("category filter: primary or cross-list, an archive covers its categories, any listed one passes", async () => {
      assert.deepEqual(ids(await store.search.search({ text: "cat:cs.CV" })), [P2.id]);
      assert.deepEqual(ids(await store.search.search({ text: "cat:stat.ML" })), [P1.id]);
      assert.deepEqual(ids(await store.search.search({ text: "cat:cs.lg" })), [P1.id]);
      assert.deepEqual(ids(await store.search.search({ text: "cat:cs" })), [P4.id, P2.id, P1.id, P3.id]);
      assert.deepEqual(ids(await store.search.search({ text: "cat:cs.CL,quant-ph" })), [P4.id, P5.id]);
      assert.deepEqual(ids(await store.search.filter({ filters: { categories: ["hep-th"] } })), []);
    });

    test("date filters: since and until include their days; year is both", async () => {
      assert.deepEqual(ids(await store.search.search({ text: "since:2024-01-01 until:2024-12-31" })), [
        P2.id,
        P1.id,
      ]);
      assert.deepEqual(ids(await store.search.search({ text: "year:2024" })), [P2.id, P1.id]);
      assert.deepEqual(ids(await store.search.search({ text: "since:2025" })), [P4.id]);
      assert.deepEqual(ids(await store.search.search({ text: "since:2024-01-10 until:2024-01-10" })), [
        P1.id,
      ]);
      const until = await store.search.search({ text: "until:2023-11-20", limit: 100 });
      assert.equal(until.total, 2 + FILLER.length);
      assert.equal(ids(until)[0], P3.id);
    });

    test("filters combine with words, with each other and with the request's filters", async () => {
      assert.deepEqual(ids(await store.search.search({ text: "adaptation cat:cs.CL" })), [P4.id]);
      const both = await store.search.search({ text: "adaptation year:2024 author:hopper" });
      assert.deepEqual(new Set(ids(both)), new Set([P1.id, P2.id]));
      const fromRequest = await store.search.search({
        text: "adaptation",
        filters: { categories: ["cs.LG"] },
      });
      assert.deepEqual(ids(fromRequest), [P1.id]);
      const narrowed = await store.search.search({
        text: "adaptation cat:cs.CV",
        filters: { authors: ["grace hopper"], since: day("2024-01-01") },
      });
      assert.deepEqual(ids(narrowed), [P2.id]);
      assert.deepEqual(ids(await store.search.search({ text: "adaptation cat:astro-ph.GA" })), []);
      const onlyRequest = await store.search.search({ text: "", filters: { authors: ["Yann LeCun"] } });
      assert.deepEqual([ids(onlyRequest), onlyRequest.problem], [[P4.id], null]);
      const stopWords = await store.search.search({ text: "the", filters: { authors: ["Yann LeCun"] } });
      assert.deepEqual(ids(stopWords), [P4.id]);
      assert.match(stopWords.notes.join(" "), /common words/);
    });

    test("sorts: relevance, newest first, most upvoted first", async () => {
      const byDate = await store.search.search({ text: "adaptation", sort: "date" });
      assert.deepEqual(ids(byDate), [P4.id, P2.id, P1.id]);
      const byVotes = await store.search.search({ text: "adaptation", sort: "upvotes" });
      assert.deepEqual(ids(byVotes), [P2.id, P1.id, P4.id]);
      assert.deepEqual(
        byVotes.hits.map((h) => h.upvotes),
        [50, 30, 0],
      );
      const listed = await store.search.filter({ filters: { categories: ["cs"] }, sort: "upvotes" });
      assert.deepEqual(ids(listed), [P2.id, P1.id, P4.id, P3.id]);
      const relevanceFallsBackToDate = await store.search.filter({ filters: { categories: ["cs"] } });
      assert.deepEqual(ids(relevanceFallsBackToDate), [P4.id, P2.id, P1.id, P3.id]);
    });

    test("match all needs every word; include adds papers whatever their words, still filtered", async () => {
      const any = await store.search.search({ text: "label adaptation", sort: "date" });
      assert.deepEqual(ids(any), [P4.id, P2.id, P1.id, P3.id]);
      const all = await store.search.search({ text: "label adaptation", sort: "date", match: "all" });
      assert.deepEqual([ids(all), all.total], [[P1.id], 1]);
      const withP5 = await store.search.search({
        text: "label adaptation",
        sort: "date",
        match: "all",
        include: [P5.id, P1.id, P5.id],
      });
      assert.deepEqual([ids(withP5), withP5.total], [[P1.id, P5.id], 2], "once each, in date order");
      const filtered = await store.search.search({
        text: "label adaptation",
        sort: "upvotes",
        match: "all",
        include: [P5.id],
        filters: { categories: ["cs"] },
      });
      assert.deepEqual(ids(filtered), [P1.id], "an included paper must still pass the filters");
      const excluded = await store.search.search({ text: "label adaptation -deployment", match: "all" });
      assert.deepEqual(ids(excluded), []);
      await assert.rejects(
        store.search.search({ text: "label", match: "most" as "all" }),
        /match must be "any" or "all"/,
      );
    });

    test("pages are disjoint, cover every match, and carry the exact total", async () => {
      const seen: string[] = [];
      for (const offset of [0, 10, 20]) {
        const page = await store.search.search({ text: "dwarf galaxies", offset, limit: 10 });
        assert.equal(page.total, FILLER.length);
        assert.equal(page.hits.length, offset === 20 ? 5 : 10);
        seen.push(...ids(page));
      }
      assert.equal(new Set(seen).size, FILLER.length);
      assert.deepEqual(ids(await store.search.search({ text: "dwarf", offset: 40, limit: 10 })), []);
      const all = await store.search.filter({ limit: 100 });
      assert.equal(all.total, 5 + FILLER.length);
    });

    test("a page size outside 1..100 or a negative offset is refused with a clear error; deep pages are empty", async () => {
      for (const bad of [
        { limit: 0 },
        { limit: 101 },
        { offset: -1 },
        { limit: 2.5 },
        { offset: Number.NaN },
      ]) {
        await assert.rejects(store.search.search({ text: "adaptation", ...bad }), /limit|offset/);
      }
      await assert.rejects(store.search.filter({ filters: { categories: ["cs.%"] } }), /category/);
      const deep = await store.search.search({ text: "dwarf", offset: 20_000 });
      assert.deepEqual([deep.hits, deep.total], [[], FILLER.length]);
      assert.match(deep.notes.join(" "), /first 10,000 results/);
    });

    test("hits carry the title with words marked and the best window of the abstract", async () => {
      const r = await store.search.search({ text: "adapting" });
      const p1 = r.hits.find((h) => h.paper.id === P1.id);
      assert.deepEqual(p1?.title, [
        { text: "Test-time ", match: false },
        { text: "adaptation", match: true },
        { text: " under label shift", match: false },
      ]);
      const long = await store.search.search({ text: "entropy quantum" });
      const hit = long.hits[0];
      assert.equal(hit?.paper.id, P5.id);
      const text = hit?.snippet.map((p) => p.text).join("") ?? "";
      assert.ok(text.startsWith("…") && text.endsWith("…"), text);
      assert.ok(text.length <= 242, `${text.length} characters`);
      assert.deepEqual(marked(hit?.snippet ?? []), ["entropy", "quantum"]);
      assert.ok(text.includes("$\\sigma \\leq k_B T$"), "inline math is never cut");
      const none = await store.search.search({ text: "cat:cond-mat" });
      const start = none.hits[0]?.snippet ?? [];
      assert.equal(start.length, 1);
      assert.ok(start[0]?.text.startsWith("Heat flows"));
    });

    test("every hostile query returns results or a clear message, and the tables stay intact", async () => {
      const before = await store.stats();
      for (const text of HOSTILE) {
        const r = await store.search.search({ text });
        assert.ok(Array.isArray(r.hits) && Array.isArray(r.notes), text.slice(0, 40));
        if (r.problem !== null) {
          assert.equal(r.hits.length, 0);
          assert.ok(r.problem.length > 10, text.slice(0, 40));
        }
      }
      assert.deepEqual(await store.stats(), before);
      assert.equal((await store.search.search({ text: "adaptation" })).total, 3);
      const syntaxAsWords = await store.search.search({ text: "title:adaptation" });
      assert.deepEqual(new Set(ids(syntaxAsWords).slice(0, 2)), new Set([P1.id, P4.id]));
      assert.match((await store.search.search({ text: "the of and" })).problem ?? "", /common words/);
      assert.match((await store.search.search({ text: "cat:zzz adaptation" })).notes.join(" "), /cat:zzz/);
      const long = await store.search.search({ text: "adaptation lorem ".repeat(700) });
      assert.match(long.notes.join(" "), /shortened to its first 2,000 characters/);
      assert.equal(long.total, 3);
    });

    test("passing keeps the given order and drops what fails the filters", async () => {
      const given = [P4.id, id("2401.99999"), P1.id, P2.id, P1.id];
      assert.deepEqual(await store.search.passing(given, { categories: ["cs.LG", "cs.CL"] }), [P4.id, P1.id]);
      assert.deepEqual(await store.search.passing(given, {}), [P4.id, P1.id, P2.id]);
      assert.deepEqual(await store.search.passing([], { since: day("2020-01-01") }), []);
    });

    test("an updated paper is found by its new words, not its old ones; re-ingesting changes nothing", async () => {
      const v1 = paper(900, "2024-06-01", {
        title: "Quantum annealing schedules",
        abstract: "Annealing times matter.",
        authors: ["Enrico Fermi"],
      });
      const v2 = {
        ...v1,
        versions: [{ version: 2, date: ts("2024-07-01T00:00:00Z") }],
        title: "Photonic reservoir computing",
        abstract: "Light-based recurrent networks.",
        authors: ["Marie Curie"],
      };
      await store.ingest({ papers: [v1] });
      assert.deepEqual(ids(await store.search.search({ text: "annealing" })), [v1.id]);
      await store.ingest({ papers: [v2] });
      await store.ingest({ papers: [v2, v1] });
      assert.deepEqual(ids(await store.search.search({ text: "annealing" })), []);
      assert.deepEqual(ids(await store.search.search({ text: "fermi" })), []);
      assert.deepEqual(ids(await store.search.search({ text: '"photonic reservoir"' })), [v1.id]);
      assert.deepEqual(ids(await store.search.search({ text: "curie" })), [v1.id]);
      assert.deepEqual(ids(await store.search.search({ text: "author:curie" })), [v1.id]);
    });

    test("an empty store answers every query with no hits", async () => {
      await fresh();
      const r = await store.search.search({ text: "adaptation" });
      assert.deepEqual(r, { hits: [], total: 0, notes: [], problem: null });
      assert.equal((await store.search.filter({})).total, 0);
    });
  });
}
