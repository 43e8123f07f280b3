import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { importFiles } from "../../src/jobs/import-files.ts";
import { detectFormat } from "../../src/sources/files/formats.ts";
import { exportPaperLine, parseExportLine } from "../../src/sources/files/paperboy-export.ts";
import type { Store } from "../../src/store/store.ts";
import { runCli } from "../helpers/cli.ts";
import { shared } from "../helpers/paths.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";
import { dumpStore } from "../store/contract.ts";

const snapshot = shared("arxiv-abs", "arxiv-metadata-snapshot.jsonl");
const hfDir = shared("hf-daily", "raw");
const hfFiles = readdirSync(hfDir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => join(hfDir, f));
const malformedDir = shared("hf-daily", "malformed");
const malformed = readdirSync(malformedDir).map((f) => join(malformedDir, f));

/** What the shared files hold, counted independently of the importer. */
function expectedCounts() {
  const snapshotIds = new Set(
    readFileSync(snapshot, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { id: string }).id),
  );
  const hfIds = new Set<string>();
  let hfEntries = 0;
  const days = new Set<string>();
  for (const f of hfFiles) {
    const entries = JSON.parse(readFileSync(f, "utf8")) as { paper: { id: string } }[];
    hfEntries += entries.length;
    if (entries.length > 0) days.add(f.slice(-15, -5));
    for (const e of entries) hfIds.add(e.paper.id);
  }
  const papers = new Set([...snapshotIds, ...hfIds]).size;
  return { papers, snapshot: snapshotIds.size, hf: hfIds.size, hfEntries, days: days.size };
}

