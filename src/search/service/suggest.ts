import type { ArxivId } from "../../core/index.ts";
import type { ParsedSearchQuery } from "../../core/search-query.ts";
import { tokenize } from "../../core/text/tokenize.ts";
import type { Store } from "../../store/store.ts";
import type { SearchEngine } from "../engine.ts";
import { END, type InvertedIndex } from "../index/inverted-index.ts";

/** Query words checked at most (each unknown one costs a pass over the vocabulary). */
const MAX_WORDS = 4;
/** A correction must occur in at least this many papers, so one paper's typo is never offered. */
const MIN_DOCUMENTS = 2;
/** Three rows of the edit-distance table, reused across calls (words longer than them are never close). */
const ROW = 64;
const rows = [new Int32Array(ROW + 1), new Int32Array(ROW + 1), new Int32Array(ROW + 1)] as const;

/**
 * "Did you mean": the query with each word the library has never seen replaced by the closest word it has, by
 * edit distance between stems (one edit for words of up to five letters, two beyond; see `closestTerm` for
 * ties), or failing that the term that begins the typed word (`closestPrefixTerm`). The replacement is shown
 * as papers spell it (`spellingsOf`), in the typed capitalisation, and is itself within those edits of the typed
 * word. A word the engine lacks but the store's search finds (a paper added since the build) is left alone.
 * Filter values (`author:`, `cat:`, ...) are never rewritten. Null when every word is known or nothing is
 * close.
 */
export async function suggestSpelling(
  store: Store,
  engine: SearchEngine,
  raw: string,
  parsed: ParsedSearchQuery,
): Promise<string | null> {
  const index = engine.index;
  const { terms, df } = index.data;
  const unknown: Array<{ word: string; stem: string; limit: number }> = [];
  // The query's words the engine knows: a candidate found in papers with them fits the query.
  const known = parsed.terms.flatMap((w) => {
    const [analyzed] = engine.analyzer.analyze(w);
    return analyzed !== undefined && index.termId(analyzed.term) >= 0 ? [analyzed.term] : [];
  });
  const fit = known.length > 0 ? cooccurrence(index, known) : undefined;
  for (const word of parsed.terms) {
    if (unknown.length >= MAX_WORDS) break;
    // Words with digits are ids, versions or numbers; short ones are abbreviations: both too easy to "fix".
    if (word.length < 4 || /\d/.test(word)) continue;
    const [analyzed] = engine.analyzer.analyze(word);
    if (analyzed === undefined || index.termId(analyzed.term) >= 0) continue;
    const limit = word.length <= 5 ? 1 : 2;
    // A typo inside a suffix keeps the stemmer from cutting it ("adaptaion" stays whole, far from "adapt"):
    // then the term that best matches the start of the typed word.
    const stem = closestTerm(terms, df, analyzed.term, limit, fit) ?? closestPrefixTerm(terms, df, word);
    if (stem !== null) unknown.push({ word, stem, limit });
  }
  if (unknown.length === 0) return null;
  const [newer, spellings] = await Promise.all([
    Promise.all(unknown.map(({ word }) => inStore(store, word))),
    spellingsOf(
      store,
      engine,
      unknown.map((u) => u.stem),
    ),
  ]);
  let suggestion = raw;
  unknown.forEach(({ word, stem, limit }, i) => {
    if (newer[i]) return;
    const surface = closestSpelling(spellings.get(stem), word);
    // The correction itself must be a few edits from what was typed, whichever way its stem was found.
    if (surface === null || surface === word || editDistance(word, surface, limit) > limit) return;
    suggestion = replaceOutsideFilters(suggestion, wordPattern(word), (match) => matchCase(match, surface));
  });
  return suggestion === raw ? null : suggestion;
}

/** Whether the store's own keyword search finds a word (in a paper newer than the engine's build). */
async function inStore(store: Store, word: string): Promise<boolean> {
  const found = await store.search.search({ text: word, filters: {}, limit: 1 });
  return found.problem === null && found.total > 0;
}

/**
 * `key:value` and `key:"quoted value"` filters of a raw query (see core/search-query.ts); an unquoted author
 * name runs on over the words up to the next filter, quote or excluded word.
 */
