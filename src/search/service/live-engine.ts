import { describeError } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import type { Store } from "../../store/store.ts";
import type { SearchEngine } from "../engine.ts";
import { loadDelta } from "../persist/delta-file.ts";
import { type DeltaData, SegmentedEngine } from "../segmented-engine.ts";
import type { Embedder } from "../vector/embedder.ts";
import type { BuildStore } from "./build-store.ts";
import { type EngineFacets, loadEngineFacets } from "./engine-facets.ts";
import type { EngineFiles, EngineManifest } from "./engine-files.ts";
import { usableManifest } from "./freshness.ts";
import { fetchPublishedBuild } from "./replicate.ts";

/** The worker's job kind that rebuilds the engine (jobs/rebuild-search.ts; search does not import jobs). */
export const REBUILD_JOB = "rebuild-search";

import { attachPgVectors } from "./pgvector-builds.ts";

/**
 * A loaded build and what the service asks of it besides searching: `engine` is the base build, `searcher` the
 * base with its delta segment (papers stored since), which is what searches.
 */
export class LoadedEngine {
  readonly searcher: SegmentedEngine;
  /** The manifest's delta file when it is searched (null: none, or it was damaged and is left out). */
  readonly deltaFile: string | null;
  /**
   * The documents' facets, for filters evaluated without the store (`engine-facets.ts`); null when they could
   * not be read (filters then ask the store, as they did before facets).
   */
  facets: EngineFacets | null = null;

  constructor(
    readonly engine: SearchEngine,
    readonly manifest: EngineManifest,
    delta: DeltaData | null = null,
  ) {
    this.searcher = new SegmentedEngine(engine, delta);
    this.deltaFile = delta === null ? null : (manifest.delta?.file ?? null);
  }

  /** Whether the engine searches paper `id` (in the base and not masked, or in the delta). */
  knows(id: string): boolean {
    return this.searcher.has(id);
  }

  /** Papers the engine indexed (base and delta, hidden ones included): compared with the store's count. */
  get papers(): number {
    return this.searcher.indexed;
  }
}

export interface LiveEngineOptions {
  store: Store;
  files: EngineFiles;
  logger: Logger;
  /** The configured embedder, for engines built with a served model (corpus-built engines carry their own). */
  embedder?: () => Promise<Embedder | undefined>;
  /** Its name as manifests record it (`describeEmbedder`); an engine made by another served model is not used. */
  embedderName?: string;
  /** Look for a newer build at most this often. Default 5 s. */
  checkIntervalMs?: number;
  /**
   * Where the worker publishes builds (PostgreSQL or an object store): fetch the current one from there when
   * this data directory lacks it. Null or absent: builds come only from the data directory.
   */
  buildStore?: BuildStore | null;
  /** Read the documents' facets from the store with each engine (`engine-facets.ts`). Default true. */
  facets?: boolean;
}

/**
 * The engine a server searches with. The first search loads the current build (if there is one for this
 * store); later searches look at the manifest's timestamp at most every `checkIntervalMs` and, when a new
 * build was swapped in, load it in the background and switch to it once loaded. Searches in flight keep the
 * engine they started with; no search waits for a reload, a build or an embedding of the library (only while
 * no engine is in use at all does a search wait for a build that just appeared to load).
 */
export class LiveEngine {
  private loaded: LoadedEngine | null = null;
  private firstLoad: Promise<void> | null = null;
  private refreshing: Promise<void> | null = null;
  private lastCheck = 0;
  private seenStamp: string | null = null;
  private lastProblem: string | null = null;
  private readonly interval: number;

  constructor(private readonly options: LiveEngineOptions) {
    this.interval = options.checkIntervalMs ?? 5_000;
  }

  /** The engine to search with now, or null while none is usable (the service falls back to keyword search). */
  async current(): Promise<LoadedEngine | null> {
    if (this.firstLoad === null) this.firstLoad = this.refresh();
    await this.firstLoad;
    if (Date.now() - this.lastCheck >= this.interval && this.refreshing === null) {
      this.refreshing = this.refresh().finally(() => {
        this.refreshing = null;
      });
      // With no engine in use there is nothing to keep serving: wait for the first usable build to load.
      if (this.loaded === null) await this.refreshing;
    }
    return this.loaded;
  }

  /** The engine in use now, without loading or checking for one (null before the first load). */
  get inUse(): LoadedEngine | null {
    return this.loaded;
  }

  /** Why no engine is in use (for notes and status), or null when one is. */
  get problem(): string | null {
    return this.loaded === null ? this.lastProblem : null;
  }

