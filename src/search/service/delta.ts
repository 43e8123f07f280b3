import { randomBytes } from "node:crypto";
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { type ArxivId, toTimestamp } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import type { Store } from "../../store/store.ts";
import { loadDelta, loadEngineEmbedder, type SavedDelta, saveDelta } from "../persist/delta-file.ts";
import { embedDelta } from "../segmented-engine.ts";
import type { SearchDocument } from "../types.ts";
import type { Embedder } from "../vector/embedder.ts";
import { DEFAULT_REBUILD_DRIFT, DRIFT_MIN_PAPERS, driftCallsForRebuild, embedderDrift } from "./drift.ts";
import { type EngineFiles, type EngineManifest, sha256File } from "./engine-files.ts";
import { usableManifest } from "./freshness.ts";

/** Papers read per round trip while looking for papers changed since the base. */
const READ_BATCH = 2_000;
/** Delta files kept in a build folder besides the current one (a reader may still be loading it). */
const DELTA_PREFIX = "delta-";

export interface DeltaUpdate {
  /** Whether a new delta was written (false: nothing changed since the last one, or a full build intervened). */
  written: boolean;
  /** Papers in the delta (new and changed) and base papers it masks. */
  papers: number;
  deleted: number;
  /** Papers embedded this time (the others' vectors were reused from the previous delta). */
  embedded: number;
  /** The delta's size against the base's: past the rebuild threshold the worker makes a full build. */
  share: number;
  /** The corpus embedder's drift against the papers stored since the base (drift.ts); null when not measured. */
  drift: number | null;
  /** How many papers the drift was measured on. */
  driftPapers: number;
  ms: number;
  manifest: EngineManifest;
}

/** Papers updated this long before a build started go to the delta too (clocks of hosts may differ a little). */
export const CLOCK_MARGIN_MS = 5_000;

/** When the base build started reading the store: papers updated since go to the delta. */
export function baseHighWater(manifest: EngineManifest): string {
  return manifest.highWater ?? new Date(Date.parse(manifest.builtAt) - manifest.buildMs).toISOString();
}

/**
 * Brings the current build up to date without a full build: every paper stored (added or changed) since the
 * base build started is embedded with the base's embedder (no training) into a delta segment, and every such
 * paper, and every hidden one, masks its base document. The delta is rebuilt whole each time from the base's
 * high-water mark, so it is always exactly "the store since the base" and a failed update leaves nothing
 * behind; vectors of papers unchanged since the previous delta are reused. The file goes into the build's
 * folder with its SHA-256, and a new manifest naming it replaces the old one atomically (unless a full build
 * was swapped in meanwhile); servers load it like a build.
 */
