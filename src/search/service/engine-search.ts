import type { ArxivId } from "../../core/index.ts";
import { checkFilters, type ParsedSearchQuery, type SearchPhrase } from "../../core/search-query.ts";
import type { SearchFilters, StoreSearchHit } from "../../store/search/index.ts";
import type { Store } from "../../store/store.ts";
import type { SearchMode } from "../engine.ts";
import type { SegmentedEngine } from "../segmented-engine.ts";
import type { LoadedEngine } from "./live-engine.ts";
import { mergeNewer, type RankedId } from "./merge.ts";

/** Most results a relevance search can page through (the engine's deepest list). */
export const MAX_POOL = 1000;
/**
 * How deep the engine reads when the page needs less: hybrid fusion normalises scores over its candidates, so
 * reading a fixed depth keeps a query's order the same on every page (and as the BEIR harness measures it).
 */
export const BASE_POOL = 100;
/**
 * A search sorted by date or upvotes lists the papers with all its words and, by meaning, the engine's best
 * this many (`sortedCut`): enough for papers that answer the query in other words, few enough that a sort
 * never reaches the loosely related tail of a ranking.
 */
export const SORTED_CUT = 50;
/** ... and never more than this share of the library: in a small one, the best 50 would be every paper. */
export const SORTED_CUT_SHARE = 0.01;

/** How many of the engine's best a sorted search takes, for an engine of `papers` papers. */
export function sortedCut(papers: number): number {
  return Math.max(1, Math.min(SORTED_CUT, Math.ceil(papers * SORTED_CUT_SHARE)));
}
/** The store's keyword hits looked at for papers newer than the engine (its limit per request). */
const NEWER_DEPTH = 100;

export interface EngineRanking {
  ranked: RankedId[];
  /** Hits of papers newer than the engine, as the store found them (with their highlights and upvotes). */
  fromStore: Map<string, StoreSearchHit>;
  /** Set when the engine could not search the text (the caller then uses the store's keyword search). */
  problem: string | null;
}

export interface EngineRankRequest {
  store: Store;
  loaded: LoadedEngine;
  /** The query as typed. */
  raw: string;
  parsed: ParsedSearchQuery;
  filters: SearchFilters;
  filtered: boolean;
  mode: SearchMode;
  /** Results the requested page reaches (offset + page size). */
  want: number;
  /** Whether the store may hold papers the engine has not indexed (then its keyword hits are merged in). */
  newerMayExist: boolean;
}

/**
 * Relevance ranking with the engine: its top list (keyword, vector or hybrid), without excluded words, cut to
 * the papers passing the filters, with the store's keyword hits for papers newer than the engine merged in.
 * With filters the engine reads its deepest list, so a narrow filter still finds its papers among the top
 * `MAX_POOL`; the filters are evaluated on the engine's facets (`engine-facets.ts`), without a round trip to
 * the store, and the store's hits for newer papers were filtered by the store.
 */
export async function rankWithEngine(request: EngineRankRequest): Promise<EngineRanking> {
  const { store, loaded, parsed, filters } = request;
  const engine = loaded.searcher;
  const pool = request.filtered ? MAX_POOL : Math.min(MAX_POOL, Math.max(BASE_POOL, request.want));
  const text = engineText(request.raw, parsed);
  let hits: RankedId[] = [];
  if (!knowsNoWord(loaded, text)) {
    const result = await engine.search(text, { mode: request.mode, limit: pool });
    if (result.problem !== null) return { ranked: [], fromStore: new Map(), problem: result.problem };
    hits = result.hits;
  }
  if (parsed.excluded.length > 0) {
    const excluded = excludedDocuments(engine, parsed.excluded);
    hits = hits.filter((h) => !excluded.has(h.id));
  }
  if (request.filtered) hits = await passingHits(store, loaded, hits, filters);

  const fromStore = new Map<string, StoreSearchHit>();
  if (!request.newerMayExist) return { ranked: hits, fromStore, problem: null };
  const keyword = await store.search.search({
    text: parsed.text,
    parsed,
    filters,
    sort: "relevance",
    limit: NEWER_DEPTH,
  });
  const newer: { id: string; position: number; score: number }[] = [];
  keyword.hits.forEach((hit, position) => {
    if (loaded.knows(hit.paper.id)) return;
    newer.push({ id: hit.paper.id, position, score: hit.score });
    fromStore.set(hit.paper.id, hit);
  });
  return { ranked: mergeNewer(hits, newer), fromStore, problem: null };
}

