import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runCli } from "../helpers/cli.ts";
import { shared } from "../helpers/paths.ts";

const tmp = await mkdtemp(join(tmpdir(), "paperboy-cli-"));
after(() => rm(tmp, { recursive: true, force: true }));
const env = { PAPERBOY_DB: join(tmp, "cli.db") };

describe("paperboy CLI", () => {
  test("--help lists the commands and what the exit codes mean", async () => {
    const r = await runCli(["--help"], env);
    assert.equal(r.code, 0);
    for (const command of ["import", "export", "stats", "migrate"])
      assert.match(r.stdout, new RegExp(`\\b${command}\\b`));
    assert.match(r.stdout, /Exit codes:/);
  });

  test("every command has its own --help", async () => {
    const commands = [
      "import",
      "export",
      "stats",
      "migrate",
      "status",
      "worker",
      "sync",
      "sync arxiv",
      "sync oai",
    ];
    for (const command of [...commands, "sync hf", "sync stars", "sync listing"]) {
      const r = await runCli([...command.split(" "), "--help"], env);
      assert.equal(r.code, 0, command);
      assert.match(r.stdout, new RegExp(`Usage: paperboy ${command}`));
    }
  });

  test("a mistyped command is a usage error with a suggestion", async () => {
    const r = await runCli(["imprt", "x.json"], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'imprt'/);
    assert.match(r.stderr, /Did you mean import\?/);
  });

  test("a mistyped option is a usage error with a suggestion", async () => {
    const r = await runCli(["stats", "--jsno"], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Did you mean --json\?/);
  });

  test("missing arguments and bad option values are usage errors", async () => {
    assert.equal((await runCli(["import"], env)).code, 2);
    const r = await runCli(["import", "--batch-size", "0", "x.json"], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--batch-size must be a positive whole number/);
  });

  test("an invalid configuration lists every problem and exits 3", async () => {
    const r = await runCli(["stats"], { PAPERBOY_DB: "mysql://localhost/db", PAPERBOY_LOG_LEVEL: "loud" });
    assert.equal(r.code, 3);
    assert.match(
      r.stderr,
      /PAPERBOY_DB \(got "mysql:\/\/localhost\/db"\): must be a file path \(SQLite\) or a postgres:\/\/ URL/,
    );
    assert.match(r.stderr, /PAPERBOY_LOG_LEVEL \(got "loud"\)/);
  });

  test("--db overrides PAPERBOY_DB", async () => {
    const other = join(tmp, "other.db");
    const r = await runCli(["--db", other, "migrate"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`SQLite ${other.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: applied 0001_papers`),
    );
    const again = await runCli(["--db", other, "migrate"], env);
    assert.match(again.stdout, /schema already up to date/);
  });

  test("import prints a summary, stats reads it back; rejected input exits 4", async () => {
    const ok = await runCli(["import", shared("hf-daily", "raw", "2024-05-27.json")], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(
      ok.stderr,
      /Imported 1 file in [\d.]+s: \d+ read, \d+ added, 0 updated, 0 unchanged, 0 rejected\./,
    );

    const stats = await runCli(["stats", "--json"], env);
    assert.equal(stats.code, 0);
    const parsed = JSON.parse(stats.stdout) as {
      papers: number;
      dailyEntries: number;
      newestDailyDate: string;
    };
    assert.ok(parsed.papers > 0);
    assert.equal(parsed.dailyEntries, parsed.papers);
    assert.equal(parsed.newestDailyDate, "2024-05-27");

    const human = await runCli(["stats"], env);
    assert.match(human.stdout, /Papers: +\d+/);
    assert.match(human.stdout, /from hf-daily/);

    const bad = await runCli(["import", "--json", shared("hf-daily", "malformed", "2024-12-11.json")], env);
    assert.equal(bad.code, 4);
    const summary = JSON.parse(bad.stdout) as {
      rejected: number;
      added: number;
      problems: { reason: string }[];
    };
    assert.equal(summary.added, 0);
    assert.ok(summary.rejected > 0);
  });

  test("sync commands check their options before touching the network", async () => {
    const both = await runCli(["sync", "arxiv", "--ids", "2405.15738", "--category", "cs.LG"], env);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /either --ids or --category/);
    const noSince = await runCli(["sync", "arxiv", "--category", "cs.LG"], env);
    assert.equal(noSince.code, 2);
    assert.match(noSince.stderr, /--category needs --since/);
    const typo = await runCli(["sync", "oia"], env);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /Did you mean oai\?/);
    const polite = await runCli(["status"], { ...env, PAPERBOY_ARXIV_INTERVAL_MS: "100" });
    assert.equal(polite.code, 3);
    assert.match(polite.stderr, /arXiv asks for at least 3000 ms/);
  });

  test("an empty store says how to fill it", async () => {
    const r = await runCli(["stats"], { PAPERBOY_DB: join(tmp, "empty.db") });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /The store is empty\. Import papers with: paperboy import FILE/);
  });

  test("an unreachable PostgreSQL server is a failure with a message, not a stack trace", async () => {
    const r = await runCli(["stats"], { PAPERBOY_DB: "postgres://nobody@127.0.0.1:1/none" });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^paperboy: .*(ECONNREFUSED|connect)/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