const tmp = await mkdtemp(join(tmpdir(), "paperboy-import-"));
after(() => rm(tmp, { recursive: true, force: true }));
const expected = expectedCounts();
const NOW = () => "2026-01-01T00:00:00.000Z" as never;

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`import into ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    before(async () => {
      db = await createTestDatabase(kind);
      store = await db.open();
    });
    after(async () => {
      await store.close();
      await db.drop();
    });

    test("every shared file imports with the counts the data has, and again changes nothing", async () => {
      const first = await importFiles(store, [snapshot, ...hfFiles], { now: NOW });
      assert.equal(first.rejected, 0, JSON.stringify(first.problems.slice(0, 3)));
      assert.equal(first.read, expected.snapshot + expected.hfEntries);
      assert.equal(first.added, expected.papers);
      assert.equal(first.daily.added, expected.hfEntries);
      const stats = await store.stats();
      assert.equal(stats.papers, expected.papers);
      assert.equal(stats.dailyEntries, expected.hfEntries);
      assert.equal(stats.dailyDays, expected.days);
      assert.deepEqual(stats.papersBySource, {
        "arxiv-snapshot": expected.snapshot,
        "hf-daily": expected.hf,
      });
      assert.equal(stats.newestDailyDate, "2026-08-21");
      assert.equal(stats.oldestDailyDate, "2024-05-27");

      const content = await dumpStore(store);
      const second = await importFiles(store, [snapshot, ...hfFiles], {
        now: () => "2026-02-01T00:00:00.000Z" as never,
      });
      assert.equal(second.added + second.updated, 0);
      assert.equal(second.unchanged, second.read);
      assert.equal(second.daily.unchanged, expected.hfEntries);
      assert.equal(await dumpStore(store), content, "byte-for-byte the same content");
    });

    test("odd old-style ids and LaTeX survive the snapshot import as written", async () => {
      const paper = await store.getPaper("acc-phys/9411002" as never);
      assert.ok(paper);
      assert.match(paper.title, /Order \$\\hbar\$ Corrections/);
      assert.deepEqual(paper.categories, ["acc-phys", "physics.acc-ph"]);
      assert.equal(paper.versions[0]?.version, 1);
      const hf = await store.getPaper("2405.15738" as never);
      assert.equal(hf?.authors[0], "Chunjiang Ge");
      const entries = await store.dailyEntries("2024-05-27" as never);
      assert.ok(entries.some((e) => e.paperId === "2405.15738"));
      assert.ok(entries.every((e, i) => i === 0 || (entries[i - 1]?.upvotes ?? 0) >= e.upvotes));
    });

    test("the malformed daily files fail loudly and change nothing", async () => {
      const before = await dumpStore(store);
      const summary = await importFiles(store, malformed);
      assert.equal(summary.added + summary.updated + summary.unchanged, 0);
      assert.ok(summary.rejected >= malformed.length);
      assert.equal(summary.rejected, summary.read);
      for (const p of summary.problems) {
        assert.match(p.reason, /entry is a string, not an object/);
        assert.ok(p.entry !== undefined && p.entry >= 1);
      }
      assert.deepEqual(new Set(summary.problems.map((p) => p.file)), new Set(malformed));
      assert.equal(await dumpStore(store), before);
    });
  });
}

describe("import edge cases (SQLite)", () => {
  let db: TestDatabase;
  let store: Store;
  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
  });
  after(async () => {
    await store.close();
    await db.drop();
  });

  const lines = readFileSync(snapshot, "utf8").split("\n").filter(Boolean);

  test("bad lines are reported with file, line and reason; the good ones import", async () => {
    const file = join(tmp, "mixed.jsonl");
    const good = lines.slice(0, 3);
    const badId = JSON.stringify({ ...JSON.parse(lines[3] ?? "{}"), id: "9999.bad" });
    const noTitle = JSON.stringify({ ...JSON.parse(lines[4] ?? "{}"), title: "" });
    const badCategory = JSON.stringify({ ...JSON.parse(lines[5] ?? "{}"), categories: "Not A Category!" });
    writeFileSync(file, [good[0], "{not json", good[1], "", badId, noTitle, badCategory, good[2]].join("\n"));
    const summary = await importFiles(store, [file]);
    assert.equal(summary.added, 3);
    assert.equal(summary.rejected, 4);
    assert.equal(summary.read, 7, "blank lines are not records");
    const byLine = new Map(summary.problems.map((p) => [p.line, p.reason]));
    assert.match(byLine.get(2) ?? "", /invalid JSON/);
    assert.match(byLine.get(5) ?? "", /not an arXiv id: "9999.bad"/);
    assert.match(byLine.get(6) ?? "", /title/);
    assert.match(byLine.get(7) ?? "", /not an arXiv category/);
    assert.ok(summary.problems.every((p) => p.file === file));
  });

  test("a blank title, no category or a repeated version is a bad line (found by test/fuzz)", async () => {
    const file = join(tmp, "blank-fields.jsonl");
    const base = JSON.parse(lines[400] ?? "{}") as { versions: unknown[] };
    const bad = [
      { ...base, title: " \n\t" },
      { ...base, categories: " " },
      { ...base, versions: [base.versions[0], base.versions[0]] },
    ];
    writeFileSync(file, [...bad.map((b) => JSON.stringify(b)), lines[401]].join("\n"));
    const summary = await importFiles(store, [file]);
    assert.equal(summary.added + summary.updated + summary.unchanged, 1);
    assert.deepEqual(
      summary.problems.map((p) => p.reason),
      ["title: empty", 'categories: none in " "', "versions: a version is listed twice"],
    );
  });

  test("a first line that is no record does not take the whole file with it (found by test/fuzz)", async () => {
    const file = join(tmp, "broken-first-line.jsonl");
    writeFileSync(file, [(lines[402] ?? "").slice(0, 40), lines[403], "not json", lines[404]].join("\n"));
    const summary = await importFiles(store, [file]);
    assert.equal(summary.added + summary.updated + summary.unchanged, 2);
    assert.deepEqual(
      summary.problems.map((p) => p.line),
      [1, 3],
    );
    // A lone `{` still opens a pretty-printed document (the wrapped daily papers), as before.
    assert.deepEqual(detectFormat('{\n  "status": "success",\n  "data": []\n}'), {
      format: "hf-daily",
      layout: "wrapped-array",
    });
  });

  test("export lines with a link that is not http(s) or an empty author are refused (found by test/fuzz)", async () => {
    const paper = await store.getPaper(JSON.parse(lines[403] ?? "{}").id);
    assert.ok(paper);
    const line = JSON.parse(exportPaperLine(paper)) as { links: object };
    assert.equal(parseExportLine(line).kind, "paper");
    assert.throws(
      () => parseExportLine({ ...line, links: { ...line.links, code: "javascript:alert(1)" } }),
      /links\.code: expected an http\(s\) URL/,
    );
    assert.throws(
      () => parseExportLine({ ...line, authors: ["Ada Lovelace", ""] }),
      /authors\.1: empty author/,
    );
  });

  test("a bulk load defers the author index and rebuilds it; a crash mid-way is mended on the next open", async () => {
    const file = join(tmp, "bulk.jsonl");
    writeFileSync(file, lines.slice(100, 160).join("\n"));
    const summary = await importFiles(store, [file], { bulkThresholdBytes: 0 });
    assert.equal(summary.added, 60);
    const indexes = () =>
      new Database(db.url, { readonly: true })
        .prepare("select name from sqlite_master where type = 'index' and name = 'paper_authors_name_key'")
        .all();
    assert.equal(indexes().length, 1, "rebuilt at the end");
    await store.bulkLoad(async () => {
      assert.equal(indexes().length, 0, "dropped during the load");
    });
    const raw = new Database(db.url);
    raw.exec("drop index paper_authors_name_key");
    raw.close();
    await store.migrate();
    assert.equal(indexes().length, 1, "migrate() puts it back after a crash");
  });

  test("gzip files import like plain ones, recognised by content not name", async () => {
    const file = join(tmp, "snapshot-compressed.data");
    writeFileSync(file, gzipSync(lines.slice(10, 60).join("\n")));
    const summary = await importFiles(store, [file]);
    assert.equal(summary.rejected, 0);
    assert.equal(summary.added, 50);
  });

  test("a truncated daily file imports the entries before the break and reports where it broke", async () => {
    const source = hfFiles.find((f) => f.endsWith("2024-05-28.json")) ?? "";
    const text = readFileSync(source, "utf8");
    const file = join(tmp, "2024-05-28.json");
    writeFileSync(file, text.slice(0, Math.floor(text.length * 0.6)));
    const summary = await importFiles(store, [file]);
    assert.ok(summary.added > 0, "entries before the break are kept");
    assert.equal(summary.rejected, 1);
    assert.match(summary.problems[0]?.reason ?? "", /invalid JSON after entry \d+/);
    assert.equal(summary.daily.added, summary.added);
  });

  test("empty, unknown and missing files each get a clear reason", async () => {
    const empty = join(tmp, "empty.json");
    writeFileSync(empty, "  \n");
    const csv = join(tmp, "papers.csv");
    writeFileSync(csv, "id,title\n2405.15738,x\n");
    const summary = await importFiles(store, [empty, csv, join(tmp, "missing.json")]);
    assert.equal(summary.rejected, 3);
    const reasons = summary.problems.map((p) => p.reason);
    assert.match(reasons[0] ?? "", /empty/);
    assert.match(reasons[1] ?? "", /unrecognised content/);
    assert.match(reasons[2] ?? "", /cannot open/);
  });

  test("a Hugging Face dump with one entry a line uses each entry's own date", async () => {
    const entries = JSON.parse(readFileSync(hfFiles[0] ?? "", "utf8")) as unknown[];
    const file = join(tmp, "dump-2020-01-01.jsonl");
    writeFileSync(
      file,
      entries
        .slice(0, 3)
        .map((e) => JSON.stringify(e))
        .join("\n"),
    );
    const summary = await importFiles(store, [file]);
    assert.equal(summary.rejected, 0);
    assert.equal((await store.dailyEntries("2020-01-01" as never)).length, 0);
  });
});

describe("export and re-import", () => {
  test("export then import into an empty store gives the same papers and entries", async () => {
    const source = await createTestDatabase("sqlite");
    const target = await createTestDatabase("postgres");
    try {
      const env = { PAPERBOY_DB: source.url };
      const imported = await runCli(["import", snapshot, ...hfFiles.slice(0, 40)], env);
      assert.equal(imported.code, 0, imported.stderr);
      const out = join(tmp, "export.jsonl.gz");
      const exported = await runCli(["export", "-o", out], env);
      assert.equal(exported.code, 0, exported.stderr);
      assert.match(exported.stderr, /Exported [\d,]+ papers and [\d,]+ daily entries/);
      const restored = await runCli(["import", out, "--json"], { PAPERBOY_DB: target.url });
      assert.equal(restored.code, 0, restored.stderr);
      const a = await source.open();
      const b = await target.open();
      try {
        assert.equal(await dumpStore(b), await dumpStore(a));
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      await source.drop();
      await target.drop();
    }
  });
});

describe("imports running at once in separate processes", () => {
  for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
    test(`never duplicate a paper or a daily entry (${kind})`, async () => {
      const db = await createTestDatabase(kind);
      try {
        const files = hfFiles.slice(0, 60);
        const env = { PAPERBOY_DB: db.url };
        await runCli(["migrate"], env);
        // Overlapping halves, small batches, so the two processes interleave their transactions.
        const runs = await Promise.all([
          runCli(["import", "--json", "--batch-size", "7", ...files.slice(0, 40)], env),
          runCli(["import", "--json", "--batch-size", "5", ...files.slice(20)], env),
        ]);
        for (const r of runs) assert.equal(r.code, 0, r.stderr);
        const summaries = runs.map(
          (r) => JSON.parse(r.stdout) as { added: number; daily: { added: number } },
        );
        const store = await db.open();
        try {
          const stats = await store.stats();
          const expectedEntries = files.reduce(
            (n, f) => n + (JSON.parse(readFileSync(f, "utf8")) as unknown[]).length,
            0,
          );
          assert.equal(stats.dailyEntries, expectedEntries);
          assert.equal(
            summaries.reduce((n, s) => n + s.daily.added, 0),
            expectedEntries,
          );
          assert.equal(
            summaries.reduce((n, s) => n + s.added, 0),
            stats.papers,
          );
        } finally {
          await store.close();
        }
      } finally {
        await db.drop();
      }
    });
  }
});
