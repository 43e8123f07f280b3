import type { SearchDocument } from "../types.ts";
import { CorpusEmbedder } from "../vector/corpus-embedder.ts";
import type { Embedder } from "../vector/embedder.ts";

/**
 * Default `PAPERBOY_SEARCH_REBUILD_DRIFT`: a full build (retraining the corpus embedder) once papers stored
 * since the build have, on average, more than this share of their words' tf-idf weight on words the embedder
 * never learned. Measured (bench/search/drift.ts): newcomers of the library's own field read 0.07 (SciFact,
 * 4,146 papers) and 0.12 (arXiv physics, 614); of another field 0.16 to 0.27 (arXiv cs, math, physics against
 * SciFact). Smaller libraries read higher, and reach a full build by growth (`rebuildGrowth`) soon anyway.
 */
export const DEFAULT_REBUILD_DRIFT = 0.15;

/** Fewer papers than this in the delta never trigger a rebuild by drift (a handful of odd papers is noise). */
export const DRIFT_MIN_PAPERS = 20;

/**
 * How far the papers stored since the build have drifted from the corpus embedder trained on the build: the
 * mean, over those papers, of the share of their words' tf-idf weight on words the embedder does not know
 * (`CorpusEmbedder.unknownShare`). 0: the embedder knows every word; 1: none. Null for an embedder served from
 * elsewhere (it is not retrained, so drift does not apply) or without papers to measure.
 */
export function embedderDrift(embedder: Embedder, docs: readonly SearchDocument[]): number | null {
  if (!(embedder instanceof CorpusEmbedder)) return null;
  let sum = 0;
  let measured = 0;
  for (const doc of docs) {
    const share = embedder.unknownShare(doc.abstract, doc.title);
    if (share === null) continue;
    sum += share;
    measured++;
  }
  return measured === 0 ? null : Math.round((sum / measured) * 10_000) / 10_000;
}

/** Whether a delta's measured drift calls for a full build under `threshold`. */
export function driftCallsForRebuild(
  drift: { value: number | null; papers: number },
  threshold: number,
  minPapers = DRIFT_MIN_PAPERS,
): boolean {
  return drift.value !== null && drift.papers >= minPapers && drift.value > threshold;
}
