/**
 * Drift of the corpus embedder against papers stored since the build (service/drift.ts): measured at each
 * delta update, kept in the manifest, shown by the search status, and a full build (retraining) once it passes
 * the threshold. Off-topic papers (real arXiv physics and mathematics abstracts against a library of four
 * machine-learning and biology topics) drift; rewordings of the library's own topics do not.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../src/config/config.ts";
import type { PaperRecord } from "../../src/core/index.ts";
import { silentLogger } from "../../src/log.ts";
import { buildSearchEngine } from "../../src/search/service/build.ts";
import { DEFAULT_REBUILD_DRIFT, driftCallsForRebuild } from "../../src/search/service/drift.ts";
import { EngineFiles } from "../../src/search/service/engine-files.ts";
import { createSearchService, type EngineUpdate, updateEngine } from "../../src/search/service/index.ts";
import { parseSnapshotRecord } from "../../src/sources/arxiv/snapshot.ts";
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, id, ts } from "../helpers/factories.ts";
import { shared } from "../helpers/paths.ts";
import { searchPapers, TEST_ENGINE } from "../helpers/search-papers.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";

/**
 * Newcomers on the library's own topics: each test paper's text again under a new id and a later date, its title
 * that of another paper of the same topic (the library's words in new combinations).
 */
function onTopic(): PaperRecord[] {
  const papers = searchPapers();
  return papers.map((p, i) =>
    buildArxivRecord({
      ...p,
      id: id(`2405.${String(i + 1).padStart(5, "0")}`),
      title: papers[i % 6 === 5 ? i - 5 : i + 1]?.title ?? p.title,
      versions: [{ version: 1, date: ts("2024-05-01T12:00:00Z") }],
      publishedAt: ts("2024-05-01T12:00:00Z"),
    }),
  );
}

/** Real arXiv records of astrophysics, high-energy physics and mathematics: nothing like the library. */
function offTopic(): PaperRecord[] {
  return readFileSync(shared("arxiv-abs", "arxiv-metadata-snapshot.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => parseSnapshotRecord(JSON.parse(line)))
    .filter((r) => /^(astro-ph|hep-|math\.)/.test(r.categories?.[0] ?? "") && (r.abstract ?? "").length > 400)
    .slice(0, 24);
}

describe("a drift of the embedder against the papers stored since the build", () => {
  const opened: { db?: TestDatabase; store?: Store; dir?: string }[] = [];
  after(async () => {
    for (const o of opened) {
      await o.store?.close();
      await o.db?.drop();
      if (o.dir) rmSync(o.dir, { recursive: true, force: true });
    }
  });

  /** A library of the four test topics, built, then `newcomers` stored and the engine updated. */
  async function updateWith(
    newcomers: PaperRecord[],
  ): Promise<{ update: EngineUpdate; dir: string; store: Store }> {
    const db = await createTestDatabase("sqlite");
    const store = await db.open();
    const dir = mkdtempSync(join(tmpdir(), "paperboy-drift-"));
    opened.push({ db, store, dir });
    await store.ingest({ papers: searchPapers() });
    const files = new EngineFiles(dir);
    const build = () =>
      buildSearchEngine({
        store,
        files,
        embedderName: "corpus",
        engine: TEST_ENGINE,
        logger: silentLogger,
      });
    const update = () =>
      updateEngine({ store, files, embedderName: "corpus", rebuildGrowth: 100, logger: silentLogger, build });
    assert.equal((await update()).action, "full");
    // The newcomers are stored after the build started: they are the ones the drift is measured on.
    await store.ingest({ papers: newcomers });
    return { update: await update(), dir, store };
  }

  test("on-topic newcomers: the drift is measured, recorded and low; no rebuild", async () => {
    const { update, dir, store } = await updateWith(onTopic());
    assert.equal(update.action, "delta", update.reason);
    const drift = update.delta?.drift ?? Number.NaN;
    assert.ok(drift >= 0 && drift < DEFAULT_REBUILD_DRIFT, `drift ${drift}`);
    assert.equal(update.manifest?.delta?.drift, drift);
    const status = await createSearchService({ store, dataDir: dir }).status();
    assert.deepEqual(status.drift, { value: drift, papers: 24, threshold: DEFAULT_REBUILD_DRIFT });
    assert.equal(status.stale, false);
  });

  test("off-topic newcomers pass the threshold: a full build retrains the embedder, and the drift is gone", async () => {
    const papers = offTopic();
    assert.equal(papers.length, 24);
    const { update } = await updateWith(papers);
    assert.equal(update.action, "full");
    assert.match(update.reason, /does not know \d+% of the words of the 24 papers .*drift; rebuild past 15%/);
    assert.equal(update.manifest?.papers, 48, "the new build holds the newcomers");
    assert.equal(update.manifest?.delta, undefined);
  });

  test("the rule: past the threshold, with enough papers, and only when measured", () => {
    assert.ok(driftCallsForRebuild({ value: 0.5, papers: 20 }, 0.35));
    assert.ok(!driftCallsForRebuild({ value: 0.35, papers: 20 }, 0.35));
    assert.ok(!driftCallsForRebuild({ value: 0.9, papers: 19 }, 0.35));
    assert.ok(!driftCallsForRebuild({ value: null, papers: 500 }, 0.35));
    assert.equal(loadConfig({}).search.rebuildDrift, 0.15);
    assert.equal(loadConfig({ PAPERBOY_SEARCH_REBUILD_DRIFT: "0.2" }).search.rebuildDrift, 0.2);
    assert.throws(() => loadConfig({ PAPERBOY_SEARCH_REBUILD_DRIFT: "2" }), /PAPERBOY_SEARCH_REBUILD_DRIFT/);
  });
});