export async function updateDelta(options: {
  store: Store;
  files: EngineFiles;
  manifest: EngineManifest;
  /** The served embedder for engines built with one (corpus engines carry theirs). */
  embedder?: Embedder;
  logger: Logger;
  now?: () => Date;
  signal?: AbortSignal;
}): Promise<DeltaUpdate> {
  const { store, files, manifest, logger } = options;
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const highWater = toTimestamp(now());
  const highWaterOfBase = baseHighWater(manifest);
  // Papers updated shortly before the base started are taken again (harmless: masked and re-added), in case
  // the clock of the process that stored them ran behind; they do not count towards the rebuild threshold.
  const since = new Date(Date.parse(highWaterOfBase) - CLOCK_MARGIN_MS).toISOString();
  let counted = 0;
  const docs: SearchDocument[] = [];
  /** The papers stored after the base started (not those taken again for the clock margin): drift is theirs. */
  const added = new Set<string>();
  const updatedAt: string[] = [];
  const changed: string[] = [];
  // Through the index on papers' update time (store migration 0017): a day's papers, not the whole library.
  let after: { updatedAt: string; id: string } | undefined;
  for (;;) {
    const page = await store.searchBuilds.changedSince(since, READ_BATCH, after);
    if (page.length === 0) break;
    after = page[page.length - 1] as { updatedAt: string; id: string };
    const papers = new Map(
      (await store.getPapers(page.map((p) => p.id as ArxivId))).map((p) => [p.id as string, p]),
    );
    for (const { id } of page) {
      const paper = papers.get(id);
      if (paper === undefined) continue;
      if (paper.lastUpdatedAt > highWaterOfBase) {
        counted++;
        added.add(paper.id);
      }
      changed.push(paper.id);
      docs.push({
        id: paper.id,
        title: paper.title,
        abstract: paper.abstract,
        authors: paper.authors,
      });
      updatedAt.push(paper.lastUpdatedAt);
    }
    options.signal?.throwIfAborted();
    if (page.length < READ_BATCH) break;
  }
  options.signal?.throwIfAborted();
  // Hidden and withdrawn papers leave the engine: masked in the base, never in the delta.
  const moderated = (await store.community.listHidden()).map((h) => h.paperId);
  const hidden = new Set<string>([...moderated, ...(await store.searchBuilds.withdrawn())]);
  const keep = docs.map((d) => !hidden.has(d.id));
  const liveDocs = docs.filter((_, i) => keep[i]);
  const liveUpdated = updatedAt.filter((_, i) => keep[i]);
  const deleted = [...new Set([...changed, ...hidden])].sort();
  const changedSet = new Set(changed);
  // Towards the rebuild threshold: hidden papers, not withdrawn ones (a full build leaves those out already;
  // one withdrawn since is a changed paper, counted above).
  const hiddenSince = moderated.filter((h) => !changedSet.has(h)).length;

  const previousPath = files.deltaPath(manifest);
  let previous: SavedDelta | null = null;
  if (previousPath !== null) {
    try {
      previous = loadDelta(previousPath);
    } catch (error) {
      logger.warn("the previous search delta could not be read; embedding every paper again", {
        error: String(error),
      });
    }
  }
  const result = (written: boolean, embedded: number, m: EngineManifest): DeltaUpdate => ({
    written,
    drift: m.delta?.drift ?? null,
    driftPapers: m.delta?.driftPapers ?? 0,
    papers: liveDocs.length,
    deleted: deleted.length,
    embedded,
    share: manifest.papers === 0 ? 1 : (counted + hiddenSince) / manifest.papers,
    ms: Math.round(performance.now() - started),
    manifest: m,
  });
  if (previous !== null && sameDelta(previous, liveDocs, liveUpdated, deleted))
    return result(false, 0, manifest);
  if (previous === null && liveDocs.length === 0 && deleted.length === 0) return result(false, 0, manifest);

  const embedder = loadEngineEmbedder(files.enginePath(manifest), options.embedder);
  const driftDocs = liveDocs.filter((d) => added.has(d.id));
  const drift = embedderDrift(embedder, driftDocs);
  const dimensions = embedder.dimensions;
  const vectors = new Float32Array(liveDocs.length * dimensions);
  const reuse = new Map<string, number>();
  if (previous !== null && previous.dimensions === dimensions) {
    previous.docs.forEach((d, i) => {
      reuse.set(`${d.id}\u0000${previous.updatedAt[i]}`, i);
    });
  }
  const toEmbed: number[] = [];
  liveDocs.forEach((d, i) => {
    const at = reuse.get(`${d.id}\u0000${liveUpdated[i]}`);
    if (at === undefined || previous === null) toEmbed.push(i);
    else vectors.set(previous.vectors.subarray(at * dimensions, (at + 1) * dimensions), i * dimensions);
  });
  const fresh = await embedDelta(
    embedder,
    toEmbed.map((i) => liveDocs[i] as SearchDocument),
  );
  toEmbed.forEach((i, j) => {
    vectors.set(fresh.subarray(j * dimensions, (j + 1) * dimensions), i * dimensions);
  });
  options.signal?.throwIfAborted();

  const folder = join(files.dir, manifest.build);
  const file = `${DELTA_PREFIX}${highWater.replace(/[^0-9]/g, "").slice(0, 17)}-${randomBytes(4).toString("hex")}.pbd`;
  const path = join(folder, file);
  saveDelta(path, { docs: liveDocs, vectors, deleted, updatedAt: liveUpdated, dimensions });
  const next: EngineManifest = {
    ...manifest,
    delta: {
      file,
      bytes: statSync(path).size,
      sha256: sha256File(path),
      papers: liveDocs.length,
      deleted: deleted.length,
      highWater,
      builtAt: toTimestamp(now()),
      ...(drift === null ? {} : { drift, driftPapers: driftDocs.length }),
    },
  };
  if (!files.swapManifest(next)) {
    rmSync(path, { force: true });
    logger.info("a full search engine build was swapped in meanwhile; the delta is dropped");
    return result(false, toEmbed.length, manifest);
  }
  pruneDeltas(folder, [file, manifest.delta?.file ?? ""]);
  logger.info("search delta updated", {
    papers: liveDocs.length,
    deleted: deleted.length,
    embedded: toEmbed.length,
    drift: drift ?? "not measured",
    ms: Math.round(performance.now() - started),
  });
  return result(true, toEmbed.length, next);
}

