import { z } from "zod";
import type { DatabaseConfig, SearchConfig } from "../config/config.ts";
import type { NewJob } from "../core/index.ts";
import type { EngineOptions } from "../search/engine.ts";
import {
  buildInThread,
  createBuildStore,
  EngineFiles,
  publishBuild,
  updateEngine,
} from "../search/service/index.ts";
import { createEmbedder, describeEmbedder } from "../search/vector/create-embedder.ts";
import type { Store } from "../store/store.ts";
import type { Schedule } from "./schedule.ts";
import type { JobHandler } from "./worker.ts";

export const REBUILD_SEARCH = "rebuild-search";

/** `force` rebuilds even when the engine is fresh (`paperboy embed --rebuild` builds in its own process). */
const payloadSchema = z.object({ force: z.boolean().optional() });

export interface RebuildSearchDeps {
  store: Store;
  /**
   * Where `store` lives (config.db): the build runs in a worker thread with its own connection
   * (`buildInThread`), so the job's lease keeps being renewed and the worker stays responsive during a build of
   * minutes.
   */
  database: DatabaseConfig;
  /** config.dataDir: the engine lives in `<dataDir>/search/`. */
  dataDir: string;
  search: SearchConfig;
  /** Engine options beyond the configuration (training sizes in tests). */
  engine?: Omit<EngineOptions, "embedder" | "logger">;
}

/**
 * The worker's `rebuild-search` job, on every tick: brings the search engine up to date. Papers stored since
 * the current build go into its delta segment (embedded with the build's embedder, in seconds for a day's
 * papers); a full build (in a worker thread) is made when none usable exists for this store (never built,
 * damaged, from another database, another embedder), when the delta outgrows `search.rebuildGrowth` of the
 * build or the corpus embedder's drift against it passes `search.rebuildDrift`, or when asked (`force`). The current build is then published for replicas without a shared disk: into
 * the PostgreSQL store, or the object store `search.buildStore` names. Progress goes to the job's log.
 */
export function rebuildSearchHandler(deps: RebuildSearchDeps): JobHandler {
  return async (job, { signal, logger }) => {
    const { force } = payloadSchema.parse(job.payload);
    const build = () =>
      buildInThread(
        { database: deps.database, dataDir: deps.dataDir, search: deps.search, engine: deps.engine },
        { logger, signal, onProgress: progressLogger(logger) },
      );
    const files = new EngineFiles(deps.dataDir);
    const update = await updateEngine({
      store: deps.store,
      files,
      embedderName: describeEmbedder(deps.search.embedder),
      rebuildGrowth: deps.search.rebuildGrowth,
      rebuildDrift: deps.search.rebuildDrift,
      logger,
      force,
      build,
      embedder: () => createEmbedder(deps.search.embedder, { dataDir: deps.dataDir, logger }),
      signal,
    });
    // Replicas without a shared disk fetch the current build from PostgreSQL or the object store
    // (search/service/replicate.ts).
    const builds = createBuildStore(deps.search.buildStore, deps.store);
    if (builds !== null && update.manifest?.sha256 !== undefined) {
      await publishBuild(builds, files, update.manifest, logger);
    }
    const message = {
      full: "search engine rebuilt",
      delta: "search engine delta updated",
      none: "search engine rebuild skipped",
    }[update.action];
    logger.info(message, {
      reason: update.reason,
      papers: update.manifest?.papers ?? 0,
      delta: update.delta?.papers ?? 0,
      drift: update.delta?.drift ?? "not measured",
      ms: update.delta?.ms ?? 0,
    });
  };
}

/** Logs the reading phase every tenth of the store, and each later phase once. */
function progressLogger(logger: { info(message: string, fields?: Record<string, number | string>): void }) {
  let lastTenth = -1;
  let lastPhase = "";
  return (p: { phase: string; done: number; total: number }) => {
    const tenth = p.total > 0 ? Math.floor((10 * p.done) / p.total) : 0;
    if (p.phase === lastPhase && (p.phase !== "reading" || tenth === lastTenth)) return;
    lastPhase = p.phase;
    lastTenth = tenth;
    logger.info(`search engine build: ${p.phase}`, { done: p.done, total: p.total });
  };
}

/** The check the configuration schedules (config.search.schedule; none when it is off). */
export function rebuildSearchSchedules(search: SearchConfig): Schedule[] {
  if (search.schedule === null) return [];
  const job: NewJob = { kind: REBUILD_SEARCH, payload: {}, maxAttempts: 3 };
  return [{ name: "search", cron: search.schedule, jobs: () => [job] }];
}