const FILTER_TOKEN =
  /(?<!\S)(?:author:(?!")\S+(?:\s+(?!(?:author|cat|category|since|until|year):)[^\s"\u201c\u201d\u201e\u00ab\u00bb-]\S*)*|(?:author|cat|category|since|until|year):(?:"[^"]*"?|\S*))/giu;

/** `text.replace(pattern, replacer)` in the query's free text only, never inside a filter's value. */
export function replaceOutsideFilters(
  text: string,
  pattern: RegExp,
  replacer: (match: string) => string,
): string {
  let out = "";
  let last = 0;
  for (const filter of text.matchAll(FILTER_TOKEN)) {
    out += text.slice(last, filter.index).replace(pattern, replacer) + filter[0];
    last = (filter.index as number) + filter[0].length;
  }
  return out + text.slice(last).replace(pattern, replacer);
}

/** Of the candidates tied on distance and first letter, this many (the commonest) are checked for fit. */
const MAX_FIT_CHECKS = 16;

/**
 * A candidate's fit with the rest of the query: in how many papers it appears with at least one of the other
 * words. The papers of those words are marked once, on the first call (most queries need no correction, or
 * have one candidate); each candidate's postings are then read once.
 */
export function cooccurrence(index: InvertedIndex, others: readonly string[]): (candidate: string) => number {
  let marked: Uint8Array | null = null;
  const mark = (): Uint8Array => {
    const out = new Uint8Array(index.documentCount);
    for (const term of others) {
      const id = index.termId(term);
      if (id < 0) continue;
      const cursor = index.cursor(id);
      for (let doc = cursor.doc; doc !== END; doc = cursor.next()) out[doc] = 1;
    }
    return out;
  };
  return (candidate) => {
    marked ??= mark();
    const id = index.termId(candidate);
    if (id < 0) return 0;
    let n = 0;
    const cursor = index.cursor(id);
    for (let doc = cursor.doc; doc !== END; doc = cursor.next()) n += marked[doc] as number;
    return n;
  };
}

/**
 * The vocabulary term nearest to `term` within `maxDistance` edits (a swap of neighbours is one edit), in at
 * least `MIN_DOCUMENTS` papers. Among the nearest: the one with the same first letter (typos seldom hit it),
 * then the one that fits the rest of the query best (`fit`: papers shared with the query's other words,
 * `cooccurrence`), then the one in most papers.
 */
export function closestTerm(
  terms: readonly string[],
  df: ArrayLike<number>,
  term: string,
  maxDistance: number,
  fit?: (candidate: string) => number,
): string | null {
  const tied: Array<{ candidate: string; rank: number[] }> = [];
  let bestRank = [maxDistance + 1, 1, 0];
  const sorted = byLength(terms, df);
  const [from, to] = span(sorted.start, term.length - maxDistance, term.length + maxDistance);
  for (let p = from; p < to; p++) {
    const candidate = sorted.terms[p];
    const n = sorted.df[p] as number;
    // Engines built before the stemmer fix hold one non-string term ("constructor" stemmed to a function).
    if (typeof candidate !== "string" || n < MIN_DOCUMENTS) continue;
    if (candidate.length < 3 || Math.abs(candidate.length - term.length) > maxDistance) continue;
    const d = editDistance(term, candidate, Math.min(maxDistance, bestRank[0] as number));
    if (d > maxDistance) continue;
    // Closest first; then one keeping the first letter (typos seldom hit it: "tset" is "test", not "set");
    // then the commonest.
    const rank = [d, candidate[0] === term[0] ? 0 : 1, -n];
    const versus = compareRanks(rank.slice(0, 2), bestRank.slice(0, 2));
    if (versus > 0) continue;
    if (versus < 0) {
      tied.length = 0;
      bestRank = rank;
    }
    tied.push({ candidate, rank });
  }
  if (tied.length === 0) return null;
  tied.sort((a, b) => compareRanks(a.rank, b.rank));
  if (fit === undefined || tied.length === 1) return (tied[0] as { candidate: string }).candidate;
  const fits = tied
    .slice(0, MAX_FIT_CHECKS)
    .map(({ candidate, rank }) => ({ candidate, rank, fit: fit(candidate) }));
  fits.sort((a, b) => b.fit - a.fit || compareRanks(a.rank, b.rank));
  return (fits[0] as { candidate: string }).candidate;
}

