import { rmSync } from "node:fs";
import type { VectorIndexChoice } from "../../config/config.ts";
import { describeError, type IsoTimestamp, toTimestamp } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import type { Store } from "../../store/store.ts";
import { PackedDocuments } from "../documents.ts";
import { DEFAULT_HNSW_FROM, type EngineOptions, SearchEngine } from "../engine.ts";
import { DiskVectors } from "../vector/disk-vectors.ts";
import type { Embedder } from "../vector/embedder.ts";
import type { EngineFiles, EngineManifest } from "./engine-files.ts";
import { assessEngine } from "./freshness.ts";
import { prunePgVectorBuilds, publishPgVectors, usePgVector } from "./pgvector-builds.ts";
import { ensureStoreId, recordBuild, recordBuildError } from "./store-identity.ts";

export interface BuildProgress {
  phase: "reading" | "building" | "saving" | "publishing";
  /** Papers read so far (reading), vectors written to PostgreSQL (publishing), else the papers being indexed. */
  done: number;
  /** Papers in the store when the build started. */
  total: number;
}

export interface BuildOptions {
  store: Store;
  files: EngineFiles;
  /** The embedder's name for the manifest (`describeEmbedder`). */
  embedderName: string;
  /** A served model; undefined trains the corpus embedder on the papers. */
  embedder?: Embedder;
  /** Other engine options (training of the corpus embedder, fusion); benchmarks and tests tune these. */
  engine?: Omit<EngineOptions, "embedder" | "logger">;
  /**
   * config.search.vectorIndex: where a library of `engine.vectorIndex.hnswFrom` papers or more keeps its
   * nearest-neighbour index (a usearch graph file, or pgvector in the PostgreSQL store). Default auto.
   */
  vectorIndex?: VectorIndexChoice;
  logger: Logger;
  /** Checked between batches of papers; a build stopped half way leaves the current engine in place. */
  signal?: AbortSignal;
  onProgress?: (progress: BuildProgress) => void;
  now?: () => Date;
}

/** Papers read per round trip while collecting the documents. */
const READ_BATCH = 2_000;

/**
 * Builds the engine from every paper in the store and makes it the current build. Papers are streamed from
 * the store in id order and kept only as the text the engine needs. The engine being replaced keeps serving
 * until the new manifest is in place; a failed build is recorded (shown by `paperboy status`) and rethrown.
 */
export async function buildSearchEngine(options: BuildOptions): Promise<EngineManifest> {
  const { store, logger } = options;
  const now = options.now ?? (() => new Date());
  const startedAt = toTimestamp(now());
  const started = performance.now();
  try {
    const storeId = await ensureStoreId(store);
    const total = (await store.stats()).papers;
    logger.info("search engine build started", { papers: total, embedder: options.embedderName });
    const docs = new PackedDocuments();
    let newest: string | null = null;
    let reported = 0;
    for await (const paper of store.iteratePapers({ batchSize: READ_BATCH })) {
      // Withdrawn papers are not searched (the delta masks those withdrawn later).
      if (paper.withdrawnAt !== null) continue;
      docs.push({
        id: paper.id,
        title: paper.title,
        abstract: paper.abstract,
        authors: paper.authors,
      });
      if (paper.publishedAt !== null && (newest === null || paper.publishedAt > newest))
        newest = paper.publishedAt;
      if (docs.length - reported >= READ_BATCH) {
        reported = docs.length;
        options.signal?.throwIfAborted();
        options.onProgress?.({ phase: "reading", done: docs.length, total });
        if (docs.length % (READ_BATCH * 25) === 0)
          logger.info("search engine build reading", {
            papers: docs.length,
            rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
          });
      }
    }
    if (docs.length === 0) throw new Error("the store has no papers to index yet; import or sync some first");
    // Below the threshold the exact search serves and nothing is published; an explicit pgvector choice is
    // still checked, so a misconfiguration shows on the first build rather than once the library has grown.
    const choice = options.vectorIndex ?? "auto";
    const approximate = docs.length >= (options.engine?.vectorIndex?.hnswFrom ?? DEFAULT_HNSW_FROM);
    const pgvector = (approximate || choice === "pgvector") && (await usePgVector(choice, store, logger));
    const publish = pgvector && approximate;
    options.onProgress?.({ phase: "building", done: docs.length, total: docs.length });
    // A library with a usearch graph embeds into a scratch file beside the builds: its float vectors are
    // never all in memory, and the engine file is written from it (see EngineOptions.vectorFile).
    const vectorFile = approximate && !publish ? options.files.scratchPath("vectors") : undefined;
    try {
      return await finish(options, {
        docs,
        newest,
        storeId,
        startedAt,
        started,
        publish,
        vectorFile,
      });
    } finally {
      if (vectorFile !== undefined) rmSync(vectorFile, { force: true });
    }
  } catch (error) {
    await recordBuildError(store, startedAt as IsoTimestamp, describeError(error)).catch(
      (recordError: unknown) =>
        logger.warn("could not record the failed search engine build", { error: describeError(recordError) }),
    );
    throw error;
  }
}

