import { describeError } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import type { Store } from "../../store/store.ts";
import type { SearchEngine } from "../engine.ts";
import type { Embedder } from "../vector/embedder.ts";
import type { EngineFiles, EngineManifest } from "./engine-files.ts";
import { usableManifest } from "./freshness.ts";
import { attachPgVectors } from "./pgvector-builds.ts";

/** A loaded build and what the service asks of it besides searching. */
export class LoadedEngine {
  private numbers: Map<string, number> | null = null;

  constructor(
    readonly engine: SearchEngine,
    readonly manifest: EngineManifest,
  ) {}

  /** The engine's document number of paper `id`, or -1 (the map is made on first use). */
  documentOf(id: string): number {
    if (this.numbers === null) {
      const numbers = new Map<string, number>();
      this.engine.index.data.ids.forEach((docId, doc) => {
        numbers.set(docId, doc);
      });
      this.numbers = numbers;
    }
    return this.numbers.get(id) ?? -1;
  }

  /** Whether the engine indexed paper `id`. */
  knows(id: string): boolean {
    return this.documentOf(id) >= 0;
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

  /** Looks for a new build now and loads it; never throws (problems are logged and kept in `problem`). */
  async refresh(): Promise<void> {
    this.lastCheck = Date.now();
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
      if (this.loaded?.manifest.build === usable.manifest.build) return;
      const builtWith = usable.manifest.embedder;
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
      const engine = await attachPgVectors(
        this.options.store,
        this.options.files.load(usable.manifest, embedder),
        usable.manifest,
      );
      this.loaded = new LoadedEngine(engine, usable.manifest);
      this.lastProblem = null;
      this.options.logger.info("search engine loaded", {
        build: usable.manifest.build,
        papers: usable.manifest.papers,
        builtAt: usable.manifest.builtAt,
      });
    } catch (error) {
      // Leave seenStamp as it was so the next check retries (a build may have been half-swapped).
      this.note(`the search engine could not be loaded: ${describeError(error)}`);
    }
  }

  private note(problem: string): void {
    if (problem !== this.lastProblem) this.options.logger.warn(problem);
    this.lastProblem = problem;
  }
}
