import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config/config.ts";
import { toTimestamp } from "../../src/core/index.ts";
import { BACKFILL_HF, backfillHf } from "../../src/jobs/backfill-hf.ts";
import { syncSchedules } from "../../src/jobs/handlers.ts";
import { runStartup } from "../../src/jobs/startup.ts";
import { ManualClock } from "../../src/net/clock.ts";
import { type FakeHf, startFakeHf } from "../fakes/hf.ts";
import { testSyncContext } from "../helpers/sync.ts";
import { useTestSite } from "../helpers/web-fixtures.ts";

describe("the home page while a fresh store fills", () => {
  const site = useTestSite("sqlite", { seed: false });
  let hf: FakeHf;
  before(async () => {
    hf = await startFakeHf();
  });
  after(async () => {
    await hf.close();
  });

  test("says what is fetched and how far it got, reloads itself, and shows the days that landed", async () => {
    const config = loadConfig({ PAPERBOY_CATEGORIES: "cs.LG" });
    const now = site.web.deps.now();
    await runStartup(site.store, {
      now,
      schedules: syncSchedules(config.worker, config.sources.categories),
      backfillDays: 3,
      categories: config.sources.categories,
    });
    const empty = await site.web.request("/");
    assert.equal(empty.headers.get("Refresh"), "10");
    const emptyHtml = await empty.text();
    assert.match(
      emptyHtml,
      /Queued: Hugging Face daily papers, (arXiv listing of cs\.LG|arXiv categories of Hugging Face papers) and \d+ more\./,
    );

    // The worker has the backfill and stops after its second day (a restart, say).
    const job = await site.store.claimJob("w", { leaseMs: 60_000, now: toTimestamp(now) });
    assert.equal(job?.kind, BACKFILL_HF);
    const controller = new AbortController();
    const ctx = {
      ...testSyncContext(site.store, { hf: hf.url }, new ManualClock(Date.parse("2024-06-09T12:00:00Z"))),
      signal: controller.signal,
      onProgress: (p: { done: number }) => {
        if (p.done === 2) controller.abort(new Error("stopping"));
      },
    };
    await assert.rejects(backfillHf(ctx, { days: 3 }), /stopping/);

    const filling = await site.web.request("/");
    assert.equal(filling.headers.get("Refresh"), "10");
    const html = await filling.text();
    assert.match(html, /Fetching Hugging Face daily papers: 2 of 3 days…/);
    assert.match(html, /Daily papers, 7 Jun 2024/);
    assert.match(html, /href="\/papers\/\d{4}\.\d{4,5}"/);
  });
});