/** Builds the engine from the papers read, saves it as the current build and records the build. */
async function finish(
  options: BuildOptions,
  read: {
    docs: PackedDocuments;
    newest: string | null;
    storeId: string;
    startedAt: IsoTimestamp;
    started: number;
    publish: boolean;
    vectorFile: string | undefined;
  },
): Promise<EngineManifest> {
  const { store, logger } = options;
  const { docs, newest, storeId, startedAt, started, publish, vectorFile } = read;
  const now = options.now ?? (() => new Date());
  const engine = await SearchEngine.build(docs, {
    ...options.engine,
    ...(vectorFile !== undefined ? { vectorFile } : {}),
    // With pgvector the graph is PostgreSQL's: the engine file keeps only the exact vectors.
    ...(publish
      ? { vectorIndex: { ...options.engine?.vectorIndex, hnswFrom: Number.POSITIVE_INFINITY } }
      : {}),
    ...(options.embedder ? { embedder: options.embedder } : {}),
    logger,
  });
  options.signal?.throwIfAborted();
  options.onProgress?.({ phase: "saving", done: docs.length, total: docs.length });
  const builtAt = toTimestamp(now());
  const manifest = await options.files.write(
    engine,
    {
      storeId,
      papers: docs.length,
      builtAt,
      embedder: options.embedderName,
      newestPublishedAt: newest,
      highWater: startedAt,
      buildMs: Math.round(performance.now() - started),
      ...(publish ? { ann: "pgvector" as const } : {}),
    },
    logger,
    publish
      ? (build) =>
          publishPgVectors(store, build, engine, logger, (p) => {
            options.signal?.throwIfAborted();
            options.onProgress?.({ phase: "publishing", done: p.done, total: p.total });
          })
      : undefined,
  );
  await prunePgVectorBuilds(store, options.files, logger);
  await recordBuild(store, storeId, {
    startedAt,
    finishedAt: builtAt,
    papers: docs.length,
    newestPublishedAt: newest,
  });
  logger.info("search engine built", {
    papers: docs.length,
    build: manifest.build,
    seconds: Math.round(manifest.buildMs / 100) / 10,
  });
  if (engine.vectors instanceof DiskVectors) engine.vectors.close();
  return manifest;
}

export interface RebuildDecision {
  rebuilt: boolean;
  /** Why it was rebuilt, or why not. */
  reason: string;
  manifest: EngineManifest | null;
}

/**
 * The worker's check: rebuilds with `build` when no usable engine exists for this store (none, damaged, from
 * another database, another embedder) or the library grew by `rebuildGrowth`; otherwise leaves it.
 */
export async function rebuildIfStale(options: {
  store: Store;
  files: EngineFiles;
  embedderName: string;
  rebuildGrowth: number;
  logger: Logger;
  /** The build itself (the worker's runs `buildSearchEngine` in a thread: `buildInThread`). */
  build: () => Promise<EngineManifest>;
}): Promise<RebuildDecision> {
  const assessment = await assessEngine(options.store, options.files, {
    rebuildGrowth: options.rebuildGrowth,
    embedder: options.embedderName,
  });
  if (assessment.staleBecause === null) {
    return { rebuilt: false, reason: "the search engine is up to date", manifest: assessment.manifest };
  }
  if (assessment.storePapers === 0) {
    return { rebuilt: false, reason: "the store has no papers to index yet", manifest: assessment.manifest };
  }
  options.logger.info("rebuilding the search engine", { reason: assessment.staleBecause });
  const manifest = await options.build();
  return { rebuilt: true, reason: assessment.staleBecause, manifest };
}