  /**
   * A replica whose data directory lacks the published build (or its delta) fetches it from the build store in
   * the background (`replicate.ts`); searches meanwhile use the engine in use, or the store's keyword search.
   */
  private fetchPublished(): void {
    const builds = this.options.buildStore;
    if (builds === undefined || builds === null || this.fetching !== null) return;
    this.fetching = fetchPublishedBuild(builds, this.options.files, this.options.logger)
      .then((outcome) => {
        // Look again at the next search: the manifest names the fetched build now.
        if (outcome === "fetched") this.lastCheck = 0;
      })
      .catch(() => {
        // Logged by fetchPublishedBuild; tried again at the next check.
      })
      .finally(() => {
        this.fetching = null;
      });
  }

  /** The background fetch of a published build, while one runs (tests wait for it). */
  get fetchingBuild(): Promise<void> | null {
    return this.fetching;
  }

  private fetching: Promise<void> | null = null;

  /** Looks for a new build now and loads it; never throws (problems are logged and kept in `problem`). */
  async refresh(): Promise<void> {
    this.lastCheck = Date.now();
    this.fetchPublished();
    const stamp = this.options.files.manifestStamp();
    if (stamp !== null && stamp === this.seenStamp) return;
    try {
      const usable = await usableManifest(this.options.store, this.options.files);
      this.seenStamp = stamp;
      if (usable.manifest === null) {
        this.note(usable.problem);
        // A loaded engine stays in use while its replacement is unusable; it was sound when loaded.
        return;
      }
      const manifest = usable.manifest;
      const current = this.loaded;
      const sameBuild = current?.manifest.build === manifest.build;
      if (sameBuild && current?.manifest.delta?.file === manifest.delta?.file) return;
      const builtWith = manifest.embedder;
      if (builtWith !== "corpus" && builtWith !== this.options.embedderName) {
        this.note(
          `the search engine was built with the ${builtWith} embedder, which is not the one configured`,
        );
        return;
      }
      const embedder = builtWith === "corpus" ? undefined : await this.options.embedder?.();
      if (builtWith !== "corpus" && embedder === undefined) {
        this.note(`the search engine needs the ${builtWith} embedder, which is not configured`);
        return;
      }
      const files = this.options.files;
      // A damaged file is never served: the last good engine (or the store's keyword search) answers, and a
      // rebuild is queued once per damaged build.
      const broken = sameBuild ? null : files.verifyChecksums(manifest, false);
      if (broken !== null) {
        this.note(`the search engine files are damaged: ${broken}; a rebuild is queued`);
        await this.queueRebuild(manifest.build);
        return;
      }
      const engine =
        sameBuild && current !== null
          ? current.engine
          : await attachPgVectors(this.options.store, files.load(manifest, embedder), manifest);
      let delta: DeltaData | null = null;
      const deltaPath = files.deltaPath(manifest);
      if (deltaPath !== null) {
        const damaged = files.verifyChecksums({ ...manifest, sha256: {} }, true);
        if (damaged === null) delta = loadDelta(deltaPath);
        else {
          this.note(
            `the search delta is damaged: ${damaged}; serving the build without it, a rebuild is queued`,
          );
          await this.queueRebuild(`${manifest.build}/${manifest.delta?.file}`);
        }
      }
      const next = new LoadedEngine(engine, manifest, delta);
      next.facets = await this.facetsFor(next, current);
      this.loaded = next;
      if (delta !== null || deltaPath === null) this.lastProblem = null;
      this.options.logger.info("search engine loaded", {
        build: manifest.build,
        papers: manifest.papers,
        builtAt: manifest.builtAt,
        delta: manifest.delta?.papers ?? 0,
        deleted: manifest.delta?.deleted ?? 0,
      });
    } catch (error) {
      // Leave seenStamp as it was so the next check retries (a build may have been half-swapped).
      this.note(`the search engine could not be loaded: ${describeError(error)}`);
    }
  }

  /** The facets of `next`'s documents (the base's reused from `current` when it is the same build), or null. */
  private async facetsFor(next: LoadedEngine, current: LoadedEngine | null): Promise<EngineFacets | null> {
    if (this.options.facets === false) return null;
    try {
      const previous = current?.facets ?? null;
      return await loadEngineFacets(this.options.store, next.searcher, next.manifest.build, previous);
    } catch (error) {
      this.options.logger.warn("could not read the papers' facets; filters ask the store", {
        error: describeError(error),
      });
      return null;
    }
  }

  /** Queues a full rebuild for the worker (once per damaged build: the dedupe key names it). */
  private async queueRebuild(what: string): Promise<void> {
    try {
      await this.options.store.enqueueJob({
        kind: REBUILD_JOB,
        payload: { force: true },
        dedupeKey: `search-damaged:${what}`,
      });
    } catch (error) {
      this.options.logger.warn("could not queue a search engine rebuild", { error: describeError(error) });
    }
  }

  private note(problem: string): void {
    if (problem !== this.lastProblem) this.options.logger.warn(problem);
    this.lastProblem = problem;
  }
}
