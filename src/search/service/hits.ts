import type { ArxivId } from "../../core/index.ts";
import { type HighlightQuery, highlight, snippet } from "../../core/text/highlight.ts";
import type { StoreSearchHit } from "../../store/search/index.ts";
import type { Store } from "../../store/store.ts";
import type { RankedId } from "./merge.ts";
import type { PaperHit } from "./types.ts";

/**
 * Turns ranked ids into hits: the papers (one round trip), their upvotes (one more, for those the store's
 * search did not already count), and the title and snippet highlighted the way the store's hits are, so a hit
 * reads the same whichever search found it. Ids no longer in the store, and papers withdrawn since the engine
 * last heard of them, are dropped.
 */
export async function hydrateHits(
  store: Store,
  ranked: readonly RankedId[],
  fromStore: ReadonlyMap<string, StoreSearchHit>,
  query: HighlightQuery,
): Promise<PaperHit[]> {
  const ids = ranked.map((r) => r.id as ArxivId);
  const fresh = ids.filter((id) => !fromStore.has(id));
  const [papers, activity] = await Promise.all([
    store.getPapers(fresh),
    fresh.length > 0 ? store.listings.activity(fresh) : Promise.resolve(new Map()),
  ]);
  const byId = new Map(papers.map((p) => [p.id as string, p]));
  const hits: PaperHit[] = [];
  for (const r of ranked) {
    const known = fromStore.get(r.id);
    if (known && known.paper.withdrawnAt === null) {
      hits.push({ ...known, score: r.score });
      continue;
    }
    const paper = byId.get(r.id);
    if (!paper || paper.withdrawnAt !== null) continue;
    hits.push({
      paper,
      score: r.score,
      title: highlight(paper.title, query),
      snippet: snippet(paper.abstract, query),
      upvotes: activity.get(paper.id)?.upvotes ?? 0,
    });
  }
  return hits;
}

/** A store hit as a service hit. */
export function fromStoreHit(hit: StoreSearchHit): PaperHit {
  return { paper: hit.paper, score: hit.score, title: hit.title, snippet: hit.snippet, upvotes: hit.upvotes };
}
