import type { Store } from "../../store/store.ts";
import { DEFAULT_REBUILD_DRIFT, DRIFT_MIN_PAPERS, driftCallsForRebuild } from "./drift.ts";
import type { EngineFiles, EngineManifest } from "./engine-files.ts";
import { pgVectorProblem } from "./pgvector-builds.ts";
import { readStoreId } from "./store-identity.ts";

export interface FreshnessOptions {
  /** Rebuild once the store holds this fraction more papers than the engine (config.search.rebuildGrowth). */
  rebuildGrowth: number;
  /** The configured embedder as `describeEmbedder` names it. */
  embedder: string;
  /** Rebuild once the delta's measured drift passes this (config.search.rebuildDrift). Default 0.15. */
  rebuildDrift?: number;
}

export interface EngineAssessment {
  /** The current build when it can be used for this store (right database, files sound); else null. */
  manifest: EngineManifest | null;
  storePapers: number;
  /** Why a rebuild is due, in words; null when the engine is fresh. */
  staleBecause: string | null;
}

/**
 * Whether the engine on disk serves this store and is fresh. Cheap: reads the manifest, stats the files and
 * counts the papers; never loads the engine.
 */
export async function assessEngine(
  store: Store,
  files: EngineFiles,
  options: FreshnessOptions,
): Promise<EngineAssessment> {
  const storePapers = (await store.stats()).papers;
  const usable = await usableManifest(store, files);
  if (usable.manifest === null) return { manifest: null, storePapers, staleBecause: usable.problem };
  const manifest = usable.manifest;
  let staleBecause: string | null = null;
  if (manifest.embedder !== options.embedder) {
    staleBecause = `the engine was built with the ${manifest.embedder} embedder; ${options.embedder} is configured`;
  } else if (storePapers > (manifest.papers + (manifest.delta?.papers ?? 0)) * (1 + options.rebuildGrowth)) {
    staleBecause =
      `the library has grown from ${manifest.papers} to ${storePapers} papers ` +
      `(rebuild past ${Math.round(options.rebuildGrowth * 100)}% growth)`;
  } else if (
    driftCallsForRebuild(
      { value: manifest.delta?.drift ?? null, papers: manifest.delta?.driftPapers ?? 0 },
      options.rebuildDrift ?? DEFAULT_REBUILD_DRIFT,
      DRIFT_MIN_PAPERS,
    )
  ) {
    staleBecause =
      `the embedder does not know ${Math.round((manifest.delta?.drift ?? 0) * 100)}% of the words of the papers ` +
      `stored since the build (drift; rebuild past ${Math.round((options.rebuildDrift ?? DEFAULT_REBUILD_DRIFT) * 100)}%)`;
  }
  return { manifest, storePapers, staleBecause };
}

/** The current build if it belongs to this store and its files look sound, else why not. */
export async function usableManifest(
  store: Store,
  files: EngineFiles,
): Promise<{ manifest: EngineManifest; problem: null } | { manifest: null; problem: string }> {
  const read = files.readManifest();
  if (read.kind === "missing") return { manifest: null, problem: "no search engine has been built yet" };
  if (read.kind === "invalid") return { manifest: null, problem: read.reason };
  const storeId = await readStoreId(store);
  if (read.manifest.storeId !== storeId) {
    return {
      manifest: null,
      problem: `the search engine in ${files.dir} was built from another database; it is not used`,
    };
  }
  const broken = files.verify(read.manifest);
  if (broken !== null) return { manifest: null, problem: `the search engine files are damaged: ${broken}` };
  const vectors = await pgVectorProblem(store, read.manifest);
  if (vectors !== null) return { manifest: null, problem: vectors };
  return { manifest: read.manifest, problem: null };
}
