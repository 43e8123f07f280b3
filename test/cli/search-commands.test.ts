import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import { runCli } from "../helpers/cli.ts";
import { searchPapers } from "../helpers/search-papers.ts";

const tmp = mkdtempSync(join(tmpdir(), "paperboy-search-cli-"));
const env = { PAPERBOY_DB: join(tmp, "cli.db"), PAPERBOY_DATA_DIR: join(tmp, "data") };

interface JsonHit {
  rank: number;
  id: string;
  title: string;
  authors: string[];
  highlights: { title: { text: string; match: boolean }[]; snippet: { text: string; match: boolean }[] };
}

describe("paperboy search, similar and embed", () => {
  before(async () => {
    const store = openSqliteStore(env.PAPERBOY_DB);
    await store.migrate();
    await store.ingest({ papers: searchPapers() });
    await store.close();
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test("a mistyped flag or a bad value is a usage error that says what was meant", async () => {
    const typo = await runCli(["search", "adaptation", "--jsno"], env);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /Did you mean --json\?/);
    const mode = await runCli(["search", "adaptation", "--mode", "semantic"], env);
    assert.equal(mode.code, 2);
    assert.match(mode.stderr, /keyword, vector, hybrid/);
    const date = await runCli(["search", "adaptation", "--since", "2024-13-01"], env);
    assert.equal(date.code, 2);
    assert.match(date.stderr, /--since must be a day as YYYY-MM-DD/);
    const limit = await runCli(["search", "adaptation", "--limit", "500"], env);
    assert.equal(limit.code, 2);
    assert.match(limit.stderr, /--limit must be at most 100/);
  });

  test("before any build: keyword results, readable, with the matches marked and a note", async () => {
    const r = await runCli(["search", "test-time adaptation", "--mode", "hybrid"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Note: Search by meaning is not available/);
    assert.match(r.stdout, /results? for "test-time adaptation" \(keyword\)/);
    assert.match(r.stdout, /^1\. 2401\.0000[1-6] {2}/m);
    assert.match(r.stdout, /\*\*adaptation\*\*/i);
    assert.match(r.stdout, /Ada Lovelace, Coauthor \d+ · 2024-01-0\d · cs\.LG/);
  });

  test("a query with nothing to search exits with 4 and says why", async () => {
    const r = await runCli(["search", "the of and"], env);
    assert.equal(r.code, 4);
    assert.match(r.stdout, /Nothing searched: .*common words/);
  });

  test("an author's name offers their papers; a sort lists the papers with all the words; long queries are cut with a note", async () => {
    const name = await runCli(["search", "grace hopper"], env);
    assert.equal(name.code, 0, name.stderr);
    assert.match(
      name.stdout,
      /^Papers by Grace Hopper \(6 papers\): paperboy search 'author:"Grace Hopper"'$/m,
    );
    const unquoted = await runCli(["search", "author:G. Hopper", "--json"], env);
    const byHer = JSON.parse(unquoted.stdout) as { total: number; filters: { authors: string[] } };
    assert.deepEqual([byHer.total, byHer.filters.authors], [6, ["g hopper"]]);

    const sorted = await runCli(
      ["search", "merging models", "--sort", "date", "--json", "--limit", "100"],
      env,
    );
    assert.equal(sorted.code, 0, sorted.stderr);
    const json = JSON.parse(sorted.stdout) as { total: number; hits: JsonHit[] };
    assert.ok(json.total > 0);
    assert.equal(json.total, json.hits.length);
    for (const h of json.hits)
      assert.match(h.title + JSON.stringify(h.highlights.snippet), /merg[\s\S]*model|model[\s\S]*merg/i);

    const long = await runCli(["search", Array.from({ length: 500 }, (_, i) => `w${i}x`).join(" ")], env);
    assert.equal(long.code, 0, long.stderr);
    assert.match(long.stdout, /Note: Your query was shortened to its first 64 words\./);
  });

  test("--json has the results, filters, notes and highlights", async () => {
    const r = await runCli(
      ["search", "diffusion", "--json", "--author", "Alan Turing", "--year", "2024", "--limit", "3"],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as {
      query: string;
      mode: string;
      total: number;
      page: number;
      perPage: number;
      filters: { authors: string[]; since: string; until: string };
      notes: string[];
      problem: string | null;
      hits: JsonHit[];
    };
    assert.equal(json.query, "diffusion");
    assert.equal(json.perPage, 3);
    assert.equal(json.page, 1);
    assert.deepEqual(json.filters, { authors: ["Alan Turing"], since: "2024-01-01", until: "2024-12-31" });
    assert.equal(json.problem, null);
    assert.equal(json.hits.length, 3);
    assert.deepEqual(
      json.hits.map((h) => h.rank),
      [1, 2, 3],
    );
    for (const h of json.hits) {
      assert.ok(h.authors.includes("Alan Turing"));
      assert.ok(Array.isArray(h.highlights.title) && Array.isArray(h.highlights.snippet));
    }
    assert.ok(json.hits.some((h) => h.highlights.title.some((p) => p.match && /diffusion/i.test(p.text))));
  });

  test("similar: a bad id is a usage error, an unknown one a clear message", async () => {
    const bad = await runCli(["similar", "not-an-id"], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not an arXiv id: "not-an-id"/);
    const unknown = await runCli(["similar", "2409.99999"], env);
    assert.equal(unknown.code, 4);
    assert.match(unknown.stderr, /paper 2409\.99999 is not in the store/);
  });

  test("embed shows the state, builds with --rebuild, and search then uses the engine", async () => {
    const before = await runCli(["embed"], env);
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stdout, /Search engine: none usable for this store/);
    assert.match(before.stdout, /A rebuild is due: no search engine has been built yet/);

    const build = await runCli(["embed", "--rebuild"], env);
    assert.equal(build.code, 0, build.stderr);
    assert.match(build.stdout, /Built the search engine from 24 papers/);

    const status = await runCli(["embed", "--json"], env);
    const state = JSON.parse(status.stdout) as {
      engine: { papers: number };
      storePapers: number;
      stale: boolean;
    };
    assert.equal(state.engine.papers, 24);
    assert.equal(state.storePapers, 24);
    assert.equal(state.stale, false);

    const r = await runCli(["search", "protein folding", "--json"], env);
    const json = JSON.parse(r.stdout) as { mode: string; hits: JsonHit[] };
    assert.equal(json.mode, "hybrid");
    assert.ok(json.hits[0]?.id.startsWith("2401.0001"));
  });

  test("with the engine, a query that finds nothing shows its suggestion's results and says so", async () => {
    const args = ["search", "protien foldng", "--mode", "keyword", "--cat", "q-bio.BM", "--limit", "3"];
    const r = await runCli(args, env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^No papers match "protien foldng"\. Showing results for "protein folding"\.$/m);
    assert.match(r.stdout, /^6 results for "protein folding" \(keyword\), page 1 of 2$/m);
    // The paper with the words as corrected and together comes first.
    assert.match(r.stdout, /^1\. 2401\.00015 {2}Contact maps for \*\*protein\*\* \*\*folding\*\*$/m);
    assert.doesNotMatch(r.stdout, /Did you mean/);

    const json = JSON.parse((await runCli([...args, "--json"], env)).stdout) as {
      query: string;
      suggestion: string | null;
      correctedFrom: string | null;
      total: number;
      hits: JsonHit[];
    };
    assert.equal(json.query, "protien foldng");
    assert.equal(json.correctedFrom, "protien foldng");
    assert.equal(json.suggestion, "protein folding");
    assert.equal(json.total, 6);
    assert.deepEqual(
      json.hits.map((h) => h.id),
      ["2401.00015", "2401.00014", "2401.00013"],
    );

    const corrected = await runCli(["search", "protien strucure prediction", "--mode", "keyword"], env);
    assert.match(
      corrected.stdout,
      /^Showing results for "protein structure prediction"\. Search instead for "protien strucure prediction": add --as-typed\.$/m,
    );
    assert.match(
      corrected.stdout,
      /^ *1\. 2401\.00013 {2}\*\*Protein\*\* \*\*structure\*\* \*\*prediction\*\*/m,
    );
    const typed = await runCli(
      ["search", "protien strucure prediction", "--mode", "keyword", "--as-typed"],
      env,
    );
    assert.equal(typed.code, 0, typed.stderr);
    assert.match(typed.stdout, /^\d+ results for "protien strucure prediction" \(keyword\)/m);
    assert.match(typed.stdout, /^Did you mean: protein structure prediction$/m);
    assert.doesNotMatch(typed.stdout, /Showing results for/);
  });

  test("similar lists papers like the one given, never itself, in any id form", async () => {
    const r = await runCli(["similar", "arXiv:2401.00013v2", "--json", "--limit", "4"], env);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as {
      id: string;
      similar: { rank: number; id: string; score: number }[];
    };
    assert.equal(json.id, "2401.00013");
    assert.equal(json.similar.length, 4);
    assert.ok(json.similar.every((s) => s.id !== "2401.00013"));
    const text = await runCli(["similar", "https://arxiv.org/abs/2401.00013"], env);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^Papers like 2401\.00013:/);
    assert.match(text.stdout, /similarity \d\.\d{3}/);
  });
});
