/** `paperboy library import|export` run as the real binary. */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { User } from "../../src/core/accounts.ts";
import type { LibraryImportSummary } from "../../src/jobs/library-import.ts";
import type { Store } from "../../src/store/store.ts";
import { type CliResult, runCli } from "../helpers/cli.ts";
import { makeUser } from "../helpers/community.ts";
import { buildArxivRecord, id } from "../helpers/factories.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";

const RIS = `TY  - JOUR
TI  - Lattice Paths with Weighted Steps
AU  - Lind, Siri
UR  - https://arxiv.org/abs/2301.00002v2
KW  - combinatorics
ER  - 

TY  - CHAP
TI  - ConvLLaVA: hierarchical backbones as visual encoder
ER  - 

TY  - JOUR
AU  - Nobody
ER  - 
`;

describe("paperboy library", () => {
  let db: TestDatabase;
  let store: Store;
  let user: User;
  let dir: string;
  const paperboy = (args: string[]): Promise<CliResult> =>
    runCli(args, { PAPERBOY_DB: db.url, PAPERBOY_LOG_LEVEL: "warn" });

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    dir = await mkdtemp(join(tmpdir(), "paperboy-library-"));
    await store.ingest({
      papers: [
        buildArxivRecord(),
        buildArxivRecord({
          id: id("2301.00002"),
          title: "Lattice Paths with Weighted Steps",
          abstract: "Paths.",
        }),
      ],
    });
    user = await makeUser(store);
  });
  after(async () => {
    await store.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  test("import prints the summary (text and --json), reports the bad entry's line, exits 4 for it", async () => {
    const file = join(dir, "mine.ris");
    await writeFile(file, RIS);
    const text = await paperboy(["library", "import", "--user", user.email, file, "--tag", "thesis"]);
    assert.equal(text.code, 4, text.stderr);
    assert.match(text.stdout, /Read 2 entries \(ris\)\./);
    assert.match(text.stdout, /Imported: 1\n/);
    assert.match(text.stdout, /Matched by title: 1\n/);
    assert.match(text.stdout, /line 12: the reference has no title, arXiv id or DOI/);
    const items = (await store.community.library(user.id)).items.map((i) => [i.paperId, i.tags]);
    assert.deepEqual(items.sort(), [
      ["2301.00002", ["combinatorics", "thesis"]],
      ["2405.15738", ["thesis"]],
    ]);

    const json = await paperboy(["library", "import", "--user", user.email, file, "--json"]);
    const summary = JSON.parse(json.stdout) as LibraryImportSummary;
    assert.deepEqual(
      [summary.imported, summary.matchedByTitle, summary.alreadyInLibrary, summary.invalid],
      [0, 0, 2, [{ line: 12, reason: "the reference has no title, arXiv id or DOI" }]],
    );
  });

  test("export in every format; import reads each back into another member's library", async () => {
    for (const format of ["bibtex", "ris", "csl-json", "csv"]) {
      const out = join(dir, `export-${format}`);
      const res = await paperboy(["library", "export", "--user", user.email, "--format", format, "-o", out]);
      assert.equal(res.code, 0, res.stderr);
      assert.match(await readFile(out, "utf8"), /2301\.00002/);
      const other = await makeUser(store);
      const back = await paperboy(["library", "import", "--user", other.email, out, "--json"]);
      assert.equal(back.code, 0, back.stderr);
      assert.equal((JSON.parse(back.stdout) as LibraryImportSummary).format, format);
      const mine = (await store.community.library(user.id)).items.map((i) => [i.paperId, i.tags]);
      const theirs = (await store.community.library(other.id)).items.map((i) => [i.paperId, i.tags]);
      assert.deepEqual(theirs.sort(), mine.sort(), format);
    }
  });

  test("a file over 5 MiB and an unknown member are refused with a clear message, nothing stored", async () => {
    const big = join(dir, "big.bib");
    await writeFile(big, `% ${"x".repeat(5 * 1024 * 1024)}\n`);
    const other = await makeUser(store);
    const res = await paperboy(["library", "import", "--user", other.email, big]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /the file is 5\.0 MiB; the limit is 5 MiB/);
    assert.equal((await store.community.library(other.id)).total, 0);
    const nobody = await paperboy(["library", "export", "--user", "nobody@example.org", "--format", "csv"]);
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /no user "nobody@example.org"/);
  });
});
