/** A result on its way to a page: the engine's (with its score) or the store's for a paper newer than it. */
export interface RankedId {
  id: string;
  score: number;
}

/**
 * Puts papers the engine does not know (added since its build) into the engine's ranking. The store's keyword
 * ranking places them: a newer paper at position r of the store's list (counting every paper it returned)
 * takes position r of the merged list, ahead of the engine's result there, and that result's score. Both
 * rankings are relevance orders of similar quality (BM25 in the store, BM25F or hybrid in the engine), so a
 * paper the store ranks third among the matches is shown about third, rather than after every engine hit or
 * before all of them. With no engine result to take a score from, a paper keeps the store's score.
 */
export function mergeNewer(
  engine: readonly RankedId[],
  newer: readonly { id: string; position: number; score: number }[],
): RankedId[] {
  const merged = [...engine];
  const sorted = [...newer].sort((a, b) => a.position - b.position);
  for (const paper of sorted) {
    const at = Math.min(Math.max(0, paper.position), merged.length);
    const displaced = merged[at] ?? merged[merged.length - 1];
    merged.splice(at, 0, { id: paper.id, score: displaced?.score ?? paper.score });
  }
  return merged;
}
