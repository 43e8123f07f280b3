import assert from "node:assert/strict";
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { DatabaseConfig, SearchConfig } from "../../src/config/config.ts";
import { REBUILD_SEARCH, rebuildSearchHandler, rebuildSearchSchedules } from "../../src/jobs/handlers.ts";
import { Worker } from "../../src/jobs/worker.ts";
import { silentLogger } from "../../src/log.ts";
import { ENGINE_FORMAT, EngineFiles, type EngineManifest } from "../../src/search/service/engine-files.ts";
import { createSearchService } from "../../src/search/service/index.ts";
import { ENGINE_STATE } from "../../src/search/service/store-identity.ts";
import type { Store } from "../../src/store/store.ts";
import { newerPaper, searchPapers, TEST_ENGINE } from "../helpers/search-papers.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";

const SEARCH: SearchConfig = {
  embedder: { kind: "corpus" },
  vectorIndex: "auto",
  rebuildGrowth: 0.1,
  schedule: "15 * * * *",
};

function databaseConfig(kind: StoreKind, db: TestDatabase): DatabaseConfig {
  return kind === "sqlite" ? { kind, path: db.url } : { kind, url: db.url };
}

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`rebuild-search job on ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    let dataDir: string;
    let files: EngineFiles;
    let worker: Worker;

    /** Queues a rebuild check and runs it as the worker would; returns the current manifest. */
    const runJob = async (payload: Record<string, unknown> = {}): Promise<EngineManifest | null> => {
      await store.enqueueJob({ kind: REBUILD_SEARCH, payload });
      const job = await worker.runOnce();
      assert.equal(job?.kind, REBUILD_SEARCH);
      assert.equal((await store.getJob(job?.id ?? ""))?.state, "succeeded");
      const read = files.readManifest();
      return read.kind === "ok" ? read.manifest : null;
    };

    before(async () => {
      db = await createTestDatabase(kind);
      store = await db.open();
      dataDir = mkdtempSync(join(tmpdir(), "paperboy-rebuild-"));
      files = new EngineFiles(dataDir);
      worker = new Worker({
        store,
        handlers: {
          // As the worker command wires it: the build runs in a thread with its own connection.
          [REBUILD_SEARCH]: rebuildSearchHandler({
            store,
            database: databaseConfig(kind, db),
            dataDir,
            search: SEARCH,
            engine: TEST_ENGINE,
          }),
        },
        schedules: rebuildSearchSchedules(SEARCH),
        logger: silentLogger,
      });
    });
    after(async () => {
      await store.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test("the schedule comes from config.search.schedule, and is off when it is", () => {
      const [schedule] = rebuildSearchSchedules(SEARCH);
      assert.equal(schedule?.cron, "15 * * * *");
      assert.deepEqual(
        schedule?.jobs(new Date()).map((j) => j.kind),
        [REBUILD_SEARCH],
      );
      assert.deepEqual(rebuildSearchSchedules({ ...SEARCH, schedule: null }), []);
    });

    test("an empty store: the scheduled check runs and builds nothing", async () => {
      const job = await worker.runOnce();
      assert.equal(job?.kind, REBUILD_SEARCH);
      assert.equal((await store.getJob(job?.id ?? ""))?.state, "succeeded");
      assert.equal(files.readManifest().kind, "missing");
    });

    test("no engine yet: the job builds one, and records it in the store", async () => {
      await store.ingest({ papers: searchPapers() });
      const manifest = await runJob();
      assert.equal(manifest?.papers, 24);
      assert.equal(files.verify(manifest as EngineManifest), null);
      const state = await store.getSourceState(ENGINE_STATE);
      assert.ok(state?.lastSuccessAt);
      assert.equal((state?.cursor as { storeId?: string } | null)?.storeId, manifest?.storeId);
    });

    test("a fresh engine is left alone; growth past the threshold rebuilds", async () => {
      const first = files.readManifest();
      assert.equal(first.kind, "ok");
      const same = await runJob();
      assert.equal(same?.build, first.kind === "ok" ? first.manifest.build : "");
      await store.ingest({ papers: [newerPaper(25)] }); // 25 of 24: 4% growth, under 10%
      assert.equal((await runJob())?.build, same?.build);
      await store.ingest({ papers: [newerPaper(26), newerPaper(27)] }); // 27 of 24: 12.5%
      const grown = await runJob();
      assert.notEqual(grown?.build, same?.build);
      assert.equal(grown?.papers, 27);
    });

    test("a truncated, missing or garbled engine file is rebuilt", async () => {
      const current = () => {
        const read = files.readManifest();
        assert.equal(read.kind, "ok");
        return (read as { manifest: EngineManifest }).manifest;
      };
      let m = current();
      truncateSync(files.enginePath(m), 100);
      m = (await runJob()) ?? m;
      assert.equal(files.verify(m), null);

      unlinkSync(files.enginePath(m));
      const rebuilt = await runJob();
      assert.ok(rebuilt && rebuilt.build !== m.build);
      assert.equal(files.verify(rebuilt), null);

      writeFileSync(files.manifestPath, "{ not json");
      const fromGarbage = await runJob();
      assert.ok(fromGarbage);
      assert.equal(files.verify(fromGarbage), null);

      // A build written by a version whose engine files had another format is not read: it is rebuilt.
      writeFileSync(files.manifestPath, JSON.stringify({ ...fromGarbage, format: 1 }));
      const old = files.readManifest();
      assert.equal(old.kind, "invalid");
      assert.match((old as { reason: string }).reason, /another version of the engine files/);
      const fromOld = await runJob();
      assert.ok(fromOld && fromOld.build !== fromGarbage.build);
      assert.equal(fromOld.format, ENGINE_FORMAT);
    });

    test("an engine from another database is never used, and is replaced", async () => {
      const read = files.readManifest();
      assert.equal(read.kind, "ok");
      const ours = (read as { manifest: EngineManifest }).manifest;
      const foreign = { ...ours, storeId: "another-database" };
      writeFileSync(files.manifestPath, JSON.stringify(foreign));

      const service = createSearchService({ store, dataDir });
      const r = await service.search({ q: "protein structure", mode: "hybrid" });
      assert.equal(r.mode, "keyword");
      assert.equal((await service.status()).engine, null);
      assert.equal((await service.status()).stale, true);

      const replaced = await runJob();
      assert.equal(replaced?.storeId, ours.storeId);
      assert.notEqual(replaced?.build, ours.build);
      const json = JSON.parse(readFileSync(files.manifestPath, "utf8")) as EngineManifest;
      assert.equal(json.storeId, ours.storeId);
    });

    test("settled old builds are removed; the previous one is kept for readers that just read the manifest", async () => {
      const hourAgo = Date.now() / 1000 - 3600;
      for (const name of readdirSync(files.dir)) {
        if (name.startsWith("build-")) utimesSync(join(files.dir, name), hourAgo, hourAgo);
      }
      const previous = (files.readManifest() as { manifest: EngineManifest }).manifest.build;
      const forced = await runJob({ force: true });
      const builds = readdirSync(files.dir).filter((n) => n.startsWith("build-"));
      assert.deepEqual(builds.sort(), [forced?.build, previous].sort());
      assert.ok(!readdirSync(files.dir).some((n) => n.startsWith(".tmp-")));
    });
  });
}

describe("rebuild-search job: the build thread", () => {
  let db: TestDatabase;
  let store: Store;
  let dataDir: string;
  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await store.ingest({ papers: searchPapers() });
    dataDir = mkdtempSync(join(tmpdir(), "paperboy-rebuild-thread-"));
  });
  after(async () => {
    await store.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const handlerFor = () =>
    rebuildSearchHandler({
      store,
      database: databaseConfig("sqlite", db),
      dataDir,
      search: SEARCH,
      engine: TEST_ENGINE,
    });
  const job = (payload: Record<string, unknown>) => ({ id: "job-1", kind: REBUILD_SEARCH, payload }) as never;

  test("builds off the calling thread and relays the build's log lines", async () => {
    const lines: string[] = [];
    const logger = {
      ...silentLogger,
      info: (message: string, fields?: Record<string, unknown>) => {
        lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
      },
    };
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    try {
      await handlerFor()(job({ force: true }), { signal: new AbortController().signal, logger });
    } finally {
      clearInterval(ticker);
    }
    const thread = lines.find((l) => l.startsWith("search engine build thread started"));
    assert.ok(thread, lines.join("\n"));
    assert.notEqual(JSON.parse(thread.slice(thread.indexOf("{"))).thread, 0);
    assert.ok(
      lines.some((l) => l.startsWith("search engine built ")),
      lines.join("\n"),
    );
    assert.ok(lines.some((l) => l.startsWith("search engine rebuilt ")));
    assert.ok(ticks > 0, "the calling thread's timers kept running during the build");
    const read = new EngineFiles(dataDir).readManifest();
    assert.equal(read.kind, "ok");
  });

  test("a stopped job stops the thread and leaves the current engine in place", async () => {
    const files = new EngineFiles(dataDir);
    const before = files.readManifest();
    assert.equal(before.kind, "ok");
    const controller = new AbortController();
    // Stopped once the thread is at work, as when the worker loses the job's lease half way.
    const logger = {
      ...silentLogger,
      info: (message: string) => {
        if (message === "search engine build thread started") controller.abort(new Error("lease lost"));
      },
    };
    const running = handlerFor()(job({ force: true }), { signal: controller.signal, logger });
    await assert.rejects(running, /lease lost/);
    const after = files.readManifest();
    assert.equal(after.kind, "ok");
    assert.equal(after.kind === "ok" && before.kind === "ok" && after.manifest.build, before.manifest.build);
  });

  test("a build that fails in the thread rejects with its reason", async () => {
    const empty = await createTestDatabase("sqlite");
    const emptyStore = await empty.open();
    try {
      const handler = rebuildSearchHandler({
        store: emptyStore,
        database: databaseConfig("sqlite", empty),
        dataDir,
        search: SEARCH,
        engine: TEST_ENGINE,
      });
      await assert.rejects(
        handler(job({ force: true }), { signal: new AbortController().signal, logger: silentLogger }),
        /no papers to index yet/,
      );
    } finally {
      await emptyStore.close();
      await empty.drop();
    }
  });
});
