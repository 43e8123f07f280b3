import { type ArxivId, authorKey, type Paper, parseArxivId } from "../../core/index.ts";
import type { Store } from "../../store/store.ts";
import type { LoadedEngine } from "./live-engine.ts";
import type { SimilarPaper } from "./types.ts";

/** Neighbours fetched beyond the limit, to fill the list after other versions are left out. */
const SPARE = 5;
/**
 * Words of the abstract added to the title when no engine is built. A whole abstract ORed in the store's
 * full-text search matches most of the library and took over a second at 10,000 papers on SQLite (blocking the
 * server); the title plus the abstract's longest words (long words are the rare, specific ones) is ~50x cheaper.
 */
const ABSTRACT_WORDS = 8;

/**
 * Papers like `input` (any form of an arXiv id; a malformed one throws `invalid_arxiv_id`). With the engine:
 * nearest by the papers' vectors, or, for a paper newer than the engine, by the vector of its text. Without
 * it: a keyword search on its title and abstract. Never the paper itself, nor another version of it: the same
 * id under any form, or a paper with the same title (a re-submission under a new id); never a withdrawn paper.
 */
export async function findSimilar(
  store: Store,
  loaded: LoadedEngine | null,
  input: string,
  limit: number,
): Promise<SimilarPaper[]> {
  const id = parseArxivId(input).id;
  const k = Math.max(1, Math.min(100, Math.floor(limit)));
  const paper = await store.getPaper(id);
  if (paper === null) return [];
  let candidates: { id: string; score: number }[];
  if (loaded !== null) {
    candidates = loaded.knows(id)
      ? await loaded.searcher.similar(id, k + SPARE)
      : (
          await loaded.searcher.search(`${paper.title}. ${paper.abstract}`, {
            mode: "vector",
            limit: k + SPARE,
          })
        ).hits;
  } else {
    const text = keywordText(paper);
    const found = await store.search.search({ text, limit: Math.min(100, k + SPARE) });
    candidates = found.hits.map((h) => ({ id: h.paper.id, score: h.score }));
  }
  const title = titleKey(paper);
  const others = candidates.filter((c) => c.id !== id);
  const papers = new Map(
    (await store.getPapers(others.map((c) => c.id as ArxivId))).map((p) => [p.id as string, p]),
  );
  const out: SimilarPaper[] = [];
  for (const c of others) {
    const other = papers.get(c.id);
    // A paper withdrawn since the engine last heard of it is no one's neighbour.
    if (!other || other.withdrawnAt !== null || titleKey(other) === title) continue;
    out.push({ paper: other, score: c.score });
    if (out.length === k) break;
  }
  return out;
}

/** The words a keyword search for papers like `paper` uses: its title and its abstract's longest words. */
function keywordText(paper: Paper): string {
  const clean = (t: string) => t.replace(/[^\p{L}\p{N}\s]+/gu, " ");
  const long = [...new Set(clean(paper.abstract).toLowerCase().split(/\s+/))]
    .filter((w) => w.length >= 7 && !/^\d+$/.test(w))
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .slice(0, ABSTRACT_WORDS);
  return `${clean(paper.title)} ${long.join(" ")}`;
}

/** A title folded like an author name (case, accents, punctuation and spacing do not matter). */
function titleKey(paper: Paper): string {
  return authorKey(paper.title);
}