/**
 * The vocabulary ordered by term length, with each term's paper count beside it (copies, so a scan reads
 * memory in order): terms of length L are terms[start[L]] .. terms[start[L + 1] - 1].
 */
interface ByLength {
  terms: readonly unknown[];
  df: Uint32Array;
  start: Uint32Array;
}

/** Longest length with a bucket of its own; longer terms (and broken entries) share the last one. */
const LONGEST = ROW + 1;
const lengthIndexes = new WeakMap<readonly string[], ByLength>();

/**
 * The terms grouped by length, made once per vocabulary (an engine's terms array lives as long as the
 * engine): a scan then reads only the lengths an edit limit allows, not every term.
 */
function byLength(terms: readonly string[], df: ArrayLike<number>): ByLength {
  const known = lengthIndexes.get(terms);
  if (known !== undefined) return known;
  const lengthOf = (t: unknown) => (typeof t === "string" ? Math.min(t.length, LONGEST) : LONGEST);
  const start = new Uint32Array(LONGEST + 2);
  for (const t of terms) start[lengthOf(t) + 1] = (start[lengthOf(t) + 1] as number) + 1;
  for (let l = 1; l < start.length; l++) start[l] = (start[l] as number) + (start[l - 1] as number);
  const next = start.slice();
  const sorted: unknown[] = new Array(terms.length);
  const sortedDf = new Uint32Array(terms.length);
  terms.forEach((t, i) => {
    const l = lengthOf(t);
    const at = next[l] as number;
    sorted[at] = t;
    sortedDf[at] = df[i] as number;
    next[l] = at + 1;
  });
  const index = { terms: sorted, df: sortedDf, start };
  lengthIndexes.set(terms, index);
  return index;
}

/** The range of `order` holding the terms of lengths shortest .. longest. */
function span(start: Uint32Array, shortest: number, longest: number): [number, number] {
  const lo = Math.max(0, Math.min(shortest, LONGEST));
  const hi = Math.max(0, Math.min(longest, LONGEST));
  return [start[lo] as number, start[hi + 1] as number];
}

/** Letters a typed word may run on past a term that begins it (a suffix: "-ation", "-ments"). */
const MAX_SUFFIX = 5;

/**
 * The vocabulary term that best begins `word` (at most one edit from one of its prefixes, with 1 to
 * `MAX_SUFFIX` letters left over), in at least `MIN_DOCUMENTS` papers, of four letters or more: fewest edits,
 * then longest, then in most papers. "adaptaion" gives "adapt", whose papers spell it "adaptation".
 */
export function closestPrefixTerm(
  terms: readonly string[],
  df: ArrayLike<number>,
  word: string,
): string | null {
  let best: string | null = null;
  let bestRank = [2, 0, 0];
  const sorted = byLength(terms, df);
  const [from, to] = span(sorted.start, word.length - MAX_SUFFIX - 1, word.length);
  for (let p = from; p < to; p++) {
    const candidate = sorted.terms[p];
    const n = sorted.df[p] as number;
    if (typeof candidate !== "string" || n < MIN_DOCUMENTS || candidate.length < 4) continue;
    const rest = word.length - candidate.length;
    if (rest < 0 || rest > MAX_SUFFIX + 1 || candidate.charCodeAt(0) !== word.charCodeAt(0)) continue;
    const d = prefixDistance(candidate, word, 1, MAX_SUFFIX);
    if (d > 1) continue;
    const rank = [d, -candidate.length, -n];
    if (compareRanks(rank, bestRank) < 0) {
      best = candidate;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * Edit distance (as `editDistance`) between `term` and the closest prefix of `word` that leaves 1 to
 * `maxRest` letters of it over; above `max` it is max + 1.
 */
export function prefixDistance(term: string, word: string, max: number, maxRest: number): number {
  if (term.length > ROW || word.length > ROW) return max + 1;
  const last = lastRow(term, word, max);
  if (last === null) return max + 1;
  let best = max + 1;
  for (let j = Math.max(1, word.length - maxRest); j <= word.length - 1; j++)
    if ((last[j] as number) < best) best = last[j] as number;
  return best;
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment); any value above `max` comes back as
 * max + 1, and rows stop early once every cell is past it. No allocation: it runs once per vocabulary term.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length > ROW || b.length > ROW) return a === b ? 0 : max + 1;
  const d = lastRow(a, b, max)?.[b.length] ?? max + 1;
  return d > max ? max + 1 : d;
}

/**
 * The last row of the edit-distance table of `a` against `b` (cell j: distance from all of `a` to the first j
 * letters of `b`), in the shared rows (valid until the next call); null once a whole row is past `max`.
 */
function lastRow(a: string, b: string, max: number): Int32Array | null {
  let [before, previous, current] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = (previous[j - 1] as number) + (ca === cb ? 0 : 1);
      const del = (previous[j] as number) + 1;
      const ins = (current[j - 1] as number) + 1;
      if (del < d) d = del;
      if (ins < d) d = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        const swap = (before[j - 2] as number) + 1;
        if (swap < d) d = swap;
      }
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return null;
    [before, previous, current] = [previous, current, before];
  }
  return previous;
}

