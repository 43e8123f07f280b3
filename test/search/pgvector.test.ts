import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { SearchEngine } from "../../src/search/engine.ts";
import { normalize } from "../../src/search/vector/embedder.ts";
import { FlatVectorIndex } from "../../src/search/vector/flat-index.ts";
import { nearestAsync } from "../../src/search/vector/nearest.ts";
import { PgVectorIndex, type SqlDatabase } from "../../src/search/vector/pgvector-index.ts";
import { Random } from "../../src/search/vector/random.ts";
import { HashEmbedder, syntheticPapers } from "../helpers/hash-embedding.ts";
import { createPgliteDatabase, type PgliteDatabase } from "../helpers/pglite.ts";

function randomVectors(count: number, dimensions: number, seed: number): FlatVectorIndex {
  const random = new Random(seed);
  const rows = Array.from({ length: count }, () =>
    normalize(Float32Array.from({ length: dimensions }, () => random.gaussian())),
  );
  return FlatVectorIndex.fromRows(dimensions, rows);
}

/** A point near row `doc`: a query with a clear nearest neighbour, like a paper's own words. */
function near(vectors: FlatVectorIndex, doc: number, random: Random): Float32Array {
  const row = vectors.row(doc);
  return normalize(Float32Array.from(row, (x) => x + 0.15 * random.gaussian()));
}

