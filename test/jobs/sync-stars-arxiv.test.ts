import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { refreshStars } from "../../src/jobs/refresh-stars.ts";
import { syncArxivIds, syncArxivListing } from "../../src/jobs/sync-arxiv.ts";
import { ManualClock } from "../../src/net/clock.ts";
import type { Store } from "../../src/store/store.ts";
import { ARXIV_API_PATH, type FakeArxivApi, startFakeArxivApi } from "../fakes/arxiv-api.ts";
import { FEED, LISTED } from "../fakes/arxiv-rss.ts";
import { type FakeGitHub, startFakeGitHub } from "../fakes/github.ts";
import { type FakeHf, startFakeHf } from "../fakes/hf.ts";
import { startFakeServer } from "../fakes/server.ts";
import { runCli } from "../helpers/cli.ts";
import { buildHfRecord, id, ts } from "../helpers/factories.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";
import { testEnv, testSyncContext } from "../helpers/sync.ts";

for (const kind of ["sqlite", "postgres"] as StoreKind[])
  describe(`GitHub stars refresh on ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    let github: FakeGitHub;
    const clock = new ManualClock(Date.parse("2026-03-01T00:00:00Z"));
    before(async () => {
      db = await createTestDatabase(kind);
      store = await db.open();
      github = await startFakeGitHub({ clock, limit: 1000 });
    });
    after(async () => {
      assert.deepEqual(github.unplanned, []);
      await github.close();
      await store.close();
      await db.drop();
    });

    test("updates papers' stars and keeps the history; an older daily list does not roll them back", async () => {
      await store.ingest({
        papers: [
          buildHfRecord({ id: id("2405.00001"), codeUrl: "https://github.com/Org/Repo", githubStars: 5 }),
          buildHfRecord({
            id: id("2405.00002"),
            codeUrl: "https://github.com/org/repo/tree/main",
            githubStars: 5,
          }),
          buildHfRecord({ id: id("2405.00003"), codeUrl: "https://github.com/gone/away", githubStars: 1 }),
          buildHfRecord({ id: id("2405.00004"), codeUrl: null, githubStars: null }),
        ],
      });
      github.setStars("org/repo", 250);
      const ctx = testSyncContext(store, { github: github.url }, clock);
      const report = await refreshStars(ctx, { pageSize: 2 });
      assert.equal(report.papers.updated, 2);
      assert.equal((await store.getPaper(id("2405.00001")))?.githubStars, 250);
      assert.equal((await store.getPaper(id("2405.00002")))?.githubStars, 250);
      assert.equal(
        (await store.getPaper(id("2405.00003")))?.githubStars,
        1,
        "a missing repository keeps its count",
      );
      assert.deepEqual(
        (await store.starHistory("org/repo")).map((h) => h.stars),
        [250],
      );
      assert.deepEqual((await store.getSourceState("github-stars"))?.cursor, { after: null });

      // A daily list observed before the refresh carries an older count: it must not win.
      await store.ingest({
        papers: [
          buildHfRecord({ id: id("2405.00001"), githubStars: 7, observedAt: ts("2026-02-28T00:00:00Z") }),
        ],
      });
      assert.equal((await store.getPaper(id("2405.00001")))?.githubStars, 250);

      clock.advance(86_400_000);
      github.setStars("org/repo", 260);
      await refreshStars(ctx);
      assert.deepEqual(
        (await store.starHistory("org/repo")).map((h) => h.stars),
        [250, 260],
        "one observation a refresh: the velocity for trending",
      );
    });
  });

describe("arXiv by id, and the CLI's sync and status", () => {
  let arxiv: FakeArxivApi;
  let hf: FakeHf;
  let dir: string;
  before(async () => {
    arxiv = await startFakeArxivApi();
    hf = await startFakeHf();
    dir = await mkdtemp(join(tmpdir(), "paperboy-sync-"));
  });
  after(async () => {
    assert.deepEqual(arxiv.unplanned, []);
    assert.deepEqual(hf.unplanned, []);
    await arxiv.close();
    await hf.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const kind of ["sqlite", "postgres"] as StoreKind[])
    test(`papers by id, old-style and versioned, with a paper titled 0 (${kind})`, async () => {
      const db = await createTestDatabase(kind);
      const store = await db.open();
      try {
        const ctx = testSyncContext(store, { arxivApi: `${arxiv.url}${ARXIV_API_PATH}` });
        const report = await syncArxivIds(ctx, ["2104.12255v1"]);
        assert.equal(report.papers.added, 1);
        assert.equal((await store.getPaper(id("2104.12255")))?.title, "0");
        const old = await syncArxivIds(ctx, ["astro-ph/0601001"]);
        assert.equal(old.papers.added, 1);
        const paper = await store.getPaper(id("astro-ph/0601001"));
        assert.ok(paper && paper.versions.length >= 1 && paper.sources.includes("arxiv-api"));
        const missing = await syncArxivIds(ctx, ["0808.05394", "1707.08567"]);
        assert.ok(missing.papers.added >= 1);
      } finally {
        await store.close();
        await db.drop();
      }
    });

  test("`paperboy sync hf` and `paperboy status` against the fake", async () => {
    const env = { ...testEnv({ hf: hf.url }), PAPERBOY_DB: join(dir, "cli.db") };
    const synced = await runCli(["sync", "hf", "--from", "2024-05-27", "--to", "2024-05-28", "--json"], env);
    assert.equal(synced.code, 0, synced.stderr);
    const report = JSON.parse(synced.stdout) as { read: number; daily: { added: number } };
    assert.ok(report.read > 0);
    assert.equal(report.daily.added, report.read);

    const status = await runCli(["status", "--json"], env);
    assert.equal(status.code, 0, status.stderr);
    const parsed = JSON.parse(status.stdout) as {
      sources: { source: string; status: string; lagMs: number }[];
    };
    const source = parsed.sources.find((s) => s.source === "hf-daily");
    assert.equal(source?.status, "ok");
    assert.ok((source?.lagMs ?? 0) > 0);

    const human = await runCli(["status"], env);
    assert.match(human.stdout, /hf-daily +ok +last success \d+s ago/);

    const bad = await runCli(["sync", "hf", "--date", "2024-02-30"], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--date must be a date YYYY-MM-DD, got "2024-02-30"/);
  });
});

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  test(`a category's daily listing lands with each paper's announcement type (${kind})`, async () => {
    const rss = await startFakeServer((url) => (url.pathname === "/rss/cs.LG" ? { body: FEED } : undefined));
    const db = await createTestDatabase(kind);
    const store = await db.open();
    try {
      const ctx = testSyncContext(store, { rss: `${rss.url}/rss` });
      const report = await syncArxivListing(ctx, "cs.LG");
      assert.equal(report.problems.length, 2, "the two bad items are reported");
      const announced = await store.announcements(LISTED.slice(0, 10) as never, "cs.LG");
      assert.equal(announced.length, report.papers.added);
      assert.deepEqual(
        new Set(announced.map((a) => a.type)),
        new Set(["new", "cross", "replace", "replace-cross"]),
      );
      assert.ok((await store.getPaper(id("2405.15738")))?.sources.includes("arxiv-rss"));
      const again = await syncArxivListing(ctx, "cs.LG");
      assert.equal(again.papers.added + again.papers.updated, 0, "the same listing twice changes nothing");
      assert.equal((await store.announcements(LISTED.slice(0, 10) as never)).length, announced.length);
      assert.equal((await store.getSourceState("arxiv-rss:cs.LG"))?.newestItemAt, LISTED);
      assert.deepEqual(rss.unplanned, []);
    } finally {
      await store.close();
      await db.drop();
      await rss.close();
    }
  });
}