function sameDelta(
  previous: SavedDelta,
  docs: SearchDocument[],
  updatedAt: string[],
  deleted: string[],
): boolean {
  return (
    previous.docs.length === docs.length &&
    previous.deleted.length === deleted.length &&
    previous.docs.every((d, i) => d.id === docs[i]?.id && previous.updatedAt[i] === updatedAt[i]) &&
    previous.deleted.every((id, i) => id === deleted[i])
  );
}

/** Removes delta files of a build other than `keep`. */
function pruneDeltas(folder: string, keep: readonly string[]): void {
  for (const name of readdirSync(folder)) {
    if (name.startsWith(DELTA_PREFIX) && !keep.includes(name)) rmSync(join(folder, name), { force: true });
  }
}

export interface EngineUpdate {
  /** "full": a full build was made; "delta": the delta was brought up to date; "none": nothing to do. */
  action: "full" | "delta" | "none";
  reason: string;
  manifest: EngineManifest | null;
  delta: DeltaUpdate | null;
}

/**
 * The worker's tick (and `paperboy embed` without `--rebuild`): a full build when there is no usable build for
 * this store (none, damaged, another database or embedder) or when asked; otherwise the delta is brought up to
 * date, and once it holds more than `rebuildGrowth` of the base's papers (new, changed or hidden), a full
 * build replaces base and delta (retraining the corpus embedder on the whole library), as it does once the
 * corpus embedder's drift against the delta's papers (drift.ts) passes `rebuildDrift`. Serving never stops:
 * servers keep the loaded build until the new manifest's files are loaded.
 */
export async function updateEngine(options: {
  store: Store;
  files: EngineFiles;
  embedderName: string;
  rebuildGrowth: number;
  /** Rebuild once the delta's drift passes this (config.search.rebuildDrift). Default `DEFAULT_REBUILD_DRIFT`. */
  rebuildDrift?: number;
  /** Deltas of fewer papers never rebuild by drift. Default `DRIFT_MIN_PAPERS`. */
  driftMinPapers?: number;
  logger: Logger;
  force?: boolean;
  /** The full build (the worker runs it in a thread). */
  build: () => Promise<EngineManifest>;
  /** The served embedder, for engines built with one. */
  embedder?: () => Promise<Embedder | undefined>;
  signal?: AbortSignal;
}): Promise<EngineUpdate> {
  const { store, files, logger } = options;
  const full = async (reason: string): Promise<EngineUpdate> => {
    logger.info("rebuilding the search engine", { reason });
    return { action: "full", reason, manifest: await options.build(), delta: null };
  };
  if (options.force) return full("asked to");
  const usable = await usableManifest(store, files);
  const storePapers = (await store.stats()).papers;
  if (storePapers === 0) {
    return {
      action: "none",
      reason: "the store has no papers to index yet",
      manifest: usable.manifest,
      delta: null,
    };
  }
  if (usable.manifest === null) return full(usable.problem);
  const manifest = usable.manifest;
  if (manifest.embedder !== options.embedderName) {
    return full(
      `the engine was built with the ${manifest.embedder} embedder; ${options.embedderName} is configured`,
    );
  }
  const broken = files.verifyChecksums(manifest, false, true);
  if (broken !== null) return full(`the search engine files are damaged: ${broken}`);
  const embedder = manifest.embedder === "corpus" ? undefined : await options.embedder?.();
  const delta = await updateDelta({ store, files, manifest, embedder, logger, signal: options.signal });
  if (delta.share > options.rebuildGrowth) {
    return full(
      `${delta.deleted} papers changed since the build of ${manifest.papers} ` +
        `(rebuild past ${Math.round(options.rebuildGrowth * 100)}%)`,
    );
  }
  const driftLimit = options.rebuildDrift ?? DEFAULT_REBUILD_DRIFT;
  if (
    driftCallsForRebuild(
      { value: delta.drift, papers: delta.driftPapers },
      driftLimit,
      options.driftMinPapers ?? DRIFT_MIN_PAPERS,
    )
  ) {
    return full(
      `the embedder does not know ${Math.round((delta.drift ?? 0) * 100)}% of the words of the ` +
        `${delta.driftPapers} papers stored since the build (drift; rebuild past ${Math.round(driftLimit * 100)}%)`,
    );
  }
  return {
    action: delta.written ? "delta" : "none",
    reason: delta.written
      ? `${delta.papers} papers in the delta, ${delta.deleted} masked in the build`
      : "the search engine is up to date",
    manifest: delta.manifest,
    delta,
  };
}