describe("pgvector index (PGlite + pgvector)", () => {
  const vectors = randomVectors(2_500, 64, 1);
  let database: PgliteDatabase;
  let index: PgVectorIndex;
  /** Statements Kysely ran, newest last. */
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];

  before(async () => {
    database = await createPgliteDatabase({
      log: (text, parameters) => statements.push({ sql: text, parameters }),
    });
    const progress: number[] = [];
    index = await PgVectorIndex.publish(database.db, "build-a", vectors, (p) => progress.push(p.done));
    assert.equal(progress.at(-1), vectors.size);
  });
  after(() => database.close());

  test("every row is written and the build is indexed", async () => {
    assert.equal(await PgVectorIndex.available(database.db), true);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from search_vectors where build = 'build-a'`.execute(database.db);
    assert.equal(rows[0]?.n, vectors.size);
    const indexes = await database.pg.query<{ indexdef: string }>(
      "select indexdef from pg_indexes where tablename = 'search_vectors' and indexdef like '%hnsw%'",
    );
    assert.equal(indexes.rows.length, 1);
    assert.match(indexes.rows[0]?.indexdef ?? "", /vector_ip_ops.*WHERE \(build = 'build-a'::text\)/);
    assert.deepEqual(
      (await PgVectorIndex.builds(database.db)).map((b) => [b.build, b.complete]),
      [["build-a", true]],
    );
  });

  test("candidates rescored exactly find the exact top 10 (recall@10 >= 0.9)", async () => {
    const random = new Random(7);
    let found = 0;
    let total = 0;
    for (let q = 0; q < 40; q++) {
      const query = near(vectors, Math.floor(random.next() * vectors.size), random);
      const exact = vectors.search(query, 10);
      const approximate = await nearestAsync(index, vectors, query, 10);
      assert.equal(approximate.length, 10);
      const scores = new Map(exact.map((h) => [h.doc, h.score]));
      for (const hit of approximate) {
        if (!scores.has(hit.doc)) continue;
        found++;
        assert.ok(Math.abs((scores.get(hit.doc) as number) - hit.score) < 1e-6, "exact scores");
      }
      total += exact.length;
    }
    assert.ok(found / total >= 0.9, `recall@10 ${found}/${total}`);
  });

  test("scores are inner products, best first", async () => {
    const query = vectors.row(11);
    const hits = await index.search(query, 5);
    assert.equal(hits[0]?.doc, 11);
    assert.ok(Math.abs((hits[0]?.score ?? 0) - 1) < 1e-4);
    for (let i = 1; i < hits.length; i++) assert.ok((hits[i - 1]?.score ?? 0) >= (hits[i]?.score ?? 0));
  });

  test("a filter leaves out the paper a similar list is for, still k results", async () => {
    const query = vectors.row(42);
    const hits = await index.search(query, 10, (doc) => doc !== 42);
    assert.equal(hits.length, 10);
    assert.ok(hits.every((h) => h.doc !== 42));
    const rescored = await nearestAsync(index, vectors, query, 10, (doc) => doc !== 42);
    assert.ok(rescored.every((h) => h.doc !== 42));
    assert.equal(rescored.length, 10);
  });

  test("deeper than pgvector's ef_search limit (1000), the scan keeps going", async () => {
    const hits = await index.search(vectors.row(3), 1_500);
    assert.equal(hits.length, 1_500);
    assert.equal(new Set(hits.map((h) => h.doc)).size, 1_500);
  });

  test("the query uses the build's HNSW index (the build is a literal, not a parameter)", async () => {
    statements.length = 0;
    await index.search(vectors.row(5), 10);
    const query = statements.find((s) => /order by/i.test(s.sql));
    assert.ok(query, "the search statement was logged");
    assert.match(query.sql, /build = 'build-a'/);
    await database.pg.exec("set enable_seqscan = off");
    try {
      const plan = await database.pg.query<{ "QUERY PLAN": string }>(`explain ${query.sql}`, [
        ...query.parameters,
      ]);
      const text = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
      assert.match(text, /Index Scan using "search_vectors_build-a"/, text);
    } finally {
      await database.pg.exec("reset enable_seqscan");
    }
  });

  test("two builds coexist, of different dimensions; dropping one leaves the other", async () => {
    const other = randomVectors(300, 32, 2);
    const b = await PgVectorIndex.publish(database.db, "build-b", other);
    assert.equal((await b.search(other.row(9), 3))[0]?.doc, 9);
    assert.equal((await index.search(vectors.row(9), 3))[0]?.doc, 9);

    await PgVectorIndex.drop(database.db, "build-b");
    await assert.rejects(PgVectorIndex.open(database.db, "build-b", 32, 300), /not in PostgreSQL/);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from search_vectors where build = 'build-b'`.execute(database.db);
    assert.equal(rows[0]?.n, 0);
    const indexes = await database.pg.query(
      "select 1 from pg_indexes where indexname = 'search_vectors_build-b'",
    );
    assert.equal(indexes.rows.length, 0);
    const reopened = await PgVectorIndex.open(database.db, "build-a", 64, vectors.size);
    assert.equal((await reopened.search(vectors.row(9), 3))[0]?.doc, 9);
    await assert.rejects(PgVectorIndex.open(database.db, "build-a", 64, 10), /rebuild the search engine/);
  });

  test("above 2,000 dimensions the build is indexed as halfvec", async () => {
    const wide = randomVectors(60, 2_048, 5);
    const d = await PgVectorIndex.publish(database.db, "build-wide", wide);
    assert.equal((await d.search(wide.row(7), 3))[0]?.doc, 7);
    const indexes = await database.pg.query<{ indexdef: string }>(
      "select indexdef from pg_indexes where indexname = 'search_vectors_build-wide'",
    );
    assert.match(indexes.rows[0]?.indexdef ?? "", /halfvec_ip_ops/);
    await PgVectorIndex.drop(database.db, "build-wide");
  });

  test("a publish that died half way is not opened, and publishing again completes it", async () => {
    const other = randomVectors(1_200, 16, 3);
    await assert.rejects(
      PgVectorIndex.publish(database.db, "build-c", other, (p) => {
        if (p.done >= 500) throw new Error("killed");
      }),
      /killed/,
    );
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from search_vectors where build = 'build-c'`.execute(database.db);
    assert.ok((rows[0]?.n ?? 0) > 0 && (rows[0]?.n ?? 0) < other.size, "rows half written");
    await assert.rejects(PgVectorIndex.open(database.db, "build-c", 16, other.size), /not in PostgreSQL/);

    const c = await PgVectorIndex.publish(database.db, "build-c", other);
    const again = await sql<{ n: number }>`
      select count(*)::int as n from search_vectors where build = 'build-c'`.execute(database.db);
    assert.equal(again.rows[0]?.n, other.size);
    assert.equal((await c.search(other.row(700), 1))[0]?.doc, 700);
    await PgVectorIndex.open(database.db, "build-c", 16, other.size);
    await PgVectorIndex.drop(database.db, "build-c");
  });

  test("a bad build name is refused before any SQL is sent", async () => {
    const noSql = {
      getExecutor() {
        throw new Error("no SQL may be sent");
      },
      transaction() {
        throw new Error("no SQL may be sent");
      },
    } as unknown as SqlDatabase;
    const bad = [
      "build-a'; drop table search_vectors; --",
      "build-",
      "x-build-a",
      'build-a"',
      `build-${"x".repeat(60)}`,
    ];
    for (const name of bad) {
      await assert.rejects(
        PgVectorIndex.publish(noSql, name, vectors),
        /not a search engine build name/,
        name,
      );
      await assert.rejects(PgVectorIndex.open(noSql, name, 64, 10), /not a search engine build name/, name);
      await assert.rejects(PgVectorIndex.drop(noSql, name), /not a search engine build name/, name);
    }
  });

  test("a server without pgvector: a clear error that says what to do", async () => {
    const plain = await createPgliteDatabase({ pgvector: false });
    try {
      assert.equal(await PgVectorIndex.available(plain.db), false);
      await assert.rejects(PgVectorIndex.ensure(plain.db), /does not have the pgvector extension.*usearch/);
    } finally {
      await plain.close();
    }
  });
});

describe("engine with a pgvector index", () => {
  const papers = syntheticPapers(800, 12, 9);
  const embedder = new HashEmbedder(32);
  let database: PgliteDatabase;
  let exact: SearchEngine;
  let engine: SearchEngine;

  before(async () => {
    database = await createPgliteDatabase();
    exact = await SearchEngine.build(papers, {
      embedder,
      vectorIndex: { hnswFrom: Number.POSITIVE_INFINITY },
    });
    const index = await PgVectorIndex.publish(database.db, "build-engine", exact.vectors);
    engine = exact.withAnn(index);
  });
  after(() => database.close());

  test("vector and hybrid search return the exact results' papers with the exact scores", async () => {
    assert.equal(engine.ann.kind, "pgvector");
    let same = 0;
    let total = 0;
    for (const paper of papers.slice(0, 12)) {
      for (const mode of ["vector", "hybrid"] as const) {
        const want = (await exact.search(paper.title, { mode, limit: 10 })).hits;
        const got = (await engine.search(paper.title, { mode, limit: 10 })).hits;
        assert.equal(got.length, 10, `${mode} ${paper.title}`);
        const scores = new Map(want.map((h) => [h.id, h.score]));
        for (const hit of got) {
          total++;
          if (!scores.has(hit.id)) continue;
          same++;
          assert.ok(Math.abs((scores.get(hit.id) as number) - hit.score) < 1e-9);
        }
      }
    }
    assert.ok(same / total >= 0.9, `overlap ${same}/${total}`);
  });

  test("similar: nearest papers, never the paper itself", async () => {
    for (const paper of papers.slice(0, 20)) {
      const hits = await engine.similar(paper.id, 10);
      assert.equal(hits.length, 10);
      assert.ok(
        hits.every((h) => h.id !== paper.id),
        paper.id,
      );
      for (let i = 1; i < hits.length; i++) assert.ok((hits[i - 1]?.score ?? 0) >= (hits[i]?.score ?? 0));
    }
    assert.deepEqual(await engine.similar("no-such-paper", 5), []);
  });
});
