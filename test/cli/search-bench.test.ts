import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { parseArxivId } from "../../src/core/index.ts";
import { BeirIdMap } from "../../src/search/eval/service-beir.ts";
import { runCli } from "../helpers/cli.ts";
import { searchPapers } from "../helpers/search-papers.ts";

const tmp = mkdtempSync(join(tmpdir(), "paperboy-bench-cli-"));
const env = { PAPERBOY_DB: join(tmp, "unused.db"), PAPERBOY_DATA_DIR: join(tmp, "data") };

/** A BEIR-format set: the search fixture papers as documents `doc-1` ..., four judged queries, one not. */
function writeBeirSet(dir: string): { corpus: string; queries: string } {
  const corpus = join(dir, "corpus.jsonl");
  const queries = join(dir, "queries.jsonl");
  const docs = searchPapers().map((p, i) =>
    JSON.stringify({ _id: `doc-${i + 1}`, title: p.title, text: p.abstract }),
  );
  writeFileSync(corpus, `${docs.join("\n")}\n`);
  const qs = [
    { _id: "q1", text: "entropy minimization at test time" },
    { _id: "q2", text: "task arithmetic with fine-tuned weights" },
    { _id: "q3", text: "protein contact maps" },
    { _id: "q4", text: "classifier-free guidance for diffusion" },
    { _id: "q5", text: "an unjudged query about zebrafish" },
  ];
  writeFileSync(queries, `${qs.map((q) => JSON.stringify(q)).join("\n")}\n`);
  mkdirSync(join(dir, "qrels"));
  writeFileSync(
    join(dir, "qrels", "test.tsv"),
    "query-id\tcorpus-id\tscore\nq1\tdoc-2\t1\nq2\tdoc-8\t1\nq3\tdoc-15\t1\nq4\tdoc-22\t1\n",
  );
  return { corpus, queries };
}

describe("paperboy bench beir", () => {
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test("BEIR ids map to valid arXiv ids and back", () => {
    const map = new BeirIdMap();
    const first = map.add("4983");
    assert.equal(first, "1501.00001");
    assert.equal(map.add("4983"), first);
    for (let i = 1; i < 100_000; i++) map.add(`d${i}`);
    const later = map.add("last");
    assert.equal(later, "1502.00002");
    assert.equal(parseArxivId(later).id, later);
    assert.equal(map.docOf(first), "4983");
    assert.equal(map.docOf("1502.00002"), "last");
  });

  test("runs every judged query through the search service and writes TREC runs with BEIR ids", async () => {
    const { corpus, queries } = writeBeirSet(tmp);
    const run = join(tmp, "out.trec");
    const r = await runCli(
      ["bench", "beir", "--corpus", corpus, "--queries", queries, "--run", run, "--mode", "all", "--json"],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      documents: number;
      queries: number;
      results: {
        mode: string;
        metrics: { queries: number; ndcg10: number; recall100: number; mrr10: number };
      }[];
    };
    assert.equal(report.documents, 24);
    assert.equal(report.queries, 4);
    assert.deepEqual(
      report.results.map((x) => x.mode),
      ["keyword", "vector", "hybrid"],
    );
    const keyword = report.results[0]?.metrics;
    assert.equal(keyword?.queries, 4);
    assert.equal(keyword?.mrr10, 1);
    for (const mode of ["keyword", "vector", "hybrid"]) {
      const lines = readFileSync(`${run}.${mode}`, "utf8").trim().split("\n");
      assert.ok(lines.length >= 4);
      for (const line of lines)
        assert.match(line, new RegExp(`^q[1-4] Q0 doc-\\d+ \\d+ -?\\d+\\.\\d{6} paperboy-${mode}$`));
      const q1 = lines.filter((l) => l.startsWith("q1 "));
      assert.deepEqual(
        q1.map((l) => Number(l.split(" ")[3])),
        q1.map((_, i) => i + 1),
      );
    }
  });

  test("a missing input file is a usage error", async () => {
    const r = await runCli(
      [
        "bench",
        "beir",
        "--corpus",
        join(tmp, "nope.jsonl"),
        "--queries",
        "q.jsonl",
        "--run",
        join(tmp, "x.trec"),
      ],
      env,
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--corpus .*nope\.jsonl: no such file/);
    const missing = await runCli(["bench", "beir", "--corpus", "c.jsonl"], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /required option '--queries <file>' not specified/);
  });
});