/** Papers read per stem to learn how it is spelt. */
const SPELLING_SAMPLE = 20;

/**
 * How papers spell each stem: the words analyzing to it, with counts, in the first papers the engine lists
 * under it (one store read for all stems). The papers come from the engine's own postings, not from the
 * store's search: a store stems with its own stemmer (SQLite's Porter reads "diffus" as "diffu" and finds no
 * "diffusion").
 */
async function spellingsOf(
  store: Store,
  engine: SearchEngine,
  stems: readonly string[],
): Promise<Map<string, Map<string, number>>> {
  const index = engine.index;
  const wanted = new Set(stems);
  const ids = new Set<ArxivId>();
  for (const stem of wanted) {
    const termId = index.termId(stem);
    if (termId < 0) continue;
    const cursor = index.cursor(termId);
    let taken = 0;
    for (let doc = cursor.doc; doc !== END && taken < SPELLING_SAMPLE; doc = cursor.next(), taken++)
      ids.add(index.data.ids[doc] as ArxivId);
  }
  const out = new Map<string, Map<string, number>>();
  for (const paper of await store.getPapers([...ids])) {
    for (const { text } of tokenize(`${paper.title} ${paper.abstract}`)) {
      const [analyzed] = engine.analyzer.analyze(text);
      if (analyzed === undefined || !wanted.has(analyzed.term)) continue;
      const seen = out.get(analyzed.term) ?? new Map<string, number>();
      out.set(analyzed.term, seen);
      seen.set(text, (seen.get(text) ?? 0) + 1);
    }
  }
  return out;
}

/**
 * Of a stem's spellings, the one closest to what was typed ("engne" is "engine", not "engineering";
 * "trasnformer" is "transformer", one swap, not "transformed"), then the commonest.
 */
export function closestSpelling(
  spellings: ReadonlyMap<string, number> | undefined,
  typed: string,
): string | null {
  let best: string | null = null;
  let bestRank: number[] = [];
  for (const [word, n] of spellings ?? []) {
    const rank = [editDistance(typed, word, typed.length + word.length), -n, word.length];
    if (best === null || compareRanks(rank, bestRank) < 0) {
      best = word;
      bestRank = rank;
    }
  }
  return best;
}

/** The word on its own, in any case (query words are folded to lower case). */
function wordPattern(word: string): RegExp {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "giu");
}

/** The correction with the typed word's capitalisation (all capitals, or a capital first letter). */
function matchCase(typed: string, surface: string): string {
  if (typed.length > 1 && typed === typed.toUpperCase()) return surface.toUpperCase();
  const first = typed[0] as string;
  if (first !== first.toLowerCase()) return first.toUpperCase() + surface.slice(1);
  return surface;
}

/**
 * Whether a suggestion is worth offering: never when it finds fewer papers than the words as typed (a
 * "correction" that loses papers corrects nothing).
 */
export function findsAtLeastAsMany(typedTotal: number, suggestionTotal: number): boolean {
  return suggestionTotal >= typedTotal;
}