/**
 * Of the engine's `hits`, those passing `filters`, in order: read from the engine's facets (the store's own
 * filter rule, evaluated to a bitset), or asked of the store when the facets could not be loaded.
 */
async function passingHits(
  store: Store,
  loaded: LoadedEngine,
  hits: RankedId[],
  filters: SearchFilters,
): Promise<RankedId[]> {
  const facets = loaded.facets;
  if (facets !== null) {
    checkFilters(filters);
    const passes = facets.passes(filters);
    return hits.filter((h) => {
      const doc = loaded.searcher.docNumber(h.id);
      return doc !== undefined && passes(doc);
    });
  }
  const score = new Map(hits.map((h) => [h.id, h.score]));
  const passing = await store.search.passing(
    hits.map((h) => h.id as ArxivId),
    filters,
  );
  return passing.map((id) => ({ id, score: score.get(id) ?? 0 }));
}

/** The engine's best `cut` papers for a query by relevance (in `mode`), without excluded words; no filters. */
export async function closestByMeaning(
  store: Store,
  loaded: LoadedEngine,
  raw: string,
  parsed: ParsedSearchQuery,
  mode: SearchMode,
  cut: number,
): Promise<ArxivId[]> {
  const ranking = await rankWithEngine({
    store,
    loaded,
    raw,
    parsed,
    filters: {},
    filtered: false,
    mode,
    want: cut,
    newerMayExist: false,
  });
  return ranking.ranked.slice(0, cut).map((r) => r.id as ArxivId);
}

/**
 * The text the engine searches. With no filters or exclusions in it, the query as typed, so the engine reads
 * it exactly as its own parser would (as in the BEIR numbers); otherwise the words
 * and phrases the query parser kept, without the filters and excluded words.
 */
export function engineText(raw: string, parsed: ParsedSearchQuery): string {
  const plain = Object.keys(parsed.filters).length === 0 && parsed.excluded.length === 0;
  if (plain && parsed.notes.length === 0) return raw;
  const inPhrase = new Set(parsed.phrases.flatMap((p) => p.words));
  return [
    ...parsed.terms.filter((t) => !inPhrase.has(t)),
    ...parsed.phrases.map((p) => `"${p.words.join(" ")}"`),
  ].join(" ");
}

/**
 * Whether the engine's own embedder knows none of the query's words: the corpus embedder then gives a zero
 * query vector, every paper scores the same, and the engine's list would be noise. (A served model reads any
 * word, so its engines always search.) The store's keyword hits for newer papers are still merged in.
 */
function knowsNoWord(loaded: LoadedEngine, text: string): boolean {
  if (loaded.manifest.embedder !== "corpus") return false;
  return loaded.engine.analyzer.analyze(text).every((t) => !loaded.searcher.knowsTerm(t.term));
}

/** Documents containing any excluded word or phrase, found with the engine's own positional index. */
function excludedDocuments(engine: SegmentedEngine, excluded: readonly SearchPhrase[]): Set<string> {
  const out = new Set<string>();
  for (const phrase of excluded) {
    const analyzed = engine.base.analyzer.analyze(phrase.words.join(" "));
    const first = analyzed[0];
    if (first === undefined) continue;
    const terms = analyzed.map((t) => t.term);
    const ids = engine.phraseIds({
      terms,
      phrases: [
        { text: phrase.words.join(" "), terms, offsets: analyzed.map((t) => t.position - first.position) },
      ],
      notes: [],
      problem: null,
    });
    for (const id of ids) out.add(id);
  }
  return out;
}
